/**
 * Why money went back, beside the free-text reason: the same categories in all three flows
 * (invoice refunds, credit refunds, account refunds), so reports can group refunds by cause.
 */
export enum RefundReason {
  DUPLICATE_PAYMENT = 'DUPLICATE_PAYMENT',
  NOT_DELIVERED = 'NOT_DELIVERED',
  CANCELLED = 'CANCELLED',
  DISPUTE = 'DISPUTE',
  GOODWILL = 'GOODWILL',
  OTHER = 'OTHER',
}

/** Labels for screens and exports, in the order a person would scan them. */
export const REFUND_REASON_LABELS: Readonly<Record<RefundReason, string>> = {
  [RefundReason.DUPLICATE_PAYMENT]: 'Duplicate payment',
  [RefundReason.NOT_DELIVERED]: 'Service not delivered',
  [RefundReason.CANCELLED]: 'Cancelled',
  [RefundReason.DISPUTE]: 'Dispute',
  [RefundReason.GOODWILL]: 'Goodwill',
  [RefundReason.OTHER]: 'Other',
};

const REASONS = new Set<string>(Object.values(RefundReason));

/** Narrows a stored or sent value; anything else is not a category. */
export const isRefundReason = (value: unknown): value is RefundReason =>
  typeof value === 'string' && REASONS.has(value);

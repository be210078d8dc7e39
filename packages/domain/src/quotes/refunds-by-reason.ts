import { type CurrencyCode, type Money, add, compare, zero } from '../money';
import { RefundReason } from '../refunds';

/** One refund as the Insights block reads it. */
export interface CategorisedRefund {
  readonly amount: Money;
  /** null: recorded before categories existed, or left blank. */
  readonly reasonCategory: RefundReason | null;
}

export interface RefundReasonTotal {
  readonly reason: RefundReason | null;
  readonly count: number;
  readonly amount: Money;
}

/**
 * "Refunds by reason over a period": one row per category that has refunds, the largest amount
 * first (ties in the categories' own order), uncategorised refunds last. The caller picks the
 * refunds of the period.
 */
export function refundsByReason(
  refunds: readonly CategorisedRefund[],
  currency: CurrencyCode,
): RefundReasonTotal[] {
  const order: Array<RefundReason | null> = [...Object.values(RefundReason), null];
  const totals = new Map<RefundReason | null, { count: number; amount: Money }>();
  for (const refund of refunds) {
    const current = totals.get(refund.reasonCategory) ?? { count: 0, amount: zero(currency) };
    totals.set(refund.reasonCategory, {
      count: current.count + 1,
      amount: add(current.amount, refund.amount),
    });
  }
  return order
    .filter((reason) => totals.has(reason))
    .map((reason) => ({ reason, ...totals.get(reason)! }))
    .sort((a, b) => {
      if (a.reason === null || b.reason === null) return a.reason === null ? 1 : -1;
      return compare(b.amount, a.amount) || order.indexOf(a.reason) - order.indexOf(b.reason);
    });
}

/** Where a quote is in its life (the contract's `QuoteStatus`). */
export const QuoteStatus = {
  DRAFT: 'DRAFT',
  SENT: 'SENT',
  /** Accepted by the customer: it is now an invoice. */
  ACCEPTED: 'ACCEPTED',
  PAID: 'PAID',
  /** Terminal: the money went back to the customer. */
  REFUNDED: 'REFUNDED',
  /** Terminal: cancelled before any money arrived. */
  VOID: 'VOID',
} as const;
export type QuoteStatus = (typeof QuoteStatus)[keyof typeof QuoteStatus];
export const QUOTE_STATUSES: readonly QuoteStatus[] = Object.values(QuoteStatus);

/** The filter tabs of /quotes (the contract's `QuoteTab`), in display order. */
export const QuoteTab = {
  ALL: 'ALL',
  DRAFT: 'DRAFT',
  SENT: 'SENT',
  ACCEPTED: 'ACCEPTED',
  PAID: 'PAID',
  REFUNDED: 'REFUNDED',
  VOID: 'VOID',
} as const;
export type QuoteTab = (typeof QuoteTab)[keyof typeof QuoteTab];
export const QUOTE_TABS: readonly QuoteTab[] = Object.values(QuoteTab);

/** The statuses a tab lists; ALL lists every status. */
export function statusesOfTab(tab: QuoteTab): readonly QuoteStatus[] {
  return tab === QuoteTab.ALL ? QUOTE_STATUSES : [tab];
}

/** An invoice is a quote the customer accepted that has not been refunded or voided. */
export function isInvoice(status: QuoteStatus): boolean {
  return status === QuoteStatus.ACCEPTED || status === QuoteStatus.PAID;
}

/** The seven case statuses of the inbox (the contract's `CaseStatus`). */
export const CaseStatus = {
  NEEDS_REPLY: 'NEEDS_REPLY',
  AWAITING_CUSTOMER: 'AWAITING_CUSTOMER',
  FOLLOW_UP_DUE: 'FOLLOW_UP_DUE',
  ON_HOLD: 'ON_HOLD',
  WON: 'WON',
  LOST: 'LOST',
  ARCHIVED: 'ARCHIVED',
} as const;
export type CaseStatus = (typeof CaseStatus)[keyof typeof CaseStatus];
export const CASE_STATUSES: readonly CaseStatus[] = Object.values(CaseStatus);

/** What a new case opened by a quote starts as: the business owes the customer nothing yet. */
export const NEW_CASE_STATUS: CaseStatus = CaseStatus.AWAITING_CUSTOMER;

/** The kinds of entries in a quote's activity feed (the contract's `ActivityEvent.kind`). */
export const ActivityKind = {
  CREATED: 'CREATED',
  SENT: 'SENT',
  ACCEPTED: 'ACCEPTED',
  MARKED_PAID: 'MARKED_PAID',
  MARKED_UNPAID: 'MARKED_UNPAID',
  /** Paid in full by credits allocated on the customer's account (the accounts flow). */
  SETTLED: 'SETTLED',
  REFUND_RECORDED: 'REFUND_RECORDED',
  VOIDED: 'VOIDED',
  NOTE_ADDED: 'NOTE_ADDED',
  FOLLOW_UP_SENT: 'FOLLOW_UP_SENT',
} as const;
export type ActivityKind = (typeof ActivityKind)[keyof typeof ActivityKind];

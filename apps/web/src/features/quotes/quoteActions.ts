import {
  isAllowed,
  markUnpaidRefusal,
  parseCurrency,
  parseMoney,
  QUOTE_STATUSES,
  type QuoteAction as LifecycleAction,
  type QuoteStatus as DomainQuoteStatus,
} from '@refunds/domain';
import type { QuoteStatus, QuoteTab } from '../../gql/graphql';
import type { WireMoney } from '../../shared/money';

export type QuoteAction =
  'SEND' | 'ACCEPT' | 'MARK_PAID' | 'MARK_UNPAID' | 'REFUND' | 'VOID' | 'ADD_NOTE';

/**
 * The footer's buttons in display order (Refund after Mark unpaid and before Void, seed 000
 * section 3), each with the lifecycle transition it asks for. A note is not a transition: it can
 * always be added.
 */
const FOOTER_ORDER: readonly (readonly [QuoteAction, LifecycleAction | null])[] = [
  ['SEND', 'send'],
  ['ACCEPT', 'accept'],
  ['MARK_PAID', 'markPaid'],
  ['MARK_UNPAID', 'markUnpaid'],
  ['REFUND', 'refund'],
  ['VOID', 'void'],
  ['ADD_NOTE', null],
];

/**
 * The one table of what the drawer footer offers per status, derived from the domain's lifecycle
 * (ALLOWED_FROM, the table the API enforces), so the SPA and the API cannot disagree:
 * DRAFT: Send, Void, Add note · SENT: Mark accepted, Void, Add note · ACCEPTED: Mark paid, Void,
 * Add note · PAID: Mark unpaid, Refund, Add note · REFUNDED and VOID: Add note only.
 */
export const ACTIONS_BY_STATUS = Object.fromEntries(
  QUOTE_STATUSES.map((status) => [
    status,
    FOOTER_ORDER.filter(([, step]) => step === null || isAllowed(step, status)).map(
      ([action]) => action,
    ),
  ]),
) as unknown as Record<QuoteStatus, readonly QuoteAction[]>;

/**
 * What the footer offers this invoice: its status's actions, less "Mark unpaid" where the domain
 * would refuse it (settled by credits alone, so no payment to reverse, or partly refunded). An
 * amount the domain cannot read leaves the action offered: the API decides and says why.
 */
export function footerActions(quote: {
  readonly status: QuoteStatus;
  readonly paidAmount: WireMoney;
  readonly refundedAmount: WireMoney;
}): readonly QuoteAction[] {
  const actions = ACTIONS_BY_STATUS[quote.status];
  if (!actions.includes('MARK_UNPAID')) return actions;
  const currency = parseCurrency(quote.paidAmount.currency);
  if (!currency.ok) return actions;
  const paid = parseMoney(quote.paidAmount.amount, currency.value);
  const refunded = parseMoney(quote.refundedAmount.amount, currency.value);
  if (!paid.ok || !refunded.ok) return actions;
  return markUnpaidRefusal(quote.status as DomainQuoteStatus, paid.value, refunded.value) === null
    ? actions
    : actions.filter((action) => action !== 'MARK_UNPAID');
}

/** Button labels: stable accessible names the browser tests look for. */
export const ACTION_LABELS: Record<QuoteAction, string> = {
  SEND: 'Send',
  ACCEPT: 'Mark accepted',
  MARK_PAID: 'Mark paid',
  MARK_UNPAID: 'Mark unpaid',
  REFUND: 'Refund',
  VOID: 'Void',
  ADD_NOTE: 'Add note',
};

export const STATUS_LABELS: Record<QuoteStatus, string> = {
  DRAFT: 'Draft',
  SENT: 'Sent',
  ACCEPTED: 'Accepted',
  PAID: 'Paid',
  REFUNDED: 'Refunded',
  VOID: 'Void',
};

export const STATUS_COLORS: Record<QuoteStatus, string> = {
  DRAFT: 'gray',
  SENT: 'blue',
  ACCEPTED: 'violet',
  PAID: 'green',
  REFUNDED: 'coral',
  VOID: 'dark',
};

export const TAB_LABELS: Record<QuoteTab, string> = {
  ALL: 'All',
  DRAFT: 'Draft',
  SENT: 'Sent',
  ACCEPTED: 'Accepted',
  PAID: 'Paid',
  REFUNDED: 'Refunded',
  VOID: 'Void',
};

/** Shown until quoteStats answers; REFUNDED only appears once the API lists it. */
export const DEFAULT_TABS: readonly QuoteTab[] = [
  'ALL',
  'DRAFT',
  'SENT',
  'ACCEPTED',
  'PAID',
  'VOID',
];

/** Queries a change to a quote can affect: the list and its tabs and tiles. */
export const QUOTE_LIST_QUERIES = ['Quotes', 'QuoteStats'];

import type { QuoteStatus, QuoteTab } from '../../gql/graphql';

export type QuoteAction =
  'SEND' | 'ACCEPT' | 'MARK_PAID' | 'MARK_UNPAID' | 'REFUND' | 'VOID' | 'ADD_NOTE';

/**
 * The one table of what the drawer footer offers per status. The order of the list is the order of
 * the buttons: Refund sits after Mark unpaid and before Void (seed 000, section 3). Refund is only
 * for PAID; REFUNDED is terminal, so only a note can be added.
 */
export const ACTIONS_BY_STATUS: Record<QuoteStatus, readonly QuoteAction[]> = {
  DRAFT: ['SEND', 'VOID', 'ADD_NOTE'],
  SENT: ['ACCEPT', 'VOID', 'ADD_NOTE'],
  ACCEPTED: ['MARK_PAID', 'VOID', 'ADD_NOTE'],
  PAID: ['MARK_UNPAID', 'REFUND', 'ADD_NOTE'],
  REFUNDED: ['ADD_NOTE'],
  VOID: ['ADD_NOTE'],
};

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

import type { CreditTransactionKind } from '../credits/ledger';
import { QuoteStatus } from '../quotes/status';

/**
 * The names of the events the feed and the webhooks carry, `<subject>.<what happened>`. Third
 * parties filter on these, so a name is never changed; a new fact gets a new name.
 */
export const EventType = {
  QUOTE_SENT: 'quote.sent',
  QUOTE_ACCEPTED: 'quote.accepted',
  QUOTE_PAID: 'quote.paid',
  QUOTE_UNPAID: 'quote.unpaid',
  QUOTE_VOIDED: 'quote.voided',
  QUOTE_REFUNDED: 'quote.refunded',
  QUOTE_PARTIALLY_REFUNDED: 'quote.partially_refunded',
  FOLLOW_UP_SENT: 'follow_up.sent',
  CREDIT_PURCHASED: 'credit.purchased',
  CREDIT_SPENT: 'credit.spent',
  CREDIT_REFUNDED: 'credit.refunded',
  CREDIT_REVERSED: 'credit.reversed',
  CREDIT_DELETED: 'credit.deleted',
  BALANCE_ADJUSTED: 'balance.adjusted',
  CREDIT_NOTE_CREATED: 'credit_note.created',
  CREDIT_NOTE_ALLOCATED: 'credit_note.allocated',
  CREDIT_NOTE_REFUNDED: 'credit_note.refunded',
  PAYMENT_RECORDED: 'payment.recorded',
  MEMBER_ADDED: 'member.added',
  MEMBER_ROLE_CHANGED: 'member.role_changed',
  MEMBER_REMOVED: 'member.removed',
  API_KEY_CREATED: 'api_key.created',
  API_KEY_REVOKED: 'api_key.revoked',
  /** Sent by "Send test event" on a webhook endpoint; never written by a business change. */
  WEBHOOK_TEST: 'webhook.test',
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

export const EVENT_TYPES: readonly EventType[] = Object.values(EventType);

const KNOWN = new Set<string>(EVENT_TYPES);

export const isEventType = (value: unknown): value is EventType =>
  typeof value === 'string' && KNOWN.has(value);

/** Whether an endpoint subscribed to `subscribed` (empty: everything) receives `type`. */
export function endpointWants(subscribed: readonly string[], type: string): boolean {
  return subscribed.length === 0 || subscribed.includes(type);
}

/**
 * The event of a quote that moved from `from` to `to` (null: not a change third parties hear
 * about, e.g. a note). Mark unpaid takes an invoice from PAID back to ACCEPTED; a refund that
 * leaves the invoice PAID is a partial one.
 */
export function quoteEventType(
  from: QuoteStatus,
  to: QuoteStatus,
  options: { readonly refund?: boolean } = {},
): EventType | null {
  if (options.refund) {
    return to === QuoteStatus.REFUNDED
      ? EventType.QUOTE_REFUNDED
      : EventType.QUOTE_PARTIALLY_REFUNDED;
  }
  if (from === to) return null;
  if (from === QuoteStatus.PAID && to === QuoteStatus.ACCEPTED) return EventType.QUOTE_UNPAID;
  switch (to) {
    case QuoteStatus.SENT:
      return EventType.QUOTE_SENT;
    case QuoteStatus.ACCEPTED:
      return EventType.QUOTE_ACCEPTED;
    case QuoteStatus.PAID:
      return EventType.QUOTE_PAID;
    case QuoteStatus.VOID:
      return EventType.QUOTE_VOIDED;
    case QuoteStatus.REFUNDED:
      return EventType.QUOTE_REFUNDED;
    default:
      return null;
  }
}

const CREDIT_ENTRY_EVENTS: Record<CreditTransactionKind, EventType> = {
  PURCHASE: EventType.CREDIT_PURCHASED,
  SPEND: EventType.CREDIT_SPENT,
  REFUND: EventType.CREDIT_REFUNDED,
  ADJUSTMENT: EventType.BALANCE_ADJUSTED,
  REVERSAL: EventType.CREDIT_REVERSED,
};

/** The event of a new credit ledger entry. */
export const creditEntryEventType = (kind: CreditTransactionKind): EventType =>
  CREDIT_ENTRY_EVENTS[kind];

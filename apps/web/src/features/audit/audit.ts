import type { ActorKind } from '../../gql/graphql';
import { formatWireMoney } from '../../shared/money';
import { formatCredits } from '../transactions/credits';

/**
 * The actions the money and access flows write, labelled for people. An action the screen does not
 * know yet (a newer API) is still listed, with its code made readable.
 */
export const AUDIT_ACTION_LABELS: Readonly<Record<string, string>> = {
  CREDITS_PURCHASED: 'Credits purchased',
  CREDITS_SPENT: 'Credits spent',
  CREDIT_REFUNDED: 'Credits refunded',
  BALANCE_ADJUSTED: 'Balance corrected',
  ENTRY_REVERSED: 'Entry reversed',
  CREDIT_NOTE_CREATED: 'Credit note created',
  PAYMENT_RECORDED: 'Payment recorded',
  CREDIT_ALLOCATED: 'Credit allocated to an invoice',
  ACCOUNT_REFUNDED: 'Account refund',
  REFUND_RECORDED: 'Invoice refund',
  QUOTE_MARKED_PAID: 'Invoice marked paid',
  QUOTE_MARKED_UNPAID: 'Invoice marked unpaid',
  MEMBER_ADDED: 'Member added',
  MEMBER_ROLE_CHANGED: 'Member role changed',
  MEMBER_REMOVED: 'Member removed',
  API_KEY_CREATED: 'API key created',
  API_KEY_REVOKED: 'API key revoked',
  LOGIN_LOCKED: 'Log-ins locked',
};

export function auditActionLabel(action: string): string {
  const known = AUDIT_ACTION_LABELS[action];
  if (known) return known;
  const words = action.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const ACTOR_KIND_LABELS: Record<ActorKind, string> = {
  MEMBER: 'Member',
  API_KEY: 'API key',
  SYSTEM: 'System',
};

/** Fields whose values are amounts of the business currency (Decimal strings on the wire). */
const MONEY_FIELDS = new Set(['amount', 'outstanding', 'allocated', 'refundedAmount', 'total']);
/** Fields of the credit wallet: whole credits. */
const CREDIT_FIELDS = new Set(['balance', 'refundedCredits', 'credits']);

/**
 * A changed value for people: money through the domain's formatter in the business currency,
 * credits as whole numbers, anything else (ids, states, roles) as recorded.
 */
export function formatAuditValue(
  change: { field: string },
  value: string | null,
  context: { subjectType: string; currency: string; locale: string },
): string {
  if (value === null) return '—';
  if (context.subjectType === 'CreditTransaction' && CREDIT_FIELDS.has(change.field)) {
    return formatCredits(value, context.locale);
  }
  if (MONEY_FIELDS.has(change.field) || change.field === 'balance') {
    return formatWireMoney({ amount: value, currency: context.currency }, context.locale);
  }
  return value;
}

/** Readable field names: "refundedCredits" → "Refunded credits". */
export function auditFieldLabel(field: string): string {
  const words = field.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

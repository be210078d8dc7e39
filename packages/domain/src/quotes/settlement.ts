import {
  type CurrencyCode,
  type Money,
  add,
  equals,
  formatMoney,
  isNegative,
  isZero,
  parseCurrency,
  parseMoney,
  subtract,
  zero,
} from '../money';
import { formatLocalDay } from './calendar';
import { CANCEL_FOLLOW_UPS } from './follow-ups';
import { ActivityKind, CaseStatus, QuoteStatus } from './status';

/**
 * One settlement rule for invoices, whichever flow recorded the money (see ../../ACCOUNTING.md).
 *
 * An invoice's ledger is three append-only sums, each kept as entries by its own flow:
 * - `payments`: what "Mark paid" recorded, less the reversals "Mark unpaid" added (quotes flow);
 * - `allocated`: credit notes and payments on the customer's account used to settle it (accounts);
 * - `refunded`: the refunds recorded against it, full or partial (quotes flow).
 */
export interface InvoiceLedger {
  readonly payments: Money;
  readonly allocated: Money;
  readonly refunded: Money;
}

export function emptyInvoiceLedger(currency: CurrencyCode): InvoiceLedger {
  return { payments: zero(currency), allocated: zero(currency), refunded: zero(currency) };
}

export interface InvoiceBalances {
  /** Payments and allocations together: what the customer has settled. */
  readonly settled: Money;
  /** total − payments − allocations: what the invoice still owes. Never negative. */
  readonly outstanding: Money;
  readonly refunded: Money;
  /** settled − refunded: what may still be sent back. Never negative. */
  readonly refundable: Money;
}

/**
 * The balances of an invoice of `total`. A negative outstanding or refundable amount means the
 * entries broke a rule (every write is checked against these before it is made), so it throws
 * rather than showing a wrong figure.
 */
export function invoiceBalances(total: Money, ledger: InvoiceLedger): InvoiceBalances {
  const settled = add(ledger.payments, ledger.allocated);
  const outstanding = subtract(total, settled);
  const refundable = subtract(settled, ledger.refunded);
  if (isNegative(outstanding) || isNegative(refundable) || isNegative(ledger.payments)) {
    throw new Error(
      `Corrupted invoice ledger: total ${total.minor}, payments ${ledger.payments.minor}, allocated ${ledger.allocated.minor}, refunded ${ledger.refunded.minor}`,
    );
  }
  return { settled, outstanding, refunded: ledger.refunded, refundable };
}

/** Settled in full: nothing outstanding, whichever route got it there. */
export function isInvoiceSettled(total: Money, ledger: InvoiceLedger): boolean {
  return isZero(invoiceBalances(total, ledger).outstanding);
}

/**
 * What `Quote.outstanding` shows: an invoice (accepted, paid or refunded) owes its outstanding
 * amount; a quote not yet accepted, or a void one, owes nothing.
 */
export function quoteOutstanding(status: QuoteStatus, total: Money, ledger: InvoiceLedger): Money {
  if (
    status !== QuoteStatus.ACCEPTED &&
    status !== QuoteStatus.PAID &&
    status !== QuoteStatus.REFUNDED
  ) {
    return zero(total.currency);
  }
  return invoiceBalances(total, ledger).outstanding;
}

/** How money and days read in the business's feed: its locale and time zone. */
export interface BusinessFormat {
  readonly locale: string;
  readonly timeZone: string;
}

export const DEFAULT_BUSINESS_FORMAT: BusinessFormat = { locale: 'en-US', timeZone: 'UTC' };

export const formatAmount = (value: Money, format: BusinessFormat = DEFAULT_BUSINESS_FORMAT) =>
  formatMoney(value, format.locale);
export const formatDay = (instant: Date, format: BusinessFormat = DEFAULT_BUSINESS_FORMAT) =>
  formatLocalDay(instant, format.locale, format.timeZone);

/**
 * The "any route" half of the rule: an ACCEPTED invoice whose allocations just reached its total
 * is PAID from now, exactly as if it had been marked paid — the case is won with the total as its
 * value, the nudges stop, and stats and revenue see it on this date. Null when nothing changes.
 */
export function settlementByCredits(input: {
  readonly status: QuoteStatus;
  readonly total: Money;
  readonly ledger: InvoiceLedger;
  readonly caseStatus: CaseStatus | null;
  readonly at: Date;
  readonly format?: BusinessFormat;
}) {
  if (input.status !== QuoteStatus.ACCEPTED || !isInvoiceSettled(input.total, input.ledger)) {
    return null;
  }
  return {
    status: QuoteStatus.PAID,
    timestamps: { paidAt: input.at },
    caseChange: input.caseStatus ? { status: CaseStatus.WON, dealValue: input.total } : null,
    followUps: CANCEL_FOLLOW_UPS,
    activity: {
      kind: ActivityKind.SETTLED,
      at: input.at,
      message: `Paid in full: credits on the customer's account settle the ${formatAmount(input.total, input.format)} total.`,
      reason: null,
    },
  } as const;
}

/** Whether a refund of `amount` on top of `refunded` sends back the whole invoice. */
export function refundsReachTotal(total: Money, refunded: Money, amount: Money): boolean {
  return equals(add(refunded, amount), total);
}

/** Feed entries whose message the system wrote (never a person's note or reason). */
const SYSTEM_WORDED: ReadonlySet<string> = new Set([
  ActivityKind.CREATED,
  ActivityKind.MARKED_PAID,
  ActivityKind.REFUND_RECORDED,
]);
const LEGACY_AMOUNT = /\b(\d+(?:\.\d+)?) ([A-Z]{3})\b/g;
const LEGACY_DAY = / on (\d{4}-\d{2}-\d{2})\b/g;

/**
 * Feed entries written before money had one format said "345.50 GHS … on 2026-11-19". The rows
 * stay as written (the feed is append-only); reading them, a system-worded message is shown the
 * way new ones are written: "GH₵345.50 … on 19 Nov 2026" in the business's locale.
 */
export function activityMessageForPeople(
  kind: string,
  message: string,
  format: BusinessFormat = DEFAULT_BUSINESS_FORMAT,
): string {
  if (!SYSTEM_WORDED.has(kind)) return message;
  return message
    .replace(LEGACY_AMOUNT, (text, amount: string, code: string) => {
      const currency = parseCurrency(code);
      const value = currency.ok ? parseMoney(amount, currency.value) : null;
      return value?.ok ? formatAmount(value.value, format) : text;
    })
    .replace(LEGACY_DAY, (_, day: string) => {
      // The old messages wrote the UTC date of the payment: show that same day.
      const shown = formatLocalDay(new Date(`${day}T00:00:00Z`), format.locale, 'UTC');
      return ` on ${shown}`;
    });
}

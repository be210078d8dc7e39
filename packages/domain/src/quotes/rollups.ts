import { type CurrencyCode, type Money, add, negate, zero } from '../money';
import { addDays, localDate, localMonth } from './calendar';
import { type MoneyMovement, type RevenueSeries, signedAmount } from './revenue';
import { quoteTabs, type QuoteStats } from './stats';
import { QuoteStatus } from './status';

/**
 * Kept totals of the quotes flow (issue 15): what the /quotes header and the Insights revenue
 * read, kept beside the entries they sum and moved in the same transaction, so a read costs a
 * handful of rows however long the business's history is. These rules say how one change of a
 * quote moves them; the service writes the deltas, and the reads turn the rows back into the
 * same figures `computeQuoteStats` and `revenueSeries` give from the entries.
 */

/** A quote as the header's totals see it. */
export interface QuoteRollupState {
  readonly status: QuoteStatus;
  readonly total: Money;
  /** When it became an invoice (its issue date); null until accepted. */
  readonly acceptedAt: Date | null;
}

export interface StatusCountDelta {
  readonly status: QuoteStatus;
  readonly delta: number;
}

export interface InvoicedMonthDelta {
  /** YYYY-MM, business time. */
  readonly month: string;
  readonly delta: Money;
}

export interface QuoteStatsDelta {
  /** Sorted by status, so every writer locks the count rows in the same order. */
  readonly statusCounts: readonly StatusCountDelta[];
  /** Sorted by month. */
  readonly invoicedMonths: readonly InvoicedMonthDelta[];
}

/** What a quote adds to "Invoiced this month": its total in its issue month while ACCEPTED or PAID. */
function invoicedContribution(
  state: QuoteRollupState,
  timeZone: string,
): { month: string; amount: Money } | null {
  const invoiced = state.status === QuoteStatus.ACCEPTED || state.status === QuoteStatus.PAID;
  if (!invoiced || state.acceptedAt === null) return null;
  return { month: localMonth(state.acceptedAt, timeZone), amount: state.total };
}

/**
 * How a quote's change (`before` null: it was just created) moves the per-status counts and the
 * invoiced-per-month totals. No change, no delta: a partial refund or a note moves nothing.
 */
export function quoteStatsDelta(
  before: QuoteRollupState | null,
  after: QuoteRollupState,
  timeZone: string,
): QuoteStatsDelta {
  const counts = new Map<QuoteStatus, number>();
  if (before) counts.set(before.status, (counts.get(before.status) ?? 0) - 1);
  counts.set(after.status, (counts.get(after.status) ?? 0) + 1);
  const months = new Map<string, Money>();
  const was = before ? invoicedContribution(before, timeZone) : null;
  const now = invoicedContribution(after, timeZone);
  if (was) months.set(was.month, negate(was.amount));
  if (now)
    months.set(now.month, add(months.get(now.month) ?? zero(now.amount.currency), now.amount));
  return {
    statusCounts: [...counts]
      .filter(([, delta]) => delta !== 0)
      .map(([status, delta]) => ({ status, delta }))
      .sort((a, b) => (a.status < b.status ? -1 : a.status > b.status ? 1 : 0)),
    invoicedMonths: [...months]
      .filter(([, delta]) => delta.minor !== 0n)
      .map(([month, delta]) => ({ month, delta }))
      .sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0)),
  };
}

/** One business-local day of revenue: cash received (less reversals) and refunds sent back. */
export interface RevenueDayDelta {
  /** YYYY-MM-DD, business time. */
  readonly date: string;
  readonly received: Money;
  readonly refunded: Money;
}

/**
 * The revenue movements of one change, by business-local day (sorted by date): a payment or a
 * cash allocation adds to `received`, a reversal subtracts from it, a refund adds to `refunded`.
 * `undo` takes movements back out (a void releases the account payments allocated to the invoice,
 * which revenue counts only while the quote is an invoice).
 */
export function revenueDayDeltas(
  movements: readonly MoneyMovement[],
  timeZone: string,
  currency: CurrencyCode,
  options: { readonly undo?: boolean } = {},
): RevenueDayDelta[] {
  const byDate = new Map<string, { received: Money; refunded: Money }>();
  for (const movement of movements) {
    const date = localDate(movement.at, timeZone);
    const day = byDate.get(date) ?? { received: zero(currency), refunded: zero(currency) };
    const amount = options.undo ? negate(movement.amount) : movement.amount;
    if (movement.kind === 'REFUND') day.refunded = add(day.refunded, amount);
    else day.received = add(day.received, movement.kind === 'PAYMENT' ? amount : negate(amount));
    byDate.set(date, day);
  }
  return [...byDate]
    .map(([date, day]) => ({ date, ...day }))
    .filter((day) => day.received.minor !== 0n || day.refunded.minor !== 0n)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** The first and last business-local dates the series of `days` days ending today covers. */
export function revenueWindowDates(
  now: Date,
  timeZone: string,
  days: number,
): { from: string; to: string } {
  const to = localDate(now, timeZone);
  return { from: addDays(to, -(days - 1)), to };
}

/**
 * The Insights sparkline from the kept days: the same series `revenueSeries` gives from the
 * movements (payments − reversals − refunds per business-local day, oldest first, ending today).
 */
export function revenueSeriesFromDays(input: {
  readonly days: readonly RevenueDayDelta[];
  readonly now: Date;
  readonly timeZone: string;
  readonly count: number;
  readonly currency: CurrencyCode;
}): RevenueSeries {
  const { from } = revenueWindowDates(input.now, input.timeZone, input.count);
  const net = new Map<string, Money>();
  for (const day of input.days) {
    const signed = add(
      signedAmount({ kind: 'PAYMENT', amount: day.received, at: input.now }),
      signedAmount({ kind: 'REFUND', amount: day.refunded, at: input.now }),
    );
    net.set(day.date, add(net.get(day.date) ?? zero(input.currency), signed));
  }
  const series = Array.from({ length: input.count }, (_, i) => {
    const date = addDays(from, i);
    return { date, net: net.get(date) ?? zero(input.currency) };
  });
  return {
    total: series.reduce((total, day) => add(total, day.net), zero(input.currency)),
    days: series,
  };
}

/** The /quotes header from the kept totals: the same figures as `computeQuoteStats`. */
export function quoteStatsFromTotals(input: {
  readonly paidCount: number;
  readonly invoicedThisMonth: Money;
  readonly hasRefund: boolean;
}): QuoteStats {
  return {
    invoicesPaidCount: input.paidCount,
    invoicedThisMonth: input.invoicedThisMonth,
    tabs: quoteTabs(input.hasRefund),
  };
}

import { BadInputError, fail, ok, type Result } from '../errors';
import { type CurrencyCode, type Money, add, negate, zero } from '../money';
import { addDays, localDate, startOfLocalDay } from './calendar';

/**
 * A dated movement of cash (see ACCOUNTING.md): a payment received for an invoice, the reversal of
 * a payment marked by mistake, or a refund sent back. Allocating a credit note moves no cash and
 * is never a movement.
 */
export interface MoneyMovement {
  readonly kind: 'PAYMENT' | 'REVERSAL' | 'REFUND';
  readonly amount: Money;
  readonly at: Date;
}

export interface RevenueDay {
  /** YYYY-MM-DD in the business time zone. */
  readonly date: string;
  /** Payments received that day minus refunds recorded that day. */
  readonly net: Money;
}

export interface RevenueSeries {
  readonly total: Money;
  /** Oldest first, exactly `days` long, ending today (business time). */
  readonly days: readonly RevenueDay[];
}

export const DEFAULT_REVENUE_DAYS = 14;
export const MAX_REVENUE_DAYS = 366;

export function parseRevenueDays(days: number | null | undefined): Result<number, BadInputError> {
  const value = days ?? DEFAULT_REVENUE_DAYS;
  if (!Number.isInteger(value) || value < 1 || value > MAX_REVENUE_DAYS) {
    return fail(
      new BadInputError(`days must be a whole number from 1 to ${MAX_REVENUE_DAYS}.`, ['days']),
    );
  }
  return ok(value);
}

/** The first instant the series covers: the start of the oldest day, business time. */
export function revenueWindowStart(now: Date, timeZone: string, days: number): Date {
  return startOfLocalDay(addDays(localDate(now, timeZone), -(days - 1)), timeZone);
}

/**
 * The Insights sparkline: one entry per business-local day, oldest first, ending today. Payments
 * count on their paid date, reversals and refunds subtract on their own date, so a refund shows as a dip on
 * the day it was recorded even when the payment was on another day. Movements outside the window
 * are ignored.
 */
export function revenueSeries(input: {
  readonly movements: readonly MoneyMovement[];
  readonly now: Date;
  readonly timeZone: string;
  readonly days: number;
  readonly currency: CurrencyCode;
}): RevenueSeries {
  const today = localDate(input.now, input.timeZone);
  const dates = Array.from({ length: input.days }, (_, i) => addDays(today, i - input.days + 1));
  const net = new Map<string, Money>(dates.map((date) => [date, zero(input.currency)]));
  for (const movement of input.movements) {
    const date = localDate(movement.at, input.timeZone);
    const current = net.get(date);
    if (current === undefined) continue;
    net.set(date, add(current, signedAmount(movement)));
  }
  const series = dates.map((date) => ({ date, net: net.get(date) ?? zero(input.currency) }));
  return {
    total: series.reduce((total, day) => add(total, day.net), zero(input.currency)),
    days: series,
  };
}

/** A refund as the movement it is: money out, on the day it was recorded. */
export function refundMovement(amount: Money, at: Date): MoneyMovement {
  return { kind: 'REFUND', amount, at };
}

/** Signed value of a movement: + for a payment, − for a reversal or a refund. */
export function signedAmount(movement: MoneyMovement): Money {
  return movement.kind === 'PAYMENT' ? movement.amount : negate(movement.amount);
}

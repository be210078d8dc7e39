import { addDays, BadInputError, localDate, startOfLocalDay } from '@refunds/domain';

/** A list filter of whole business-local days, as instants: since ≤ t < until. */
export interface InstantRange {
  readonly since: Date | null;
  readonly until: Date | null;
}

const DATE_KEY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * "From" and "to" dates (YYYY-MM-DD, both days included, either may be absent) in the business's
 * time zone, for the lists and exports that filter by date. Anything else is bad input (400),
 * never a 500: "2026-02-30" or "yesterday" are refused, as is a range that ends before it starts.
 */
export function parseLocalDateRange(
  input: { from?: string | null | undefined; to?: string | null | undefined },
  timeZone: string,
): InstantRange {
  const from = checkDate(input.from, 'from');
  const to = checkDate(input.to, 'to');
  if (from && to && from > to) {
    throw new BadInputError('"from" must be on or before "to".', ['from']);
  }
  return {
    since: from ? startOfLocalDay(from, timeZone) : null,
    until: to ? startOfLocalDay(addDays(to, 1), timeZone) : null,
  };
}

function checkDate(value: string | null | undefined, field: string): string | null {
  if (value === null || value === undefined || value === '') return null;
  // A real calendar date: the key survives a round trip through UTC midnight unchanged.
  const midnight = DATE_KEY.test(value) ? new Date(`${value}T00:00:00Z`) : null;
  if (!midnight || Number.isNaN(midnight.getTime()) || localDate(midnight, 'UTC') !== value) {
    throw new BadInputError(`"${field}" must be a date written YYYY-MM-DD.`, [field]);
  }
  return value;
}

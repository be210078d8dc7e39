/**
 * Business dates (payments, refunds, expiries, list cursors) fall in this range; anything outside
 * it is a typo or a probe ("0000-01-01" would be stored as 1 BC).
 */
export const MIN_INSTANT_YEAR = 1900;
export const MAX_INSTANT_YEAR = 2200;

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * An ISO-8601 instant with a zone, read strictly: every field in range as written (JavaScript's
 * Date would roll 2026-02-30 over to 2 March) and a year in the range above. Null when it is not.
 */
export function parseIsoInstant(text: unknown): Date | null {
  const parts = typeof text === 'string' ? ISO_INSTANT.exec(text) : null;
  if (!parts) return null;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = [
    parts[1],
    parts[2],
    parts[3],
    parts[4],
    parts[5],
    parts[6] ?? '0',
    parts[8] ?? '0',
    parts[9] ?? '0',
  ].map(Number) as [number, number, number, number, number, number, number, number];
  const calendarDay = new Date(Date.UTC(year, month - 1, day));
  const valid =
    year >= MIN_INSTANT_YEAR &&
    year <= MAX_INSTANT_YEAR &&
    month >= 1 &&
    month <= 12 &&
    calendarDay.getUTCMonth() === month - 1 &&
    calendarDay.getUTCDate() === day &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59;
  if (!valid) return null;
  const date = new Date(text as string);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Days and months as the business sees them: in its IANA time zone, not the server's. Dates are
 * "YYYY-MM-DD" keys; instants are Date. Pure, from Intl's time-zone data.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function wallClock(instant: Date, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The business-local date of an instant, e.g. "2026-03-14". */
export function localDate(instant: Date, timeZone: string): string {
  const { year, month, day } = wallClock(instant, timeZone);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** The business-local month of an instant, e.g. "2026-03". */
export function localMonth(instant: Date, timeZone: string): string {
  return localDate(instant, timeZone).slice(0, 7);
}

function parseDateKey(date: string): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`"${date}" is not a YYYY-MM-DD date.`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

/** The calendar date `days` after (or before, when negative) a date. Calendar days, not 24 h. */
export function addDays(date: string, days: number): string {
  const { year, month, day } = parseDateKey(date);
  const shifted = new Date(Date.UTC(year, month - 1, day + days));
  return `${pad(shifted.getUTCFullYear(), 4)}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}`;
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(instant: Date, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The first instant of a local date in the zone. Usually local midnight; where a DST change skips
 * midnight (e.g. America/Santiago), the first instant that exists that day.
 */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const { year, month, day } = parseDateKey(date);
  const midnightAsUtc = Date.UTC(year, month - 1, day);
  // Two rounds settle the offset across a DST change; then step back while still the same date.
  let guess = midnightAsUtc - offsetAt(new Date(midnightAsUtc), timeZone);
  guess = midnightAsUtc - offsetAt(new Date(guess), timeZone);
  // If midnight does not exist, `guess` lands in the previous day: move forward to this date.
  while (localDate(new Date(guess), timeZone) < date) guess += 15 * 60 * 1000;
  // If `guess` is later than the day's first instant (an offset that changed at midnight), go back.
  while (localDate(new Date(guess - 15 * 60 * 1000), timeZone) === date) guess -= 15 * 60 * 1000;
  return new Date(guess);
}

/** The first instant of the local month an instant falls in. */
export function startOfLocalMonth(instant: Date, timeZone: string): Date {
  return startOfLocalDay(`${localMonth(instant, timeZone)}-01`, timeZone);
}

/** As money's formats: building one is the cost, so they are kept, boundedly. */
const dayFormats = new Map<string, Intl.DateTimeFormat>();
const DAY_FORMATS_KEPT = 256;

/**
 * A day for people, in the business's locale and time zone: "19 Nov 2026" (en-GH), "19/11/2026"
 * style is avoided on purpose because it reads differently across locales.
 */
export function formatLocalDay(instant: Date, locale: string, timeZone: string): string {
  const key = `${locale}\u0000${timeZone}`;
  let format = dayFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone });
    if (dayFormats.size >= DAY_FORMATS_KEPT) dayFormats.clear();
    dayFormats.set(key, format);
  }
  return format.format(instant);
}

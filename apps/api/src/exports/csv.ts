/**
 * RFC 4180 CSV, written by hand on purpose: quoting is a few lines, and what a library such as
 * csv-stringify does not do for us is the part that matters here — neutralising cells that a
 * spreadsheet would run as a formula (CSV injection: a customer named `=HYPERLINK(...)`).
 */

/** Text a spreadsheet treats as a formula when it starts a cell. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A free-text cell: quoted when needed, and a leading formula character defused with `'`. */
export function textCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return quote(FORMULA_START.test(value) ? `'${value}` : value);
}

/**
 * A cell we produced ourselves (a decimal amount such as "-12.50", a date, an enum): never a
 * formula, so a leading minus stays a minus and spreadsheets read the number.
 */
export function valueCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return quote(value);
}

function quote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One record, CRLF-terminated as RFC 4180 says. */
export function csvRecord(cells: readonly string[]): string {
  return `${cells.join(',')}\r\n`;
}

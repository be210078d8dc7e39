import { BadInputError } from '@refunds/domain';
import { isUnsafeText } from './text';
import { parseIsoInstant } from './instant';
import { isUuid } from './ids';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `first` as the contract allows it: 1 to 100, 20 when absent. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new BadInputError(`"first" must be between 1 and ${MAX_PAGE_SIZE}.`, ['first']);
  }
  return first;
}

export type CursorValues = readonly (string | number)[];

/**
 * What each position of a cursor holds, checked as the cursor is decoded so that a forged cursor
 * is BAD_USER_INPUT instead of a database error (a bad uuid, an int8 overflow, a year-0 date):
 * - `uuid`: a row id;
 * - `seq`: a bigserial, as a decimal string (returned as a string);
 * - `instant`: an ISO-8601 timestamp with a zone (returned as written);
 * - `int`: a 32-bit integer;
 * - `text`: a sort key such as a lower-cased name.
 */
export type CursorPart = 'uuid' | 'seq' | 'instant' | 'int' | 'text';

/** Longer than any sort key the lists use (names are at most 200 characters). */
const MAX_CURSOR_TEXT = 1000;
const MAX_SEQ = 9_223_372_036_854_775_807n;
const INT4_MIN = -2_147_483_648;
const INT4_MAX = 2_147_483_647;

/** A cursor is the sort key of the last row seen, opaque to clients. */
export function encodeCursor(values: CursorValues): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

function checkPart(value: unknown, part: CursorPart | 'any'): string | number | null {
  switch (part) {
    case 'uuid':
      return typeof value === 'string' && isUuid(value) ? value : null;
    case 'seq': {
      const digits =
        typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
      return typeof digits === 'string' && /^[0-9]{1,19}$/.test(digits) && BigInt(digits) <= MAX_SEQ
        ? digits
        : null;
    }
    case 'instant':
      return typeof value === 'string' && parseIsoInstant(value) ? value : null;
    case 'int':
      return Number.isSafeInteger(value) &&
        (value as number) >= INT4_MIN &&
        (value as number) <= INT4_MAX
        ? (value as number)
        : null;
    case 'text':
    case 'any':
      if (typeof value === 'string') {
        return value.length <= MAX_CURSOR_TEXT && !isUnsafeText(value) ? value : null;
      }
      return part === 'any' && Number.isSafeInteger(value) ? (value as number) : null;
  }
}

/**
 * Reads a cursor made by encodeCursor, with the given parts (or, for a caller not yet migrated,
 * just how many; then each value is only checked to be a safe integer or clean text). Anything
 * else is bad input.
 */
export function decodeCursor(
  cursor: string | null | undefined,
  shape: number | readonly CursorPart[],
): CursorValues | null {
  if (cursor === null || cursor === undefined || cursor === '') return null;
  const parts: ReadonlyArray<CursorPart | 'any'> =
    typeof shape === 'number' ? Array.from({ length: shape }, () => 'any' as const) : shape;
  try {
    const values: unknown =
      cursor.length <= 4 * MAX_CURSOR_TEXT
        ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
        : null;
    if (Array.isArray(values) && values.length === parts.length) {
      const checked = values.map((value, i) => checkPart(value, parts[i]!));
      if (checked.every((value) => value !== null)) return checked as CursorValues;
    }
  } catch {
    // fall through to the error below
  }
  throw new BadInputError('That "after" cursor is not one this list gave out.', ['after']);
}

export interface Page<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * Turns `size + 1` rows fetched in sort order into a page: the extra row only says there is a
 * next page.
 */
export function toPage<T>(rows: T[], size: number, cursorOf: (row: T) => CursorValues): Page<T> {
  const nodes = rows.slice(0, size);
  const last = nodes.at(-1);
  return {
    nodes,
    pageInfo: {
      hasNextPage: rows.length > size,
      endCursor: last === undefined ? null : encodeCursor(cursorOf(last)),
    },
  };
}

import { BadInputError } from '@refunds/domain';

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

/** A cursor is the sort key of the last row seen, opaque to clients. */
export function encodeCursor(values: CursorValues): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** Reads a cursor made by encodeCursor with `arity` values; anything else is bad input. */
export function decodeCursor(
  cursor: string | null | undefined,
  arity: number,
): CursorValues | null {
  if (cursor === null || cursor === undefined || cursor === '') return null;
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === arity &&
      values.every((v) => typeof v === 'string' || typeof v === 'number')
    ) {
      return values as CursorValues;
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

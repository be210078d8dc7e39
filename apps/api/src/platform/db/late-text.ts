import { randomUUID } from 'node:crypto';

/**
 * A value that an earlier statement of the same batch decides (a number from a counter, say),
 * for a later statement that is sent before that answer comes back: the later statement's JSON
 * carries a marker where the value goes, and the statement replaces it, when it runs, with what
 * `sql` reads. So a use case can send its write, its audit entry and its event in one round trip
 * (see sqlAll) even when the audit entry and the event name something only the write knows.
 *
 * The marker is random per use, so no text a client sends can contain it. The value is escaped
 * as a JSON string's content, so it cannot break the JSON it lands in. If `sql` finds nothing,
 * the statement fails (its JSON is NULL) rather than record a hole.
 */
export interface LateText {
  /** Names the statements that use it (prepared statements: one text per name). */
  readonly name: string;
  /** What the JS side puts where the value goes (inside a JSON string). */
  readonly marker: string;
  /** A scalar SQL expression of text; its parameters are numbered from `first`. */
  readonly sql: (first: number) => string;
  readonly values: readonly unknown[];
}

export function lateText(
  name: string,
  sql: (first: number) => string,
  values: readonly unknown[],
): LateText {
  return { name, marker: `late-${randomUUID()}`, sql, values };
}

/**
 * `param` (a text parameter holding JSON) with `late`'s marker replaced, for a statement whose
 * own parameters end at `$last`: the marker is `$last+1`, `late.sql`'s parameters follow it.
 */
export function withLateText(param: string, late: LateText, last: number): string {
  // The JSON string of the value without its two quotes: right(…, -1) drops the first
  // character, left(…, -1) the last. (Not btrim: it would also eat an escaped quote's.)
  const value = `left(right(to_json((${late.sql(last + 2)})::text)::text, -1), -1)`;
  return `replace(${param}::text, $${last + 1}::text, ${value})`;
}

/** The parameters withLateText adds, in its order. */
export function lateTextValues(late: LateText): unknown[] {
  return [late.marker, ...late.values];
}

/**
 * A name (or any text) as the search, the A–Z bar and the name order read it: decomposed (NFD), the
 * combining accents dropped, lower case, so "Émile" sorts and files under E and "emile" finds it.
 * Done in SQL, not in a stored column, so every row (whoever inserted it) folds the same way and
 * the filter, the order and the cursor cannot disagree; `normalize` is built into PostgreSQL 13+
 * and PGlite, where the `unaccent` extension is not. Every function here is IMMUTABLE, so the
 * same expressions are indexed (migrations/1795410300000-CustomerNameIndexes.ts): a change here
 * needs a migration that rebuilds those indexes, or the queries fall back to reading every row
 * (customer-search.integration.test.ts catches that with EXPLAIN).
 */
export const fold = (sql: string): string =>
  `lower(regexp_replace(normalize(${sql}, NFD), '[\\u0300-\\u036f]', '', 'g'))`;

export const FOLDED_NAME = fold('c.name');
export const FOLDED_EMAIL = fold('c.email');

/** The name's initial letter after folding, or "#" when it does not start with a letter. */
export const INITIAL = `(CASE WHEN upper(left(${FOLDED_NAME}, 1)) <> lower(left(${FOLDED_NAME}, 1))
  THEN upper(left(${FOLDED_NAME}, 1)) ELSE '#' END)`;

/**
 * The distinct initials of business $1, by a loose index scan of (business, initial, …): one index
 * probe per distinct initial (a few dozen at most), where SELECT DISTINCT would read every customer.
 */
export const INITIALS_SQL = `WITH RECURSIVE initials(initial) AS (
    (SELECT ${INITIAL} FROM customers c WHERE c.business_id = $1 ORDER BY 1 LIMIT 1)
    UNION ALL
    SELECT (SELECT ${INITIAL} FROM customers c
             WHERE c.business_id = $1 AND ${INITIAL} > initials.initial ORDER BY 1 LIMIT 1)
      FROM initials WHERE initials.initial IS NOT NULL
  )
  SELECT initial FROM initials WHERE initial IS NOT NULL`;

/** `text` as a LIKE pattern that matches it literally (the ESCAPE is a backslash). */
export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

import type { TestApi } from '../test/harness';

/**
 * What the customer list answered before its indexes (migrations/1795410300000-…), for tests.
 *
 * The oracle below is the list's SQL as it was before the indexes (copied, not imported), run with
 * index and bitmap scans switched off: every customer of the business is read and filtered, which
 * is what "the old semantics" means.
 */
const OLD_FOLD = (sql: string): string =>
  `lower(regexp_replace(normalize(${sql}, NFD), '[\\u0300-\\u036f]', '', 'g'))`;
const OLD_NAME = OLD_FOLD('c.name');
const OLD_INITIAL = `(CASE WHEN upper(left(${OLD_NAME}, 1)) <> lower(left(${OLD_NAME}, 1))
  THEN upper(left(${OLD_NAME}, 1)) ELSE '#' END)`;
const oldEscapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function oldList(
  api: TestApi,
  businessId: string,
  query: { search?: string; initial?: string },
): Promise<string[]> {
  const params: unknown[] = [businessId];
  let where = 'c.business_id = $1';
  const search = query.search?.trim();
  if (search) {
    params.push(`%${oldEscapeLike(search)}%`);
    const pattern = OLD_FOLD(`$${params.length}`);
    where += ` AND (${OLD_NAME} LIKE ${pattern} ESCAPE '\\' OR ${OLD_FOLD('c.email')} LIKE ${pattern} ESCAPE '\\')`;
  }
  if (query.initial === '#') where += ` AND ${OLD_INITIAL} = '#'`;
  else if (query.initial) {
    params.push(query.initial);
    where += ` AND ${OLD_INITIAL} = upper(${OLD_FOLD(`$${params.length}`)})`;
  }
  return api.db.transaction(async (tx) => {
    await tx.query('SET LOCAL enable_indexscan = off');
    await tx.query('SET LOCAL enable_indexonlyscan = off');
    await tx.query('SET LOCAL enable_bitmapscan = off');
    const rows: { id: string }[] = await tx.query(
      `SELECT c.id FROM customers c WHERE ${where} ORDER BY ${OLD_NAME}, c.id`,
      params,
    );
    return rows.map((row) => row.id);
  });
}

export async function oldInitials(api: TestApi, businessId: string): Promise<string[]> {
  const rows: { initial: string }[] = await api.db.transaction(async (tx) => {
    await tx.query('SET LOCAL enable_indexscan = off');
    await tx.query('SET LOCAL enable_indexonlyscan = off');
    await tx.query('SET LOCAL enable_bitmapscan = off');
    return tx.query(
      `SELECT DISTINCT ${OLD_INITIAL} AS initial FROM customers c WHERE c.business_id = $1`,
      [businessId],
    );
  });
  const letters = rows.map((row) => row.initial).filter((initial) => initial !== '#');
  letters.sort((a, b) => a.localeCompare(b, 'en'));
  return rows.some((row) => row.initial === '#') ? [...letters, '#'] : letters;
}

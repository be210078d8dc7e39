import { type EntityManager, QueryFailedError } from 'typeorm';
import { PGliteSessionPool } from './pglite-session-pool';

/** What `pg` gives back for one statement. */
interface PgResult {
  rows: unknown[];
  rowCount: number | null;
}

/** The part of a `pg.Client` (or pooled client) this helper uses. */
interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<PgResult>;
}

/**
 * Runs one statement of a hot path as a named prepared statement of the `pg` client that holds
 * the transaction: PostgreSQL parses and plans it once per connection instead of once per call,
 * and TypeORM's per-query wrapping (broadcaster, result reshaping) is skipped. `name`
 * must identify `text` for the life of the process (pg keeps one prepared statement per name on
 * each connection and refuses a different text under the same name).
 *
 * On the embedded PGlite database (one session, its own protocol) it is simply `tx.query`.
 * Errors are wrapped in TypeORM's QueryFailedError, as tx.query wraps them, so the transaction
 * retry (40001/40P01), sqlState() and the error mapping treat both paths alike.
 */
export async function sql<Row = Record<string, unknown>>(
  tx: EntityManager,
  name: string,
  text: string,
  values: readonly unknown[],
): Promise<Row[]> {
  const runner = tx.queryRunner;
  const driver = tx.connection.driver as { master?: unknown };
  if (!runner || runner.isReleased || driver.master instanceof PGliteSessionPool) {
    return (await tx.query(text, [...values])) as Row[];
  }
  const client = (await runner.connect()) as PgClient;
  // Logged like every other statement (statement counts in tests, `logging` when enabled).
  tx.connection.logger.logQuery(text, [...values], runner);
  try {
    const result = await client.query({ name, text, values: [...values] });
    return result.rows as Row[];
  } catch (error) {
    throw new QueryFailedError(text, [...values], error as Error);
  }
}

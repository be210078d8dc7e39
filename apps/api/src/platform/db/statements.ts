import { type EntityManager, QueryFailedError } from 'typeorm';
import { PGliteSessionPool } from './pglite-session-pool';
import {
  corked,
  openTransactionOf,
  type PipelinedClient,
  sendBegin,
  sendCommit,
  TransactionEndedError,
} from './pipelined-transaction';

/** What `pg` gives back for one statement. */
interface PgResult {
  rows: unknown[];
  rowCount: number | null;
}

/** The part of a `pg.Client` (or pooled client) this helper uses. */
type PgClient = PipelinedClient & {
  query(config: { name: string; text: string; values: unknown[] }): Promise<PgResult>;
};

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
 *
 * `commit: true` ends the use case's transaction with this statement: COMMIT is sent right behind
 * it, in the same round trip (see pipelined-transaction.ts), and the call returns once both are
 * answered. Only for a last statement after which nothing can fail or decide: the use case's
 * decision is made and its payload is built from what it holds. If the statement fails, the
 * COMMIT becomes a ROLLBACK and the error propagates as usual. Elsewhere (PGlite, a transaction
 * of TypeORM's own) the COMMIT follows when the work returns.
 */
export async function sql<Row = Record<string, unknown>>(
  tx: EntityManager,
  name: string,
  text: string,
  values: readonly unknown[],
  options: { readonly commit?: boolean } = {},
): Promise<Row[]> {
  const [rows] = await sqlAll(tx, [{ name, text, values }], options);
  return rows as Row[];
}

/** One named statement for `sqlAll`. */
export interface Statement {
  readonly name: string;
  readonly text: string;
  readonly values: readonly unknown[];
}

/**
 * Several statements of a hot path, none of which needs what another returns, written at once
 * and answered in order (one round trip on PostgreSQL, see pipelined-transaction.ts), e.g. a use
 * case's write, its kept totals and its event. Their effects are exactly those of running them
 * one after the other: the server runs them in this order, in the transaction. When one fails the
 * ones after it fail with it (the transaction is aborted) and the first failure propagates.
 * Returns each statement's rows. `commit` as for `sql`.
 */
export async function sqlAll(
  tx: EntityManager,
  statements: readonly Statement[],
  options: { readonly commit?: boolean } = {},
): Promise<unknown[][]> {
  const runner = tx.queryRunner;
  const driver = tx.connection.driver as { master?: unknown };
  if (!runner || runner.isReleased || driver.master instanceof PGliteSessionPool) {
    const all: unknown[][] = [];
    for (const { text, values } of statements) {
      all.push((await tx.query(text, [...values])) as unknown[]);
    }
    return all;
  }
  const open = openTransactionOf(tx);
  if (open?.ended) throw new TransactionEndedError();
  const client = (await runner.connect()) as PgClient;
  const logger = tx.connection.logger;
  let committed: Promise<unknown> | null = null;
  // One write: BEGIN if this is the transaction's first statement, the statements, COMMIT.
  const sent = corked(client, () => {
    if (open && !open.began) {
      logger.logQuery('BEGIN', [], runner);
      sendBegin(open);
    }
    const answers = statements.map(({ name, text, values }) => {
      // Logged like every other statement (statement counts in tests, `logging` when enabled).
      logger.logQuery(text, [...values], runner);
      const answer = client.query({ name, text, values: [...values] });
      answer.catch(() => undefined); // each is awaited below, in order
      return answer;
    });
    if (options.commit === true && open) {
      logger.logQuery('COMMIT', [], runner);
      committed = sendCommit(open);
    }
    return answers;
  });
  const all: unknown[][] = [];
  for (const [i, answer] of sent.entries()) {
    try {
      all.push((await answer).rows);
    } catch (error) {
      await Promise.allSettled([...sent, committed]);
      const { text, values } = statements[i]!;
      throw new QueryFailedError(text, [...values], error as Error);
    }
  }
  if (committed) {
    try {
      await committed;
    } catch (error) {
      throw new QueryFailedError('COMMIT', [], error as Error);
    }
  }
  return all;
}

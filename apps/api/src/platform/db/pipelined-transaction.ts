import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/**
 * A use case's transaction on PostgreSQL in as few round trips as the protocol allows, using
 * node-postgres's pipeline mode (a query is written at once, without waiting for the answer to
 * the one before it; the server answers in order):
 *
 * - BEGIN goes out together with the use case's first statement: one round trip, not two.
 * - A use case whose last statement decides nothing after it can send COMMIT together with that
 *   statement (`sql(..., { commit: true })`): one round trip, not two.
 *
 * A credit refund is then two round trips (BEGIN + lock and read; write + COMMIT) where it was
 * four. On a loaded API each round trip is also a wait in Node's event loop, and on a hot row that
 * wait is spent holding the row's lock, so this is what the hot figures of `pnpm bench` gain most
 * from.
 *
 * Written here, not taken from TypeORM: TypeORM's `transaction()` awaits START TRANSACTION and
 * COMMIT as statements of their own. This runs the same query runner (every service still gets a
 * TypeORM EntityManager bound to it) and marks it as inside a transaction the way TypeORM's
 * startTransaction does, so TypeORM never opens one of its own inside ours.
 *
 * When BEGIN's answer is an error the statements written behind it ran outside a transaction;
 * that can only be a broken connection, which fails them all, and the attempt is rolled back and
 * reported like any other failure.
 */

/** The part of a pooled `pg` client this file uses (pipeline mode is a property of the client). */
export interface PipelinedClient {
  pipeline: boolean;
  query(text: string): Promise<unknown>;
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** An open pipelined transaction: what `sql` needs to end it with a statement. */
export interface OpenTransaction {
  readonly client: PipelinedClient;
  /** The COMMIT (or ROLLBACK) once it was sent; after that no statement may run on the runner. */
  ended: Promise<unknown> | null;
  /** Called just before COMMIT is sent: a connection lost from then on may have committed. */
  readonly onCommitting: () => void;
}

const openTransactions = new WeakMap<QueryRunner, OpenTransaction>();

/** The pipelined transaction `tx` belongs to, if it is one. */
export function openTransactionOf(tx: EntityManager): OpenTransaction | undefined {
  return tx.queryRunner ? openTransactions.get(tx.queryRunner) : undefined;
}

/** Sends COMMIT behind whatever was written before it; the caller awaits it. */
export function sendCommit(open: OpenTransaction): Promise<unknown> {
  if (open.ended) throw new TransactionEndedError();
  open.onCommitting();
  open.ended = open.client.query('COMMIT');
  // Awaited by whoever sent it; this keeps an early failure elsewhere from leaving it unhandled.
  open.ended.catch(() => undefined);
  return open.ended;
}

export class TransactionEndedError extends Error {
  constructor() {
    super('a statement was sent after its transaction had ended (COMMIT was already sent)');
  }
}

export async function pipelinedTransaction<T>(
  dataSource: DataSource,
  work: (tx: EntityManager) => Promise<T>,
  onCommitting: () => void,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  const client = (await runner.connect()) as PipelinedClient;
  client.pipeline = true;
  const began = client.query('BEGIN');
  began.catch(() => undefined);
  const open: OpenTransaction = { client, ended: null, onCommitting };
  openTransactions.set(runner, open);
  const flags = runner as unknown as { isTransactionActive: boolean; transactionDepth: number };
  flags.isTransactionActive = true;
  flags.transactionDepth = 1;
  // Nothing may run on this connection once COMMIT has gone out: it would run outside the
  // transaction, after it committed.
  const query = runner.query.bind(runner);
  runner.query = ((...args: Parameters<QueryRunner['query']>) =>
    open.ended
      ? Promise.reject(new TransactionEndedError())
      : query(...args)) as QueryRunner['query'];
  dataSource.logger.logQuery('BEGIN', [], runner);
  try {
    const result = await work(runner.manager);
    await began;
    if (!open.ended) {
      dataSource.logger.logQuery('COMMIT', [], runner);
      await sendCommit(open);
    } else {
      await open.ended;
    }
    return result;
  } catch (error) {
    if (!open.ended) {
      open.ended = client.query('ROLLBACK');
      await open.ended.catch(() => undefined);
    } else {
      // A failed last statement: its COMMIT came back as ROLLBACK. Wait for it before the
      // connection goes back to the pool.
      await open.ended.catch(() => undefined);
    }
    throw error;
  } finally {
    await began.catch(() => undefined);
    flags.isTransactionActive = false;
    flags.transactionDepth = 0;
    client.pipeline = false;
    openTransactions.delete(runner);
    await runner.release();
  }
}

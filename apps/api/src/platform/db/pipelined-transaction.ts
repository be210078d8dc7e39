import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/**
 * A use case's transaction on PostgreSQL in as few round trips as the protocol allows, using
 * node-postgres's pipeline mode (a query is written at once, without waiting for the answer to
 * the one before it; the server answers in order):
 *
 * - BEGIN goes out together with the use case's first statement (in the same write): one round
 *   trip, not two. A use case that sends no statement (an input refused before any read) sends
 *   neither BEGIN nor COMMIT.
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
 * that can only be a broken connection, which fails them all, and the attempt is reported like
 * any other failure.
 */

/** The part of a pooled `pg` client this file uses (pipeline mode is a property of the client). */
export interface PipelinedClient {
  pipeline: boolean;
  query(text: string): Promise<unknown>;
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
  /** pg's connection; its socket is corked around a batch so the batch is one write. */
  readonly connection?: { readonly stream?: { cork?(): void; uncork?(): void } };
}

/** An open pipelined transaction: what `sql` needs to begin it and to end it with a statement. */
export interface OpenTransaction {
  readonly client: PipelinedClient;
  /** BEGIN once it was sent: just before the transaction's first statement. */
  began: Promise<unknown> | null;
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

/** Sends BEGIN unless it went out already; the statements sent next follow it unawaited. */
export function sendBegin(open: OpenTransaction): void {
  if (open.ended) throw new TransactionEndedError();
  if (open.began) return;
  open.began = open.client.query('BEGIN');
  // Awaited when the transaction ends; this keeps an early failure from going unhandled.
  open.began.catch(() => undefined);
}

/** Sends COMMIT behind whatever was written before it; the caller awaits it. */
export function sendCommit(open: OpenTransaction): Promise<unknown> {
  if (open.ended) throw new TransactionEndedError();
  open.onCommitting();
  open.ended = open.client.query('COMMIT');
  open.ended.catch(() => undefined);
  return open.ended;
}

/**
 * Runs `send` with the client's socket corked, so everything it writes (BEGIN, several
 * statements, COMMIT) leaves in one write: a system call each is most of what a round trip costs
 * on loopback, on both sides.
 */
export function corked<T>(client: PipelinedClient, send: () => T): T {
  const stream = client.connection?.stream;
  stream?.cork?.();
  try {
    return send();
  } finally {
    stream?.uncork?.();
  }
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
  const open: OpenTransaction = { client, began: null, ended: null, onCommitting };
  openTransactions.set(runner, open);
  const flags = runner as unknown as { isTransactionActive: boolean; transactionDepth: number };
  flags.isTransactionActive = true;
  flags.transactionDepth = 1;
  // A statement through TypeORM (not sql/sqlAll) sends BEGIN first if nothing did; and nothing may
  // run on this connection once COMMIT has gone out: it would run outside the transaction.
  const query = runner.query.bind(runner);
  runner.query = ((...args: Parameters<QueryRunner['query']>) => {
    if (open.ended) return Promise.reject(new TransactionEndedError());
    if (!open.began) {
      dataSource.logger.logQuery('BEGIN', [], runner);
      sendBegin(open);
    }
    return query(...args);
  }) as QueryRunner['query'];
  try {
    const result = await work(runner.manager);
    // A work that sent nothing has nothing to commit.
    if (open.began) {
      await open.began;
      if (!open.ended) {
        dataSource.logger.logQuery('COMMIT', [], runner);
        await sendCommit(open);
      } else {
        await open.ended;
      }
    }
    return result;
  } catch (error) {
    if (open.began && !open.ended) {
      open.ended = client.query('ROLLBACK');
    }
    // A failed last statement's COMMIT came back as ROLLBACK: either way, wait for the end before
    // the connection goes back to the pool.
    await open.ended?.catch(() => undefined);
    throw error;
  } finally {
    await open.began?.catch(() => undefined);
    flags.isTransactionActive = false;
    flags.transactionDepth = 0;
    client.pipeline = false;
    openTransactions.delete(runner);
    await runner.release();
  }
}

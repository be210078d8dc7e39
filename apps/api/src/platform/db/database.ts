import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import type { StorageKind } from './data-source';
import { isDatabaseUnavailable } from './availability';
import { transactionRetries } from '../observability/metrics';
import { pipelinedTransaction } from './pipelined-transaction';

/** PostgreSQL's "try again" answers: serialization failure and deadlock. */
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;
/**
 * A lost connection is retried for a little longer than a lock conflict: long enough to ride out
 * a pool reconnect or a fast PostgreSQL restart, short enough that the client sees a 503 (and
 * retries with its idempotency key) well before a proxy's timeout.
 */
const MAX_CONNECTION_ATTEMPTS = 4;
const CONNECTION_BACKOFF_MS = 250;

export type Transaction = EntityManager;

/**
 * The one way services reach the database. A service opens a transaction for each use case and
 * does all of its reads and writes through the manager it is given, so the use case commits or
 * rolls back as a whole.
 */
export class Database {
  /** PostgreSQL through `pg`: BEGIN and COMMIT ride with statements (pipelined-transaction.ts). */
  private readonly pipelined: boolean;

  constructor(
    readonly dataSource: DataSource,
    readonly kind: StorageKind,
    options: { readonly pipelined?: boolean } = {},
  ) {
    this.pipelined = options.pipelined ?? kind === 'postgres';
  }

  /** For reads outside a use case (field resolvers, lists). */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /**
   * Runs `work` in one transaction. A serialization failure or deadlock is retried from the start,
   * as a whole, with a short random back-off; so is a lost connection, but only when it broke
   * before COMMIT was sent — then nothing was committed and running again cannot double anything.
   * A connection lost during COMMIT is ambiguous (it may have committed): it propagates, and the
   * client's idempotency key makes its retry safe. Any other error rolls back and propagates.
   */
  async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let committing = false;
      try {
        if (this.pipelined) {
          return await pipelinedTransaction(this.dataSource, work, () => {
            committing = true;
          });
        }
        return await this.dataSource.transaction(async (tx) => {
          const result = await work(tx);
          committing = true; // TypeORM sends COMMIT as soon as this callback returns
          return result;
        });
      } catch (error) {
        if (isRetryable(error) && attempt < MAX_ATTEMPTS) {
          transactionRetries.inc({
            reason: sqlState(error) === '40P01' ? 'deadlock' : 'serialization',
          });
          await sleep(Math.random() * 20 * attempt);
          continue;
        }
        if (!committing && isDatabaseUnavailable(error) && attempt < MAX_CONNECTION_ATTEMPTS) {
          transactionRetries.inc({ reason: 'connection' });
          await sleep(CONNECTION_BACKOFF_MS * attempt);
          continue;
        }
        throw error;
      }
    }
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isRetryable(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: string } | undefined)?.code;
  return code !== undefined && RETRYABLE_SQLSTATES.has(code);
}

/** The SQLSTATE of a failed query, e.g. 23505 for a unique violation. */
export function sqlState(error: unknown): string | undefined {
  return error instanceof QueryFailedError
    ? (error.driverError as { code?: string } | undefined)?.code
    : undefined;
}

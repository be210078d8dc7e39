import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import type { StorageKind } from './data-source';

/** PostgreSQL's "try again" answers: serialization failure and deadlock. */
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

export type Transaction = EntityManager;

/**
 * The one way services reach the database. A service opens a transaction for each use case and
 * does all of its reads and writes through the manager it is given, so the use case commits or
 * rolls back as a whole.
 */
export class Database {
  constructor(
    readonly dataSource: DataSource,
    readonly kind: StorageKind,
  ) {}

  /** For reads outside a use case (field resolvers, lists). */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /**
   * Runs `work` in one transaction. A serialization failure or deadlock is retried from the start,
   * as a whole, with a short random back-off; any other error rolls back and propagates.
   */
  async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction(work);
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
      }
    }
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

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

import { EventEmitter } from 'node:events';
import type { PGlite, Results } from '@electric-sql/pglite';

/**
 * A `pg`-shaped pool over one embedded PGlite database, for TypeORM's postgres driver.
 *
 * PGlite has exactly one session. Two transactions sent to it at the same time do not wait for
 * each other: their statements interleave in that one session, so one transaction's COMMIT
 * commits the other's half-done writes and a ROLLBACK discards both — writes are silently lost.
 * This pool therefore behaves like a pool of size one: a caller leases the session, every other
 * caller queues (first come, first served) until it is released. TypeORM leases for a whole
 * transaction, and for each single query outside one, so everything on PGlite runs one at a time.
 */
export class PGliteSessionPool extends EventEmitter {
  private leased = false;
  private readonly waiting: Array<() => void> = [];
  private readonly client: PGliteSessionClient;

  constructor(
    private readonly db: PGlite,
    /** Releases the lock on the database's folder, once the database is closed. */
    private readonly releaseFolder?: () => Promise<void>,
  ) {
    super();
    this.client = new PGliteSessionClient(db);
  }

  get totalCount(): number {
    return 1;
  }
  get idleCount(): number {
    return this.leased ? 0 : 1;
  }
  get waitingCount(): number {
    return this.waiting.length;
  }

  /** pg's `pool.connect(callback)` (what TypeORM calls) and `await pool.connect()`. */
  connect(
    callback?: (
      error: Error | null,
      client: PGliteSessionClient | null,
      release: () => void,
    ) => void,
  ): Promise<PGliteSessionClient & { release: () => void }> | void {
    const leased = this.lease().then((release) => Object.assign(this.client, { release }));
    if (!callback) return leased;
    leased.then(
      (client) => callback(null, client, client.release),
      (error: Error) => callback(error, null, () => undefined),
    );
  }

  async query(sql: string, params?: unknown[]): Promise<PGliteQueryResult> {
    const release = await this.lease();
    try {
      return await this.client.query(sql, params);
    } finally {
      release();
    }
  }

  end(callback?: (error?: Error) => void): Promise<void> {
    const closing = this.db.close().then(() => this.releaseFolder?.());
    if (callback)
      closing.then(
        () => callback(),
        (error: Error) => callback(error),
      );
    return closing;
  }

  private lease(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = () => {
        this.leased = true;
        let released = false;
        resolve(() => {
          if (released) return; // pg tolerates a double release; so do we
          released = true;
          this.leased = false;
          this.waiting.shift()?.();
        });
      };
      if (this.leased) this.waiting.push(grant);
      else grant();
    });
  }
}

export interface PGliteQueryResult {
  rows: unknown[];
  rowCount: number;
  command: string;
  fields: Results['fields'];
}

/** The one session, shaped like a `pg.Client` for what TypeORM uses of it. */
class PGliteSessionClient extends EventEmitter {
  constructor(private readonly db: PGlite) {
    super();
  }

  async query(
    sql: string,
    params?: unknown[] | ((error: Error | null, result?: PGliteQueryResult) => void),
    callback?: (error: Error | null, result?: PGliteQueryResult) => void,
  ): Promise<PGliteQueryResult> {
    const values = typeof params === 'function' ? undefined : params;
    const done = typeof params === 'function' ? params : callback;
    try {
      const result = await this.run(sql, values);
      done?.(null, result);
      return result;
    } catch (error) {
      if (done) {
        done(error as Error);
        return { rows: [], rowCount: 0, command: '', fields: [] };
      }
      throw error;
    }
  }

  private async run(sql: string, values: unknown[] | undefined): Promise<PGliteQueryResult> {
    const command = /^\s*([a-z]+)/i.exec(sql)?.[1]?.toUpperCase() ?? '';
    // The extended protocol (needed for parameters) takes one statement; migrations and
    // TypeORM's own bookkeeping send several without parameters, which `exec` runs as a script.
    const result =
      values && values.length > 0
        ? await this.db.query(sql, values)
        : ((await this.db.exec(sql)).at(-1) ?? { rows: [], fields: [], affectedRows: 0 });
    return {
      rows: result.rows,
      rowCount: result.affectedRows ?? result.rows.length,
      command,
      fields: result.fields,
    };
  }
}

import { mkdirSync } from 'node:fs';
import { DataSource, type DataSourceOptions, type MixedList } from 'typeorm';
import { type Extension, PGlite } from '@electric-sql/pglite';
import { PGliteSessionPool } from './pglite-session-pool';
import { SnakeNamingStrategy } from './naming-strategy';
import { lockDataDir, type ReleaseLock } from './folder-lock';
import { explainDataDirFailure, explainDatabaseFailure } from './startup-errors';

export interface StorageOptions {
  /** A PostgreSQL connection string; when absent, the embedded PGlite database is used. */
  readonly databaseUrl?: string | undefined;
  /** Folder of the embedded database; `undefined` keeps it in memory (tests). */
  readonly dataDir?: string | undefined;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly entities: MixedList<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly migrations: MixedList<Function>;
  readonly poolSize?: number;
  /**
   * Called when the lock on `dataDir` is lost (its lock folder removed or not refreshed in time):
   * another process may now open the folder, so this one must stop writing. Default: throw.
   */
  readonly onDataDirLockLost?: (error: Error) => void;
}

/**
 * Migrations of every process on one PostgreSQL database run one at a time under this advisory
 * lock: processes started together (several per machine, a rolling deploy) would otherwise all
 * create the same tables and all but one fail.
 */
const MIGRATION_LOCK_KEY = 1_795_300_000;

/** A server that does not answer is reported within this time instead of hanging the caller. */
const CONNECT_TIMEOUT_MS = 5_000;

export type StorageKind = 'postgres' | 'pglite';

/** Opens the database the configuration names and brings its schema up to date. */
export async function openDataSource(
  options: StorageOptions,
): Promise<{ dataSource: DataSource; kind: StorageKind }> {
  const common = {
    entities: options.entities,
    migrations: options.migrations,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    // Entities use ids generated in the application; no uuid extension is needed.
    installExtensions: false,
    logging: ['error' as const],
  };
  const postgres = 'postgres' as const;

  let config: DataSourceOptions;
  let kind: StorageKind;
  if (options.databaseUrl) {
    kind = 'postgres';
    config = {
      ...common,
      type: postgres,
      url: options.databaseUrl,
      poolSize: options.poolSize ?? 10,
      connectTimeoutMS: CONNECT_TIMEOUT_MS,
    };
  } else {
    kind = 'pglite';
    let releaseLock: ReleaseLock | undefined;
    if (options.dataDir) {
      const dataDir = options.dataDir;
      try {
        mkdirSync(dataDir, { recursive: true });
        releaseLock = await lockDataDir(
          dataDir,
          options.onDataDirLockLost ??
            ((error) => {
              throw error;
            }),
        );
      } catch (error) {
        throw explainDataDirFailure(error, dataDir);
      }
    }
    const pool = new PGliteSessionPool(await openPGlite(options.dataDir), releaseLock);
    config = { ...common, type: postgres, driver: pgDriverFor(pool) };
  }

  const dataSource = new DataSource(config);
  try {
    await dataSource.initialize();
    if (kind === 'postgres') await migrateUnderLock(dataSource);
    else await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    throw explainDatabaseFailure(error, options.databaseUrl);
  }
  return { dataSource, kind };
}

/** Runs pending migrations while holding the database-wide migration lock (see above). */
async function migrateUnderLock(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

/** Whether every migration this build knows has run (readiness). */
export async function migrationsPending(dataSource: DataSource): Promise<boolean> {
  return dataSource.showMigrations();
}

/*
 * PGlite's contrib extensions live at package subpaths (`exports`), which this repo's node10 module
 * resolution cannot type; Node's require resolves them.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const { pg_trgm } = require('@electric-sql/pglite/contrib/pg_trgm') as { pg_trgm: Extension };
const { btree_gin } = require('@electric-sql/pglite/contrib/btree_gin') as {
  btree_gin: Extension;
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The embedded database, in a folder or in memory, with the same type parsing as `pg`. */
export async function openPGlite(dataDir: string | undefined): Promise<PGlite> {
  return PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    // The customer search's trigram indexes (customers/migrations/1795410300000-…): PGlite only
    // offers the extensions it is given here; CREATE EXTENSION in the migration then installs them.
    extensions: { pg_trgm, btree_gin },
    // int8 and numeric stay strings, as `pg` gives them, so the two storages behave alike.
    parsers: { 20: (value: string) => value, 1700: (value: string) => value },
  });
}

/** What TypeORM's postgres driver expects of the `pg` module: a Pool constructor. */
export function pgDriverFor(pool: PGliteSessionPool): { Pool: new () => PGliteSessionPool } {
  return {
    Pool: function SessionPool() {
      return pool;
    } as unknown as new () => PGliteSessionPool,
  };
}

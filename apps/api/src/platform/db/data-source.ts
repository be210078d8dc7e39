import { mkdirSync } from 'node:fs';
import { DataSource, type DataSourceOptions, type MixedList } from 'typeorm';
import { PGlite } from '@electric-sql/pglite';
import { PGliteSessionPool } from './pglite-session-pool';
import { SnakeNamingStrategy } from './naming-strategy';

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
}

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
    };
  } else {
    kind = 'pglite';
    const pool = new PGliteSessionPool(await openPGlite(options.dataDir));
    config = { ...common, type: postgres, driver: pgDriverFor(pool) };
  }

  const dataSource = new DataSource(config);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return { dataSource, kind };
}

/** The embedded database, in a folder or in memory, with the same type parsing as `pg`. */
export async function openPGlite(dataDir: string | undefined): Promise<PGlite> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  return PGlite.create({
    ...(dataDir ? { dataDir } : {}),
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

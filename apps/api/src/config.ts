import { availableParallelism } from 'node:os';
import path from 'node:path';
import { StartupError } from './platform/db/startup-errors';

export interface AppConfig {
  /** PostgreSQL when set; otherwise the embedded PGlite database in `dataDir`. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  /** The interface to listen on; unset: every interface. */
  readonly host: string | undefined;
  readonly port: number;
  readonly production: boolean;
  /** GraphQL introspection: on in development; in production only with INTROSPECTION=true. */
  readonly introspection: boolean;
  /** The built SPA to serve from the API's port, when it exists. */
  readonly webDist: string;
  /** How long a stop waits for requests in flight before it closes their connections. */
  readonly shutdownTimeoutMs: number;
  /**
   * API processes to run (node:cluster workers sharing the port). API_PROCESSES, by default one
   * per core in production on PostgreSQL and 1 otherwise. The embedded database is one process
   * by nature (its DATA_DIR is locked by the process that opened it): always 1 without
   * DATABASE_URL, whatever API_PROCESSES says (`processesRequested` keeps what was asked, so the
   * log can say it was not honoured).
   */
  readonly processes: number;
  readonly processesRequested: number;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = Number(env.PORT ?? 4000);
  if (!/^\d+$/.test(env.PORT ?? '4000') || port > 65535) {
    throw new StartupError(`PORT must be a port number (0-65535), got "${env.PORT}".`);
  }
  const shutdownTimeoutMs = Number(env.SHUTDOWN_TIMEOUT_MS ?? 10_000);
  if (!Number.isInteger(shutdownTimeoutMs) || shutdownTimeoutMs < 0) {
    throw new StartupError(
      `SHUTDOWN_TIMEOUT_MS must be a whole number of milliseconds, got "${env.SHUTDOWN_TIMEOUT_MS}".`,
    );
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new StartupError(
      `DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:5432/database); unset it to use the embedded database.`,
    );
  }
  const processesRequested = readProcesses(env, Boolean(databaseUrl));
  return {
    databaseUrl,
    dataDir: path.resolve(env.DATA_DIR || '.data'),
    host: env.HOST || undefined,
    port,
    production: env.NODE_ENV === 'production',
    introspection: env.NODE_ENV !== 'production' || env.INTROSPECTION === 'true',
    webDist: path.resolve(env.WEB_DIST ?? path.join(__dirname, '../../web/dist')),
    shutdownTimeoutMs,
    processes: databaseUrl ? processesRequested : 1,
    processesRequested,
  };
}

function readProcesses(env: NodeJS.ProcessEnv, onPostgres: boolean): number {
  const raw = env.API_PROCESSES;
  if (raw === undefined || raw === '') {
    return env.NODE_ENV === 'production' && onPostgres ? availableParallelism() : 1;
  }
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > 256) {
    throw new StartupError(
      `API_PROCESSES must be a whole number of processes from 1 to 256, got "${raw}".`,
    );
  }
  return value;
}

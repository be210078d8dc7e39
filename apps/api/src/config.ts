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
  return {
    databaseUrl,
    dataDir: path.resolve(env.DATA_DIR || '.data'),
    host: env.HOST || undefined,
    port,
    production: env.NODE_ENV === 'production',
    introspection: env.NODE_ENV !== 'production' || env.INTROSPECTION === 'true',
    webDist: path.resolve(env.WEB_DIST ?? path.join(__dirname, '../../web/dist')),
    shutdownTimeoutMs,
  };
}

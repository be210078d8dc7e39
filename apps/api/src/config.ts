import path from 'node:path';

export interface AppConfig {
  /** PostgreSQL when set; otherwise the embedded PGlite database in `dataDir`. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly port: number;
  readonly production: boolean;
  /** The built SPA to serve from the API's port, when it exists. */
  readonly webDist: string;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  }
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.DATA_DIR ?? '.data'),
    port,
    production: env.NODE_ENV === 'production',
    webDist: path.resolve(env.WEB_DIST ?? path.join(__dirname, '../../web/dist')),
  };
}

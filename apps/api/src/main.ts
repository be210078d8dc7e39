import 'reflect-metadata';
import { readConfig } from './config';
import { openDataSource } from './platform/db/data-source';
import { Database } from './platform/db/database';
import { systemClock } from './platform/clock';
import { createApp } from './platform/http/app';
import { allEntities, allMigrations } from './features';

async function main(): Promise<void> {
  const config = readConfig();
  const { dataSource, kind } = await openDataSource({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    entities: allEntities,
    migrations: allMigrations,
  });
  const db = new Database(dataSource, kind);
  const app = await createApp({
    db,
    clock: systemClock,
    production: config.production,
    introspection: config.introspection,
    webDist: config.webDist,
    startWorkers: true,
  });
  const server = app.http.listen(config.port, () => {
    const where =
      kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;
    console.log(`Refunds back-office on http://localhost:${config.port} — storage: ${where}`);
  });
  // Longer than browsers' and proxies' idle timeouts, so the server is never the side that closes
  // a kept-alive connection while a request is on its way (the embedded database can block briefly).
  server.keepAliveTimeout = 65_000;
  const shutdown = async () => {
    server.close();
    await app.stop();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

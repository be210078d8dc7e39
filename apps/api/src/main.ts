import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readConfig, type AppConfig } from './config';
import { openDataSource } from './platform/db/data-source';
import { Database } from './platform/db/database';
import { StartupError, explainListenFailure } from './platform/db/startup-errors';
import { systemClock } from './platform/clock';
import { createApp, type App } from './platform/http/app';
import { logger } from './platform/observability/logger';
import { allEntities, allMigrations } from './features';

/**
 * The API process: validate the configuration, open (and lock, and migrate) the database, listen,
 * and on SIGTERM or SIGINT stop cleanly: no new connections, requests in flight finished (within
 * SHUTDOWN_TIMEOUT_MS), workers stopped, database closed, exit 0. A start-up failure prints one or
 * two lines saying what is wrong and how to fix it, and exits 1.
 */
async function main(): Promise<void> {
  const config = readConfig();
  const { dataSource, kind } = await openDataSource({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    entities: allEntities,
    migrations: allMigrations,
    onDataDirLockLost: (error) => {
      // Another process may open the folder now; writing on would corrupt the database.
      logger.fatal({ err: error }, `lost the lock on DATA_DIR ${config.dataDir}; stopping`);
      process.exit(1);
    },
  });
  const db = new Database(dataSource, kind);
  let app: App;
  try {
    app = await createApp({
      db,
      clock: systemClock,
      production: config.production,
      introspection: config.introspection,
      webDist: config.webDist,
      startWorkers: true,
    });
  } catch (error) {
    await db.close();
    throw error;
  }

  const server = createServer(app.http);
  // Longer than browsers' and proxies' idle timeouts, so the server is never the side that closes
  // a kept-alive connection while a request is on its way (the embedded database can block briefly).
  server.keepAliveTimeout = 65_000;
  try {
    await listen(server, config);
  } catch (error) {
    await app.stop();
    await db.close();
    throw explainListenFailure(error, config.host, config.port);
  }
  const { port } = server.address() as AddressInfo;
  const storage =
    kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;
  logger.info(
    { url: `http://${config.host ?? 'localhost'}:${port}`, port, storage },
    `Refunds back-office on http://${config.host ?? 'localhost'}:${port} — storage: ${storage}`,
  );

  let stoppingSince: number | undefined;
  const stop = async (signal: NodeJS.Signals) => {
    if (stoppingSince !== undefined) {
      // The same stop delivered twice (a terminal signals the whole process group, and `npm
      // start` forwards it too) is ignored; a deliberate second one a moment later forces it.
      if (Date.now() - stoppingSince < 1_000) return;
      logger.warn({ signal }, 'second signal while stopping: exiting now');
      process.exit(1);
    }
    stoppingSince = Date.now();
    logger.info({ signal }, 'stopping: no new connections; finishing the requests in flight');
    app.beginStopping();
    try {
      await closeServer(server, config.shutdownTimeoutMs);
      await app.stop();
      await db.close();
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'stopping failed');
      process.exit(1);
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => void stop(signal));
  }
}

function listen(server: Server, config: AppConfig): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Stops accepting connections and waits for the requests in flight. Connections that are kept
 * alive but idle are closed as soon as their request is answered (every 100 ms), so a client
 * cannot hold the process open; after `timeoutMs` whatever is left is cut.
 */
function closeServer(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
    const deadline = setTimeout(() => {
      logger.warn({ timeoutMs }, 'requests still in flight at the shutdown deadline: closing them');
      server.closeAllConnections();
    }, timeoutMs);
    server.close(() => {
      clearInterval(idleSweep);
      clearTimeout(deadline);
      resolve();
    });
  });
}

main().catch((error: unknown) => {
  if (error instanceof StartupError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    logger.fatal({ err: error }, 'start-up failed');
    process.stderr.write(
      `Start-up failed: ${String(error)} (the log line above has the details)\n`,
    );
  }
  process.exit(1);
});

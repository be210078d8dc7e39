import 'reflect-metadata';
import cluster from 'node:cluster';
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
import { superviseWorkers } from './platform/cluster/primary';
import { onPrimaryMessage, tellPrimary } from './platform/cluster/worker-channel';
import { reportMetricsToPrimary } from './platform/cluster/cluster-metrics';

/**
 * The API process: validate the configuration, open (and lock, and migrate) the database, listen,
 * and on SIGTERM or SIGINT stop cleanly: no new connections, requests in flight finished (within
 * SHUTDOWN_TIMEOUT_MS), workers stopped, database closed, exit 0. A start-up failure prints one or
 * two lines saying what is wrong and how to fix it, and exits 1.
 *
 * With several processes (API_PROCESSES; by default one per core in production on PostgreSQL)
 * this process is node:cluster's primary: it validates the configuration and migrates the
 * database ONCE (so a start-up failure is reported once), then forks the API workers, which
 * share the port and everything else through PostgreSQL (platform/cluster/primary.ts). The
 * embedded database is always one process: its DATA_DIR is locked by the process that opens it.
 */
async function main(): Promise<void> {
  if (cluster.isWorker) return serve(readConfig(), 'worker');
  const config = readConfig();
  if (config.processesRequested > config.processes) {
    logger.warn(
      { processes: config.processes, requested: config.processesRequested },
      `API_PROCESSES=${config.processesRequested} ignored: the embedded database (DATA_DIR) is opened by one process only; set DATABASE_URL to run several`,
    );
  }
  if (config.processes <= 1) return serve(config, 'single');

  // Connect and migrate once, here, so that every failure reads as it does with one process.
  const { dataSource } = await openDataSource({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    entities: allEntities,
    migrations: allMigrations,
    poolSize: 2, // the migration lock holds one connection, the migrations use another
  });
  await dataSource.destroy();
  superviseWorkers({
    processes: config.processes,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    host: config.host,
    storage: 'PostgreSQL (DATABASE_URL)',
    logger,
  });
}

/**
 * One API server: the whole API (`single`), or one of the primary's workers (`worker`), which
 * tells the primary instead of logging the start line and printing start-up failures, and stops
 * when the primary says so.
 */
async function serve(config: AppConfig, role: 'single' | 'worker'): Promise<void> {
  let stopRequested: { signal: NodeJS.Signals; at: number } | undefined;
  let stop = (signal: NodeJS.Signals) => {
    // Before the server listens: stop as soon as it does (a second signal: now).
    if (stopRequested && Date.now() - stopRequested.at >= 1_000) process.exit(1);
    stopRequested ??= { signal, at: Date.now() };
  };
  if (role === 'worker') {
    reportMetricsToPrimary();
    onPrimaryMessage('rbo:stop', (message) => stop(message.signal as NodeJS.Signals));
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => stop(signal));
  }

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
  if (role === 'worker') {
    logger.debug('API worker listening');
    await tellPrimary({ type: 'rbo:listening', port });
  } else {
    const storage =
      kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;
    logger.info(
      { url: `http://${config.host ?? 'localhost'}:${port}`, port, storage, processes: 1 },
      `Refunds back-office on http://${config.host ?? 'localhost'}:${port} — storage: ${storage}` +
        (kind === 'pglite' ? ' (one process: the embedded database is not shared)' : ''),
    );
  }

  let stoppingSince: number | undefined;
  stop = (signal: NodeJS.Signals) => void stopServing(signal);
  const stopServing = async (signal: NodeJS.Signals) => {
    if (stoppingSince !== undefined) {
      // The same stop delivered twice (a terminal signals the whole process group, and `npm
      // start` forwards it too; a worker hears its primary as well) is ignored; a deliberate
      // second one a moment later forces it.
      if (Date.now() - stoppingSince < 1_000) return;
      logger.warn({ signal }, 'second signal while stopping: exiting now');
      process.exit(1);
    }
    stoppingSince = Date.now();
    // A worker's own line must not read "stopping…": the primary says that once the shared port
    // is closed, and process tests wait for it.
    if (role === 'single') {
      logger.info({ signal }, 'stopping: no new connections; finishing the requests in flight');
    } else {
      logger.info({ signal }, 'API worker: finishing its requests in flight');
    }
    app.beginStopping();
    try {
      const closed = closeServer(server, config.shutdownTimeoutMs);
      if (role === 'worker') await tellPrimary({ type: 'rbo:listener-closed' });
      await closed;
      await app.stop();
      await db.close();
      logger.info(role === 'single' ? 'stopped' : 'API worker stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'stopping failed');
      process.exit(1);
    }
  };
  if (stopRequested) stop(stopRequested.signal);
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

main().catch(async (error: unknown) => {
  if (cluster.isWorker) {
    // The primary prints it, once for all workers, and exits 1.
    if (!(error instanceof StartupError)) logger.fatal({ err: error }, 'start-up failed');
    const message =
      error instanceof StartupError
        ? error.message
        : `Start-up failed: ${String(error)} (the log line above has the details)`;
    await tellPrimary({ type: 'rbo:startup-failed', message });
    process.exit(1);
  }
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

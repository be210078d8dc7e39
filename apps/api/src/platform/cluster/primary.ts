import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../observability/logger';
import { isMessage, type PrimaryMessage, type WorkerMessage } from './messages';
import { RestartBackoff } from './restart-backoff';
import { serveMetricsFromPrimary } from './cluster-metrics';

export interface SupervisorOptions {
  /** How many API workers to keep running. */
  readonly processes: number;
  /** The workers' own graceful-stop deadline; the primary waits a little longer. */
  readonly shutdownTimeoutMs: number;
  readonly host: string | undefined;
  /** How the storage is described in the start line. */
  readonly storage: string;
  readonly logger: Logger;
}

/** What the primary allows beyond the workers' own stop deadline before it kills them. */
const STOP_GRACE_MS = 5_000;

/**
 * The primary of `npm start` with several processes. It has already checked the configuration
 * and migrated the database (once); here it forks the API workers, which share the port
 * (node:cluster hands connections round-robin), and supervises them:
 *
 * - start-up: once every worker listens, one start line; if a worker cannot start (port in use,
 *   ...), its one- or two-line message is printed once and the primary exits 1 (the other
 *   workers exit with it: a cluster worker ends when its primary goes).
 * - a worker that dies unexpectedly is logged and replaced, after a back-off when deaths follow
 *   each other (RestartBackoff).
 * - SIGTERM/SIGINT/SIGHUP: every worker is told to stop; once each has closed its listener the
 *   shared port is closed and the "stopping" line is logged; each worker finishes its requests in
 *   flight, stops its background workers and its database pool, and exits; the primary exits 0
 *   when all exited 0. A second signal a moment later forces it (exit 1).
 */
export function superviseWorkers(options: SupervisorOptions): void {
  const { logger } = options;
  let phase: 'starting' | 'running' | 'stopping' = 'starting';
  const listening = new Set<number>();
  const listenerClosed = new Set<number>();
  const failedToStart = new Set<number>();
  const respawns = new Set<NodeJS.Timeout>();
  const backoff = new RestartBackoff();
  let stoppingSince: number | undefined;
  let stopSignal: string | undefined;
  let announcedStopping = false;
  let everyExitClean = true;

  serveMetricsFromPrimary();

  const live = (): Worker[] => Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
  const send = (worker: Worker, message: PrimaryMessage) => {
    if (worker.isConnected()) worker.send(message);
  };

  const fork = () => {
    const worker = cluster.fork();
    worker.on('message', (message: unknown) => {
      if (isMessage<WorkerMessage>(message)) onMessage(worker, message);
    });
    return worker;
  };

  const failStartup = (message: string) => {
    process.stderr.write(`${message}\n`);
    for (const worker of live()) worker.process.kill('SIGKILL');
    process.exit(1);
  };

  const onMessage = (worker: Worker, message: WorkerMessage) => {
    switch (message.type) {
      case 'rbo:listening': {
        listening.add(worker.id);
        if (phase === 'stopping') {
          // Started while the others were stopping: it stops too.
          send(worker, { type: 'rbo:stop', signal: stopSignal ?? 'SIGTERM' });
        } else if (phase === 'starting' && listening.size >= options.processes) {
          phase = 'running';
          const where = `http://${options.host ?? 'localhost'}:${message.port}`;
          logger.info(
            {
              url: where,
              port: message.port,
              storage: options.storage,
              processes: options.processes,
              workerPids: live().map((w) => w.process.pid),
            },
            `Refunds back-office on ${where} — storage: ${options.storage}, ${options.processes} processes`,
          );
        } else if (phase === 'running') {
          logger.info({ workerPid: worker.process.pid }, 'replacement API worker listening');
        }
        return;
      }
      case 'rbo:startup-failed':
        failedToStart.add(worker.id);
        if (phase === 'starting') return failStartup(message.message);
        logger.error(
          { workerPid: worker.process.pid, reason: message.message },
          'replacement API worker could not start',
        );
        return;
      case 'rbo:listener-closed':
        listenerClosed.add(worker.id);
        announceStoppingOnceClosed();
        return;
      case 'rbo:metrics-request':
        return; // cluster-metrics.ts answers these
    }
  };

  /** The shared port closes when the last worker closes its listener: then say so. */
  const announceStoppingOnceClosed = () => {
    if (phase !== 'stopping' || announcedStopping) return;
    if (live().some((w) => listening.has(w.id) && !listenerClosed.has(w.id))) return;
    announcedStopping = true;
    logger.info(
      { signal: stopSignal, processes: live().length },
      'stopping: no new connections; finishing the requests in flight',
    );
  };

  cluster.on('exit', (worker, code, signal) => {
    listening.delete(worker.id);
    if (phase === 'stopping') {
      if (code !== 0) everyExitClean = false;
      announceStoppingOnceClosed();
      if (live().length === 0) {
        logger.info(everyExitClean ? 'stopped' : 'stopped (a worker did not stop cleanly)');
        process.exit(everyExitClean ? 0 : 1);
      }
      return;
    }
    if (phase === 'starting' && !failedToStart.has(worker.id)) {
      failStartup(
        `Start-up failed: an API worker exited before listening (${signal ?? `code ${code}`}).`,
      );
      return;
    }
    const delayMs = backoff.delayAfterDeath(Date.now());
    logger.error(
      { workerPid: worker.process.pid, code, signal, restartInMs: delayMs },
      'API worker died unexpectedly; replacing it',
    );
    const timer = setTimeout(() => {
      respawns.delete(timer);
      if (phase !== 'stopping') fork();
    }, delayMs);
    respawns.add(timer);
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stoppingSince !== undefined) {
      // A terminal signals the whole process group (and `npm start` forwards the signal too):
      // the same stop delivered twice is ignored; a deliberate second one forces it.
      if (Date.now() - stoppingSince < 1_000) return;
      logger.warn({ signal }, 'second signal while stopping: exiting now');
      for (const worker of live()) worker.process.kill('SIGKILL');
      process.exit(1);
    }
    stoppingSince = Date.now();
    stopSignal = signal;
    phase = 'stopping';
    for (const timer of respawns) clearTimeout(timer);
    respawns.clear();
    for (const worker of live()) send(worker, { type: 'rbo:stop', signal });
    if (live().length === 0) {
      logger.info('stopped');
      process.exit(0);
    }
    announceStoppingOnceClosed();
    setTimeout(() => {
      logger.error(
        { workers: live().map((w) => w.process.pid) },
        'API workers still running past the shutdown deadline: killing them',
      );
      for (const worker of live()) worker.process.kill('SIGKILL');
      process.exit(1);
    }, options.shutdownTimeoutMs + STOP_GRACE_MS).unref();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => stop(signal));
  }

  for (let i = 0; i < options.processes; i++) fork();
}

import path from 'node:path';
import express, { type Router } from 'express';
import compression from 'compression';
import type { Database } from '../db/database';
import { migrationsPending } from '../db/data-source';
import { isDatabaseUnavailable } from '../db/availability';
import { registry } from '../observability/metrics';
import { RETRY_AFTER_SECONDS } from '../observability/apollo-plugin';
import { log } from '../observability/logger';

/** A readiness check that cannot get an answer in this time reports "not ready". */
const READINESS_TIMEOUT_MS = 2_000;

/**
 * What an orchestrator or load balancer asks:
 * - GET /healthz: the process is alive and serving HTTP (no database round trip: a database
 *   outage must not get healthy processes restarted);
 * - GET /readyz: it should get traffic: the database answers, every migration has run, and it
 *   is not stopping;
 * - GET /metrics: Prometheus text format (see platform/observability/metrics.ts).
 */
export function operationsRouter(db: Database, isStopping: () => boolean): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.set('cache-control', 'no-store').json({ status: 'ok', storage: db.kind });
  });
  router.get('/readyz', async (_req, res) => {
    res.set('cache-control', 'no-store');
    if (isStopping()) {
      res.status(503).json({ status: 'stopping' });
      return;
    }
    try {
      const pending = await withTimeout(
        (async () => {
          await db.manager.query('SELECT 1');
          return migrationsPending(db.dataSource);
        })(),
        READINESS_TIMEOUT_MS,
      );
      if (pending) res.status(503).json({ status: 'migrations pending', storage: db.kind });
      else res.json({ status: 'ready', storage: db.kind });
    } catch {
      res
        .status(503)
        .set('retry-after', String(RETRY_AFTER_SECONDS))
        .json({ status: 'database unavailable', storage: db.kind });
    }
  });
  router.get('/metrics', async (_req, res) => {
    res.set('content-type', registry.contentType).send(await registry.metrics());
  });
  return router;
}

/**
 * The built SPA. Vite names every file under assets/ by a hash of its content, so those are
 * cached for a year and never revalidated (`immutable`); index.html and the other files at the
 * root (favicon) are revalidated on every load (`no-cache`, ETag), so a deploy shows at once.
 * Text files are compressed (brotli when the browser accepts it, else gzip) by the `compression`
 * middleware — on the static routes only: compressing API responses that echo client input next
 * to secrets (tokens) is what BREACH-style attacks measure.
 */
export function spaRouter(webDist: string): Router {
  const router = express.Router();
  const index = path.join(webDist, 'index.html');
  router.use(compression());
  router.use(
    express.static(webDist, {
      index: false,
      setHeaders(res, file) {
        const hashed = path.relative(webDist, file).startsWith(`assets${path.sep}`);
        res.setHeader('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  // Every other GET is a route of the SPA (/quotes, /c/<token> ...): index.html, never cached.
  router.get(/^\/(?!graphql|export|healthz|readyz|metrics)/, (req, res, next) => {
    // A missing hashed file is a 404, not the SPA: a stale page must not load HTML as a script.
    if (req.path.startsWith('/assets/')) return next();
    res.sendFile(index, { headers: { 'cache-control': 'no-cache' } });
  });
  return router;
}

/**
 * Anything that reaches Express (not GraphQL) failing because the database is unavailable is a
 * 503 with Retry-After, like the GraphQL answers; other errors go on to the next handler.
 */
export function databaseUnavailableHandler(): express.ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (!isDatabaseUnavailable(error) || res.headersSent) return next(error);
    log().warn({ err: error }, 'database unavailable');
    res
      .status(503)
      .set('retry-after', String(RETRY_AFTER_SECONDS))
      .json({
        errors: [
          {
            message: 'The database is unavailable right now. Retry in a few seconds.',
            extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: RETRY_AFTER_SECONDS },
          },
        ],
      });
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { type Logger, type RequestObservation, observeWithin } from './logger';
import { operationLabel, requestDuration, requestsInFlight } from './metrics';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * A request id from a proxy in front of us is kept (so one id follows the request through both
 * logs) when it looks like an id; anything else is replaced, so a client cannot write arbitrary
 * text into the logs.
 */
const ACCEPTED_REQUEST_ID = /^[A-Za-z0-9._:-]{8,100}$/;

/** Probes are polled every few seconds; their lines would drown the requests that matter. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * One middleware for what every request gets: an id (in the `X-Request-Id` response header and on
 * every log line of the request), one JSON log line when it is answered (method, path, status,
 * duration, GraphQL operation, caller kind, outcome — never headers or bodies), and its duration
 * in the `rbo_request_duration_seconds` histogram. The observation it shares with the GraphQL
 * layer (logger.ts) carries what only that layer knows.
 *
 * Written by hand rather than with pino-http, which makes three or four child loggers per request
 * (serializing and redacting the request each time) even when the line is below the log level:
 * here the request's child logger is made only when something logs, and the line only when its
 * level is enabled.
 */
export function observeRequests(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers[REQUEST_ID_HEADER];
    const requestId =
      typeof incoming === 'string' && ACCEPTED_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader(REQUEST_ID_HEADER, requestId);
    let requestLog: Logger | undefined;
    const observation: RequestObservation = {
      requestId,
      get log() {
        return (requestLog ??= logger.child({ requestId }));
      },
    };
    const started = process.hrtime.bigint();
    requestsInFlight.inc();
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      requestsInFlight.dec();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // originalUrl: Express rewrites `url` below a mount point (/graphql becomes /).
      const path = loggablePath(req.originalUrl ?? req.url);
      const outcome = outcomeOf(observation, res.statusCode);
      const operation =
        path === '/graphql' ? operationLabel(observation.operation) : routeLabel(path);
      requestDuration.observe({ operation, outcome }, seconds);
      const level = logLevelOf(path, res.statusCode);
      if (!logger.isLevelEnabled(level)) return;
      const line = {
        method: req.method,
        path,
        ...(observation.operation ? { operation: observation.operation } : {}),
        ...(observation.callerKind ? { callerKind: observation.callerKind } : {}),
        outcome,
        // Status only: response headers carry nothing a reader of the logs needs.
        res: { statusCode: res.statusCode },
        durationMs: Math.round(seconds * 1e3),
      };
      if (res.statusCode >= 500) {
        observation.log[level](
          { ...line, err: new Error(`failed with status code ${res.statusCode}`) },
          'request failed',
        );
      } else {
        observation.log[level](line, 'request answered');
      }
    };
    res.once('finish', finish);
    res.once('close', finish);
    observeWithin(observation, next);
  };
}

function logLevelOf(path: string, status: number): 'debug' | 'info' | 'warn' | 'error' {
  // 503 is the planned answer to a database outage (logged once as such), not a bug.
  if (status === 503) return 'warn';
  if (status >= 500) return 'error';
  if (PROBES.has(path) && status < 400) return 'debug';
  return status >= 400 ? 'warn' : 'info';
}

function outcomeOf(observation: RequestObservation | undefined, status: number): string {
  if (observation?.outcome) return observation.outcome;
  return status < 400 ? 'ok' : `http_${status}`;
}

/** The path without its query string, and without the secret of a customer's portal link. */
export function loggablePath(url: string): string {
  const path = url.split('?')[0] ?? '';
  return path.replace(/^\/c\/[^/]+/, '/c/:token');
}

/** Routes by what they are, so the label set stays small whatever paths clients ask for. */
function routeLabel(path: string): string {
  if (PROBES.has(path)) return path.slice(1);
  if (path.startsWith('/assets/')) return 'static_asset';
  return 'page';
}

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
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

interface Observed {
  observation?: RequestObservation;
}

/**
 * One middleware for what every request gets: an id (in the `X-Request-Id` response header and on
 * every log line of the request), one JSON log line when it is answered (method, path, status,
 * duration, GraphQL operation, caller kind, outcome — never headers or bodies), and its duration
 * in the `rbo_request_duration_seconds` histogram. pino-http does the id and the line; the
 * observation it shares with the GraphQL layer (logger.ts) carries what only that layer knows.
 */
export function observeRequests(logger: Logger): RequestHandler {
  const httpLogger = pinoHttp({
    logger,
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    genReqId(req: IncomingMessage, res: ServerResponse) {
      const incoming = req.headers[REQUEST_ID_HEADER];
      const id =
        typeof incoming === 'string' && ACCEPTED_REQUEST_ID.test(incoming)
          ? incoming
          : randomUUID();
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    serializers: {
      // Status only: response headers carry nothing a reader of the logs needs.
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customProps(req: IncomingMessage, res: ServerResponse) {
      const observation = (res as ServerResponse & Observed).observation;
      return {
        method: req.method,
        // originalUrl: Express rewrites `url` below a mount point (/graphql becomes /).
        path: loggablePath(
          (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '',
        ),
        ...(observation?.operation ? { operation: observation.operation } : {}),
        ...(observation?.callerKind ? { callerKind: observation.callerKind } : {}),
        outcome: outcomeOf(observation, res.statusCode),
      };
    },
    customLogLevel(req: IncomingMessage, res: ServerResponse, error?: Error) {
      // 503 is the planned answer to a database outage (logged once as such), not a bug.
      if (res.statusCode === 503) return 'warn';
      if (error || res.statusCode >= 500) return 'error';
      if (PROBES.has(loggablePath(req.url ?? '')) && res.statusCode < 400) return 'debug';
      return res.statusCode >= 400 ? 'warn' : 'info';
    },
    customSuccessMessage: () => 'request answered',
    customErrorMessage: () => 'request failed',
  });

  return (req, res, next) => {
    httpLogger(req, res);
    const observation: RequestObservation = { requestId: String(req.id), log: req.log };
    (res as ServerResponse & Observed).observation = observation;
    const started = process.hrtime.bigint();
    requestsInFlight.inc();
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      requestsInFlight.dec();
      const path = loggablePath(req.originalUrl ?? req.url);
      const operation =
        path === '/graphql' ? operationLabel(observation.operation) : routeLabel(path);
      requestDuration.observe(
        { operation, outcome: outcomeOf(observation, res.statusCode) },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    };
    res.once('finish', finish);
    res.once('close', finish);
    observeWithin(observation, next);
  };
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

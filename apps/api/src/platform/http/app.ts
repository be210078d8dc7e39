import { existsSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import { expressMiddleware } from '@as-integrations/express5';
import type { Clock } from '../clock';
import type { Database } from '../db/database';
import { createServices, type Services } from '../../services';
import { features } from '../../features';
import { buildApiSchema } from '../graphql/schema';
import type { RequestContext } from '../graphql/context';
import { createApolloServer } from '../graphql/apollo';
import { securityHeaders } from './security';
import { exportRouter } from '../../exports/export.routes';
import { isDatabaseUnavailable } from '../db/availability';
import { observeRequests } from '../observability/http';
import { currentRequest, logger as processLogger, type Logger } from '../observability/logger';
import { registerProbes } from '../observability/metrics';
import { followUpQueue, poolState } from '../observability/probes';
import { serviceUnavailable } from '../observability/apollo-plugin';
import { databaseUnavailableHandler, operationsRouter, spaRouter } from './operations';

export interface AppOptions {
  readonly db: Database;
  readonly clock: Clock;
  readonly production: boolean;
  /** The built SPA, served from the same port when the folder exists. */
  readonly webDist?: string | undefined;
  /** GraphQL introspection; by default on in development and off in production. */
  readonly introspection?: boolean;
  /** Start background workers (follow-ups). Tests drive them by hand instead. */
  readonly startWorkers?: boolean;
  /** Where request and error lines go; the process's JSON logger on stdout by default. */
  readonly logger?: Logger;
  /** Whether credit use cases and invoice refunds may be written together under load (credit.batch.ts, invoice-refund.batch.ts). */
  readonly groupCommit?: boolean;
}

export interface App {
  readonly http: express.Express;
  readonly services: Services;
  /** From now on /readyz answers 503, so load balancers stop sending new requests. */
  beginStopping(): void;
  stop(): Promise<void>;
}

const BODY_LIMIT = '100kb';

export async function createApp(options: AppOptions): Promise<App> {
  const schema = await buildApiSchema();
  const services = createServices(options.db, options.clock, {
    groupCommit: options.groupCommit ?? true,
  });
  const apollo = createApolloServer(schema, {
    production: options.production,
    introspection: options.introspection ?? !options.production,
  });
  await apollo.start();

  let stopping = false;
  registerProbes({
    pool: () => poolState(options.db),
    queues: {
      follow_ups: () => followUpQueue(options.db, options.clock),
      // Webhook deliveries and e-mail: the one outbound job table (outbound/delivery.worker.ts).
      outbound: () => services.delivery.queueState(),
    },
  });

  const http = express();
  http.disable('x-powered-by');
  // Request id, the request's log line and its metrics: first, so every route is observed.
  http.use(observeRequests(options.logger ?? processLogger));
  http.use(securityHeaders({ production: options.production }));
  http.use(operationsRouter(options.db, () => stopping));
  // CSV downloads, streamed page by page; same bearer token and permissions as the GraphQL lists.
  http.use('/export', exportRouter(services));
  http.use(
    '/graphql',
    // What Apollo's cache-control plugin (disabled, see apollo.ts) answered for every response.
    (_req, res, next) => {
      res.setHeader('cache-control', 'no-store');
      next();
    },
    express.json({ limit: BODY_LIMIT }),
    expressMiddleware(apollo, {
      context: async ({ req }): Promise<RequestContext> => {
        const credential = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
        let caller: Awaited<ReturnType<typeof services.auth.authenticate>> = null;
        try {
          caller = credential ? await services.auth.authenticate(credential) : null;
        } catch (error) {
          // Apollo would answer a failed context with a 500; an outage is a 503 like any other.
          if (isDatabaseUnavailable(error)) throw serviceUnavailable();
          throw error;
        }
        const observation = currentRequest();
        if (observation) {
          observation.callerKind = !caller ? 'anonymous' : caller.memberId ? 'member' : 'api_key';
        }
        return {
          caller,
          credentialsRejected: Boolean(credential) && !caller,
          services,
          clientIp: req.socket.remoteAddress ?? 'unknown',
        };
      },
    }),
  );
  if (options.webDist && existsSync(path.join(options.webDist, 'index.html'))) {
    http.use(spaRouter(options.webDist));
  }
  http.use(databaseUnavailableHandler());
  // Oversized or malformed JSON bodies: a short JSON answer, never a stack trace.
  http.use(
    (
      error: { status?: number; type?: string },
      _req: express.Request,
      res: express.Response,
      next: express.NextFunction,
    ) => {
      if (!error?.status) return next(error);
      res.status(error.status).json({
        errors: [
          {
            message:
              error.type === 'entity.too.large'
                ? 'The request body is too large.'
                : 'The request body is not valid JSON.',
            extensions: { code: 'BAD_REQUEST' },
          },
        ],
      });
    },
  );

  const stopWorkers = options.startWorkers
    ? features.flatMap((feature) => (feature.start ? [feature.start(services)] : []))
    : [];
  return {
    http,
    services,
    beginStopping() {
      stopping = true;
    },
    async stop() {
      stopping = true;
      await Promise.all(stopWorkers.map((stop) => stop()));
      await apollo.stop();
    },
  };
}

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
}

export interface App {
  readonly http: express.Express;
  readonly services: Services;
  stop(): Promise<void>;
}

const BODY_LIMIT = '100kb';

export async function createApp(options: AppOptions): Promise<App> {
  const schema = await buildApiSchema();
  const services = createServices(options.db, options.clock);
  const apollo = createApolloServer(schema, {
    production: options.production,
    introspection: options.introspection ?? !options.production,
  });
  await apollo.start();

  const http = express();
  http.disable('x-powered-by');
  http.use(securityHeaders({ production: options.production }));
  http.get('/healthz', async (_req, res) => {
    try {
      await options.db.manager.query('SELECT 1');
      res.json({ status: 'ok', storage: options.db.kind });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  http.use(
    '/graphql',
    express.json({ limit: BODY_LIMIT }),
    expressMiddleware(apollo, {
      context: async ({ req }): Promise<RequestContext> => {
        const credential = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
        const caller = credential ? await services.auth.authenticate(credential) : null;
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
    const webDist = options.webDist;
    http.use(express.static(webDist, { index: false }));
    // The SPA routes (/quotes, /c/<token> ...) all load index.html.
    http.get(/^\/(?!graphql|healthz).*/, (_req, res) =>
      res.sendFile(path.join(webDist, 'index.html')),
    );
  }
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
    async stop() {
      await Promise.all(stopWorkers.map((stop) => stop()));
      await apollo.stop();
    },
  };
}

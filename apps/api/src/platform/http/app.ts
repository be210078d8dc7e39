import { existsSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError } from 'type-graphql';
import type { GraphQLFormattedError } from 'graphql';
import type { Clock } from '../clock';
import type { Database } from '../db/database';
import { createServices, type Services } from '../../services';
import { features } from '../../features';
import { buildApiSchema } from '../graphql/schema';
import type { RequestContext } from '../graphql/context';
import { complexityLimit, depthLimit } from '../graphql/complexity';
import { exportRouter } from '../../exports/export.routes';

export interface AppOptions {
  readonly db: Database;
  readonly clock: Clock;
  readonly production: boolean;
  /** The built SPA, served from the same port when the folder exists. */
  readonly webDist?: string | undefined;
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
  const apollo = new ApolloServer<RequestContext>({
    schema,
    // Refuses simple (form-like) requests that a browser would send cross-site without preflight.
    csrfPrevention: true,
    validationRules: [depthLimit],
    plugins: [complexityLimit(schema), logUnexpectedErrors()],
    includeStacktraceInErrorResponses: !options.production,
    formatError: (formatted, error) => formatError(formatted, error, options.production),
  });
  await apollo.start();

  const http = express();
  http.disable('x-powered-by');
  http.get('/healthz', async (_req, res) => {
    try {
      await options.db.manager.query('SELECT 1');
      res.json({ status: 'ok', storage: options.db.kind });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  // CSV downloads, streamed page by page; same bearer token and permissions as the GraphQL lists.
  http.use('/export', exportRouter(services));
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

function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  production: boolean,
): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof ArgumentValidationError) {
    const details = original.extensions.validationErrors
      .flatMap((e) => Object.values(e.constraints ?? {}))
      .join('; ');
    return {
      message: `Invalid input: ${details}`,
      path: formatted.path,
      extensions: { code: ApolloServerErrorCode.BAD_USER_INPUT },
    };
  }
  const code = formatted.extensions?.code;
  if (production && (code === undefined || code === ApolloServerErrorCode.INTERNAL_SERVER_ERROR)) {
    return {
      message: 'Something went wrong on our side. Try again.',
      path: formatted.path,
      extensions: { code: ApolloServerErrorCode.INTERNAL_SERVER_ERROR },
    };
  }
  return formatted;
}

/** Unexpected errors are logged with their stack, whatever the client is shown. */
function logUnexpectedErrors(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (code === undefined || code === ApolloServerErrorCode.INTERNAL_SERVER_ERROR) {
              console.error(unwrapResolverError(error));
            }
          }
        },
      };
    },
  };
}

import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs (one object per line on stdout), for a log shipper to parse.
 *
 * What is never logged: request or response bodies, headers (tokens, API keys and cookies travel
 * there), passwords, customer names or emails, client addresses. Anything passed to a log call
 * under one of the `redact` paths below is replaced, as a second line of defence.
 */
export function createLogger(destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
      timestamp: pino.stdTimeFunctions.isoTime,
      base: { pid: process.pid },
      redact: {
        paths: [
          'authorization',
          'password',
          'token',
          'secret',
          'email',
          '*.authorization',
          '*.password',
          '*.token',
          '*.secret',
          '*.email',
          'req.headers',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** The process's logger, for lines outside a request (start, stop, workers). */
export const logger = createLogger();

/** What is known about the request being answered, filled in as it goes. */
export interface RequestObservation {
  readonly requestId: string;
  /** A child of the app's logger that writes `requestId` on every line. */
  readonly log: Logger;
  operation?: string;
  /** `member`, `api_key` or `anonymous`; set once the credentials were checked. */
  callerKind?: CallerKind;
  /** `ok`, `user_error` or the first error's code. */
  outcome?: string;
}

export type CallerKind = 'member' | 'api_key' | 'anonymous';

const current = new AsyncLocalStorage<RequestObservation>();

export function observeWithin<T>(observation: RequestObservation, run: () => T): T {
  return current.run(observation, run);
}

/** The request being answered here, when there is one. */
export function currentRequest(): RequestObservation | undefined {
  return current.getStore();
}

/** The logger to use here: the request's (with its id) inside a request, else the process's. */
export function log(): Logger {
  return current.getStore()?.log ?? logger;
}

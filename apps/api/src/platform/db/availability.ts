import { QueryFailedError } from 'typeorm';

/**
 * Telling "the database is not there right now" apart from every other failure.
 *
 * Such an error is not the caller's fault and not a bug: it is answered as HTTP 503 with
 * Retry-After (see platform/http/unavailable.ts), a transaction that hits it before COMMIT is
 * retried as a whole (database.ts), and start-up explains it in a line (startup-errors.ts).
 */

/** Socket-level failures: the server is down, restarting, unreachable or dropped us. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server that is shutting down, starting up or full: 57P01 admin_shutdown,
 * 57P02 crash_shutdown, 57P03 cannot_connect_now ("the database system is shutting down" /
 * "is starting up"), 53300 too_many_connections; and class 08, connection exceptions.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/**
 * What node-postgres and pg-pool throw without a code when a connection breaks or cannot be had
 * in time; they are plain Errors, so their messages are all there is to go on.
 */
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /connection error and is not queryable/i,
  /timeout exceeded when trying to connect/i,
  /Client was closed and is not queryable/i,
];

export function isDatabaseUnavailable(error: unknown): boolean {
  return causes(error).some((cause) => {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08')) {
        return true;
      }
    }
    const message = (cause as { message?: unknown }).message;
    return typeof message === 'string' && UNAVAILABLE_MESSAGES.some((re) => re.test(message));
  });
}

/**
 * The error and what it wraps: TypeORM's driverError, `cause`, an AggregateError's errors, a
 * GraphQLError's originalError (what a resolver threw).
 */
export function causes(error: unknown, depth = 0): object[] {
  if (!error || typeof error !== 'object' || depth > 4) return [];
  const nested: unknown[] = [];
  if (error instanceof QueryFailedError) nested.push(error.driverError);
  if ('cause' in error) nested.push((error as { cause?: unknown }).cause);
  if ('originalError' in error) nested.push((error as { originalError?: unknown }).originalError);
  // graphql-js wraps a thrown value that is not an Error of its realm (pg's socket errors under
  // jest's VM contexts, for one) as NonErrorThrown with the value in `thrownValue`.
  if ('thrownValue' in error) nested.push((error as { thrownValue?: unknown }).thrownValue);
  if (error instanceof AggregateError) nested.push(...error.errors);
  return [error, ...nested.flatMap((inner) => causes(inner, depth + 1))];
}

import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type FormattedExecutionResult, type OperationDefinitionNode } from 'graphql';
import { isDatabaseUnavailable } from '../db/availability';
import { currentRequest, log } from './logger';

/** How long a client is asked to wait before retrying while the database is unavailable. */
export const RETRY_AFTER_SECONDS = 5;

const SERVICE_UNAVAILABLE_MESSAGE =
  'The database is unavailable right now. Retry in a few seconds; a money-moving mutation is safe ' +
  'to retry with the same idempotencyKey.';

/**
 * The answer when the database is unavailable: HTTP 503, Retry-After and a retryable code, so a
 * client (or proxy) retries instead of reading a 500 or a 200 carrying INTERNAL_SERVER_ERROR as
 * "the request failed for good". Whether the work committed can be unknown (a connection lost
 * during COMMIT): idempotency keys are what make the retry safe.
 */
export function serviceUnavailable(): GraphQLError {
  return new GraphQLError(SERVICE_UNAVAILABLE_MESSAGE, {
    extensions: {
      code: 'SERVICE_UNAVAILABLE',
      retryAfterSeconds: RETRY_AFTER_SECONDS,
      http: {
        status: 503,
        headers: new Map([['retry-after', String(RETRY_AFTER_SECONDS)]]),
      },
    },
  });
}

/**
 * Per GraphQL request: records the operation and outcome for the request's log line and metrics
 * (platform/observability/http.ts), and turns a database outage met while executing into a 503.
 */
export function observabilityPlugin<Context extends object>(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operationName, operation }) {
          const observation = currentRequest();
          if (observation && operation) {
            observation.operation = operationNameOf(operationName, operation);
          }
        },
        async willSendResponse({ response, errors }) {
          const observation = currentRequest();
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const unavailable = (errors ?? []).map((error) => isDatabaseUnavailable(error));
          if (unavailable.some(Boolean) && result.errors) {
            // Formatted errors are in the order of the raw ones: swap only the outage's.
            const replacement = serviceUnavailable();
            result.errors = result.errors.map((formatted, index) =>
              unavailable[index]
                ? {
                    message: replacement.message,
                    ...(formatted.path ? { path: formatted.path } : {}),
                    extensions: {
                      code: 'SERVICE_UNAVAILABLE',
                      retryAfterSeconds: RETRY_AFTER_SECONDS,
                    },
                  }
                : formatted,
            );
            response.http.status = 503;
            response.http.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
            log().warn({ err: (errors ?? []).find(isDatabaseUnavailable) }, 'database unavailable');
          }
          if (observation) observation.outcome = outcomeOf(result);
        },
      };
    },
  };
}

/**
 * The client's operation name when it is a plain identifier (it is client-chosen text), else the
 * first root field the operation asks for (bounded by the schema).
 */
function operationNameOf(operationName: string | null, operation: OperationDefinitionNode): string {
  if (operationName && /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(operationName)) return operationName;
  const first = operation.selectionSet.selections.find((selection) => selection.kind === 'Field');
  return first && first.kind === 'Field' ? first.name.value : operation.operation;
}

function outcomeOf(result: FormattedExecutionResult): string {
  const code = result.errors?.[0]?.extensions?.code;
  if (typeof code === 'string') return code;
  if (result.errors?.length) return 'error';
  return hasUserErrors(result.data) ? 'user_error' : 'ok';
}

/** A mutation payload's `userErrors`: a rule refused (a normal, expected outcome). */
function hasUserErrors(data: Record<string, unknown> | null | undefined): boolean {
  return Object.values(data ?? {}).some((field) => {
    const userErrors = (field as { userErrors?: unknown } | null)?.userErrors;
    return Array.isArray(userErrors) && userErrors.length > 0;
  });
}

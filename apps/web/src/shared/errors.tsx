import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { Alert, Button, Group, Text } from '@mantine/core';
import { defaultUserErrorMessage, type UserErrorCode } from '@refunds/domain';
import type { UserErrorFieldsFragment } from '../gql/graphql';

export type UserError = UserErrorFieldsFragment;

/** The sentence to show: the API's own, else the domain's default for the code. */
export function userErrorMessage(error: UserError): string {
  return error.message || defaultUserErrorMessage[error.code as UserErrorCode];
}

/**
 * Splits userErrors into those that name one of the form's `fields` (shown next to it; the key is
 * the last segment of `field`, e.g. ["input", "reason"] -> "reason") and the rest (in an alert).
 */
export function splitUserErrors(
  errors: readonly UserError[],
  fields: readonly string[],
): {
  byField: Record<string, string>;
  general: string[];
} {
  const byField: Record<string, string> = {};
  const general: string[] = [];
  for (const error of errors) {
    const field = error.field[error.field.length - 1];
    if (field && fields.includes(field) && byField[field] === undefined) {
      byField[field] = userErrorMessage(error);
    } else general.push(userErrorMessage(error));
  }
  return { byField, general };
}

/** Like splitUserErrors for a failed request whose GraphQL errors carry `extensions.field`. */
export function splitRequestError(
  error: unknown,
  fields: readonly string[],
): { byField: Record<string, string>; general: string[] } {
  const byField: Record<string, string> = {};
  if (CombinedGraphQLErrors.is(error)) {
    for (const e of error.errors) {
      const path = e.extensions?.['field'];
      const field = Array.isArray(path) ? path[path.length - 1] : undefined;
      if (typeof field === 'string' && fields.includes(field)) byField[field] = e.message;
    }
  }
  return {
    byField,
    general: Object.keys(byField).length > 0 ? [] : [requestErrorMessage(error)],
  };
}

/** A readable sentence for a failed request (GraphQL error, HTTP error, no network). */
export function requestErrorMessage(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) {
    const first = error.errors[0];
    const code = first?.extensions?.['code'];
    if (code === 'FORBIDDEN') return 'Your role does not allow this.';
    if (code === 'UNAUTHENTICATED') return 'Your session expired. Log in again.';
    return first?.message ?? 'The server refused the request.';
  }
  if (ServerError.is(error)) return `The server answered ${error.statusCode}. Try again.`;
  return 'Could not reach the server. Check your connection and try again.';
}

/** Messages that belong to no field, shown above a form's buttons. */
export function FormErrors({ messages }: { messages: readonly string[] }) {
  if (messages.length === 0) return null;
  return (
    <Alert color="red" role="alert" title="That did not work">
      {messages.map((message) => (
        <Text key={message} size="sm">
          {message}
        </Text>
      ))}
    </Alert>
  );
}

/** The error state of a screen's query, with a retry. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <Alert color="red" role="alert" title="Could not load this">
      <Group justify="space-between" align="center">
        <Text size="sm">{requestErrorMessage(error)}</Text>
        {onRetry && (
          <Button variant="light" color="red" size="xs" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Group>
    </Alert>
  );
}

import { GraphQLError } from 'graphql';

/**
 * Failures that are not a rule's refusal: they travel as GraphQL errors with the contract's
 * `extensions.code`, not as `userErrors`.
 */
export const unauthenticated = (message = 'Log in, or send a valid API key.') =>
  new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });

export const forbidden = (message = 'Your role does not allow this.') =>
  new GraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });

export const badUserInput = (message: string, field: readonly string[] = []) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });

export const rateLimited = (retryAfterSeconds: number) =>
  new GraphQLError(
    `Too many attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`,
    {
      extensions: {
        code: 'RATE_LIMITED',
        retryAfterSeconds,
        http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
      },
    },
  );

import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import {
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import type { RequestContext } from './context';
import { documentHasUnsafeText, findTextInputProblem } from './text-input';
import { observabilityPlugin } from '../observability/apollo-plugin';
import { log } from '../observability/logger';
import { isDatabaseUnavailable } from '../db/availability';
import { oneCredentialAttemptPerRequest } from '../../auth/one-credential-attempt';

/**
 * What one GraphQL request may ask for. Each check is made by GraphQL Armor or graphql-js in time
 * linear in the document (fragments are measured once each, not once per spread), before any
 * resolver runs; a refusal is HTTP 400.
 */
export const QUERY_LIMITS = {
  /** Lexical tokens in the document, counted while parsing: 5,000 aliases never reach validation. */
  maxTokens: 2_000,
  /**
   * Nesting of fields, fragments flattened. graphql-js's standard introspection query nests 15
   * deep, and it is counted like any other query so introspection cannot nest deeper either.
   */
  maxDepth: 15,
  /** Aliased fields per operation (each alias of a list field runs that list again). */
  maxAliases: 30,
  /** Directives per operation. */
  maxDirectives: 20,
  /**
   * GraphQL Armor's cost: 1 per scalar, 2 per object, ×1.5 per level, × a literal `first`. A
   * variable `first` counts once (the server caps it at 100 anyway). Introspection is not costed:
   * the standard query alone is about 87,000 by this measure; the depth limit and graphql-js's
   * own MaxIntrospectionDepthRule (lists of types or fields nested at most 3 deep) bound it.
   * The SPA's largest screen query (100 open invoices) costs about 5,300.
   */
  maxCost: 10_000,
} as const;

export interface ApolloOptions {
  readonly production: boolean;
  /** Introspection on: development, or production with INTROSPECTION=true. */
  readonly introspection: boolean;
}

/** GraphQL Armor's checks, configured for this schema (exported for the SPA-operations test). */
export function queryLimits(production: boolean) {
  return new ApolloArmor({
    // Armor's token limit throws from a plugin hook, which Apollo answers with a 500; graphql-js's
    // own parser limit (parseOptions below) refuses the same documents as a 400 syntax error.
    maxTokens: { enabled: false },
    maxDepth: { n: QUERY_LIMITS.maxDepth, flattenFragments: true, ignoreIntrospection: false },
    maxAliases: { n: QUERY_LIMITS.maxAliases },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives },
    costLimit: { maxCost: QUERY_LIMITS.maxCost },
    // "Did you mean …" lists field names that introspection would otherwise hide.
    blockFieldSuggestion: { enabled: production },
  }).protect();
}

/** The GraphQL server: limits, input hygiene and the one error formatter. */
export function createApolloServer(
  schema: GraphQLSchema,
  options: ApolloOptions,
): ApolloServer<RequestContext> {
  const armor = queryLimits(options.production);
  return new ApolloServer<RequestContext>({
    schema,
    // Refuses simple (form-like) requests that a browser would send cross-site without preflight.
    csrfPrevention: true,
    introspection: options.introspection,
    // Automatic persisted queries: no client of ours uses them, and their cache is one more thing
    // an anonymous caller could fill.
    persistedQueries: false,
    parseOptions: { maxTokens: QUERY_LIMITS.maxTokens },
    validationRules: [
      ...armor.validationRules,
      queriesAndMutationsOnly,
      oneCredentialAttemptPerRequest,
    ],
    plugins: [
      // No Apollo Sandbox page: it loads from Apollo's CDN, which the CSP refuses (see the README).
      ApolloServerPluginLandingPageDisabled(),
      // No type or field declares a cache hint, so every answer is `no-store` (set in app.ts);
      // Apollo's cache-control plugin would work that out again by hooking every field resolution.
      ApolloServerPluginCacheControlDisabled(),
      ...armor.plugins,
      refuseUnsafeText(),
      badInputIsStatus400(),
      logUnexpectedErrors(),
      observabilityPlugin(),
    ],
    // main.ts stops the process itself (drain HTTP, stop workers, close the database, exit 0);
    // Apollo's own handler would stop the server and re-raise the signal before that could run.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: !options.production,
    formatError: (formatted, error) => formatError(formatted, error, options.production),
  });
}

/** The schema has no subscriptions; graphql-js would otherwise fail the operation at execution. */
const queriesAndMutationsOnly: ValidationRule = (context) => ({
  OperationDefinition(operation) {
    if (operation.operation === 'subscription') {
      context.reportError(
        new GraphQLError('This API has no subscriptions; send a query or a mutation.', {
          nodes: [operation],
        }),
      );
    }
  },
});

const BAD_USER_INPUT = ApolloServerErrorCode.BAD_USER_INPUT;

const badTextInput = (message: string) =>
  new GraphQLError(message, { extensions: { code: BAD_USER_INPUT, http: { status: 400 } } });

/**
 * Refuses NUL and unpaired surrogates in every text input once, here, before execution: in the
 * variables (values and keys) and in the document's string literals. Every text field, id and
 * idempotency key of every feature is covered without each one repeating the check.
 */
function refuseUnsafeText(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const problem = findTextInputProblem(request.variables ?? {});
          if (problem?.kind === 'too-deep') {
            throw badTextInput(`The variables nest deeper than any input (at ${problem.path}).`);
          }
          if (problem || documentHasUnsafeText(document)) {
            throw badTextInput(
              `Text may not contain NUL characters or unpaired surrogates${problem ? ` (at ${problem.path})` : ''}.`,
            );
          }
        },
      };
    },
  };
}

/**
 * Malformed input is HTTP 400 wherever it is found: type-graphql's class-validator errors and the
 * services' BadInputError surface during execution, where graphql-js would leave the status 200.
 */
function badInputIsStatus400(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const errors = response.body.singleResult.errors ?? [];
          const status = response.http.status;
          if ((status === undefined || status < 400) && errors.some(isBadUserInput)) {
            response.http.status = 400;
          }
        },
      };
    },
  };
}

const isBadUserInput = (error: GraphQLFormattedError) => error.extensions?.code === BAD_USER_INPUT;

/** At most this many characters of one quoted client value are repeated in an error message. */
const MAX_ECHO = 32;
const MAX_MESSAGE = 300;

/**
 * Error messages of graphql-js quote the client's value whole ("Variable "$x" got invalid value
 * "<90 kB>""): each quoted value, and any long unbroken run, is cut to a few dozen characters.
 */
export function shortenEchoes(message: string): string {
  const cut = (text: string, max = MAX_ECHO) =>
    text.length > max ? `${Array.from(text).slice(0, max).join('')}…` : text;
  const shortened = message
    .replace(/"((?:[^"\\]|\\.){40,})"/g, (_match, inner: string) => `"${cut(inner)}"`)
    .replace(/[^\s"]{80,}/g, (run) => cut(run));
  return cut(shortened, MAX_MESSAGE);
}

export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  production: boolean,
): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof ArgumentValidationError) {
    // Only the constraint messages: the extensions also carry the rejected values.
    const details = original.extensions.validationErrors.flatMap(constraintMessages).join('; ');
    return {
      message: shortenEchoes(`Invalid input: ${details}`),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: BAD_USER_INPUT },
    };
  }
  const code = formatted.extensions?.code;
  if (production && (code === undefined || code === ApolloServerErrorCode.INTERNAL_SERVER_ERROR)) {
    return {
      message: 'Something went wrong on our side. Try again.',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ApolloServerErrorCode.INTERNAL_SERVER_ERROR },
    };
  }
  return { ...formatted, message: shortenEchoes(formatted.message) };
}

/** The messages of a class-validator error and of its nested inputs' errors. */
function constraintMessages(error: ValidationError): string[] {
  return [
    ...Object.values(error.constraints ?? {}),
    ...(error.children ?? []).flatMap(constraintMessages),
  ];
}

/** Unexpected errors are logged with their stack, whatever the client is shown. */
function logUnexpectedErrors(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            // A database outage is expected, answered as 503 and logged by observabilityPlugin.
            if (isDatabaseUnavailable(error)) continue;
            if (code === undefined || code === ApolloServerErrorCode.INTERNAL_SERVER_ERROR) {
              log().error({ err: unwrapResolverError(error) }, 'unexpected error');
            }
          }
        },
      };
    },
  };
}

import { buildASTSchema, type DocumentNode, graphql as execute, GraphQLError } from 'graphql';
import { graphql as mswGraphql, HttpResponse } from 'msw';
import { server } from './server';

// The schema codegen types the SPA with (scripts/schema.cjs), shared so the two cannot differ.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { loadSchemaDocument } = require('../../scripts/schema.cjs') as {
  loadSchemaDocument(): DocumentNode;
};

/**
 * A fake API for tests: msw answers every GraphQL operation by executing it against the API's
 * schema (apps/api/schema.graphql, see scripts/schema.cjs) with the given root resolvers. So every
 * operation the SPA sends is also validated against the real schema, and __typename is real.
 */
const schema = buildASTSchema(loadSchemaDocument());

export type Resolvers = Record<string, unknown>;

export interface RecordedCall {
  operationName: string;
  variables: Record<string, unknown>;
  authorization: string | null;
}

export interface FakeApi {
  calls: RecordedCall[];
  callsOf(operationName: string): RecordedCall[];
}

export function installApi(resolvers: Resolvers): FakeApi {
  const calls: RecordedCall[] = [];
  server.use(
    mswGraphql.operation(async ({ query, variables, operationName, request }) => {
      calls.push({
        operationName: operationName ?? '',
        variables: variables ?? {},
        authorization: request.headers.get('authorization'),
      });
      const result = await execute({
        schema,
        source: query,
        variableValues: variables,
        rootValue: resolvers,
      });
      return HttpResponse.json(result as Record<string, unknown>);
    }),
  );
  return {
    calls,
    callsOf: (name) => calls.filter((call) => call.operationName === name),
  };
}

/** A GraphQL error as the API sends for auth and permission failures. */
export function apiError(
  code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'BAD_USER_INPUT',
  message: string,
) {
  return new GraphQLError(message, { extensions: { code } });
}

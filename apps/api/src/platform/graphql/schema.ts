import 'reflect-metadata';
import { buildSchema } from 'type-graphql';
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { allResolvers } from '../../features';
import { applyContractLayer, authChecker } from './context';
import { DateTimeScalar } from './scalars';
import { MoneyInput, MoneyType } from './common-types';

/** The API's schema, built from every feature's resolvers. */
export async function buildApiSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: allResolvers,
    // Shared contract types, emitted even before a feature refers to them.
    orphanedTypes: [MoneyType, MoneyInput],
    authChecker,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    // class-validator runs on every input (lengths, emails) before a resolver sees it.
    validate: { forbidUnknownValues: false },
  });
  // Write-only callers and typed errors: one wrapper per field (see context.ts).
  return applyContractLayer(schema);
}

/** The SDL committed as apps/api/schema.graphql (sorted, so diffs stay small). */
export function printApiSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

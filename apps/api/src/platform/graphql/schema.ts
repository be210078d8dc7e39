import 'reflect-metadata';
import { ArgumentValidationError, buildSchema } from 'type-graphql';
import { validateSync, type ValidatorOptions } from 'class-validator';
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
    validateFn: validateInput,
  });
  // Write-only callers and typed errors: one wrapper per field (see context.ts).
  return applyContractLayer(schema);
}

/** The SDL committed as apps/api/schema.graphql (sorted, so diffs stay small). */
export function printApiSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

/** What type-graphql's built-in validation passes to class-validator. */
const VALIDATOR_OPTIONS: ValidatorOptions = {
  skipMissingProperties: true,
  forbidUnknownValues: false,
};

/**
 * type-graphql's own class-validator step, synchronously: the same options and the same error
 * (ArgumentValidationError, which formatError turns into BAD_USER_INPUT), without the promises
 * and the per-call module lookup of the built-in one. Every rule of the inputs is synchronous
 * (validators.ts and class-validator's own); an async rule would be skipped here, so none may be
 * added without changing this to `validate`.
 */
export function validateInput(argValue: unknown): void {
  if (argValue === null || typeof argValue !== 'object') return;
  for (const item of Array.isArray(argValue) ? (argValue as unknown[]) : [argValue]) {
    if (item === null || typeof item !== 'object') continue;
    const errors = validateSync(item, VALIDATOR_OPTIONS);
    if (errors.length > 0) throw new ArgumentValidationError(errors);
  }
}

import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  type ASTNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import {
  fieldExtensionsEstimator,
  getComplexity,
  simpleEstimator,
  type ComplexityEstimator,
} from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE } from '../pagination';

/** The most a single request may cost: a screen's query costs a few hundred. */
export const MAX_COMPLEXITY = 5000;
/** How deep a selection may nest. */
export const MAX_DEPTH = 12;

/** A connection or list field costs its page size times what one node costs. */
const pageSizeEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  const isConnection = getNamedType(field.type).name.endsWith('Connection');
  if (!isConnection && !('first' in args)) return undefined;
  const first = typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE;
  return 1 + Math.max(1, first) * Math.max(1, childComplexity);
};

/**
 * Refuses a query that would cost too much — e.g. hundreds of aliased lists — before any resolver
 * runs.
 */
export function complexityLimit(schema: GraphQLSchema): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const complexity = getComplexity({
            schema,
            query: document,
            operationName: request.operationName ?? undefined,
            variables: request.variables ?? {},
            estimators: [
              fieldExtensionsEstimator(),
              pageSizeEstimator,
              simpleEstimator({ defaultComplexity: 1 }),
            ],
          });
          if (complexity > MAX_COMPLEXITY) {
            throw new GraphQLError(
              `This query is too expensive (${complexity} > ${MAX_COMPLEXITY}). Ask for fewer items or fields.`,
              { extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } } },
            );
          }
        },
      };
    },
  };
}

/** A validation rule: no selection deeper than MAX_DEPTH (fragments are followed). */
export const depthLimit: ValidationRule = (context: ValidationContext) => {
  const fragments = new Map(
    context
      .getDocument()
      .definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d] as const),
  );
  const depthOf = (node: ASTNode, depth: number, seen: Set<string>): number => {
    if (depth > MAX_DEPTH) return depth;
    if (node.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = fragments.get(node.name.value);
      if (!fragment || seen.has(node.name.value)) return depth;
      return depthOf(fragment, depth, new Set(seen).add(node.name.value));
    }
    const next = node.kind === Kind.FIELD ? depth + 1 : depth;
    if (!('selectionSet' in node) || !node.selectionSet) return next;
    return Math.max(next, ...node.selectionSet.selections.map((s) => depthOf(s, next, seen)));
  };
  return {
    OperationDefinition(operation) {
      const depth = depthOf(operation, 0, new Set());
      if (depth > MAX_DEPTH) {
        context.reportError(
          new GraphQLError(`This query nests deeper than ${MAX_DEPTH} levels.`, {
            nodes: [operation],
          }),
        );
      }
    },
  };
};

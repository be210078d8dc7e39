import { createParameterDecorator, type AuthChecker } from 'type-graphql';
import {
  defaultFieldResolver,
  isObjectType,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import {
  BadInputError,
  can,
  canReadRecords,
  isDomainError,
  type Permission,
  type Principal,
} from '@refunds/domain';
import type { Services } from '../../services';
import { badUserInput, forbidden, unauthenticated } from './errors';
import { toUserError } from './common-types';

/** Who is calling, resolved once per request from the bearer token or API key. */
export interface Caller {
  readonly businessId: string;
  /** The member, or null for an API key. */
  readonly memberId: string | null;
  readonly apiKeyId: string | null;
  readonly sessionId: string | null;
  readonly principal: Principal;
}

export interface RequestContext {
  readonly caller: Caller | null;
  /** Credentials were sent but are unknown, expired or revoked. */
  readonly credentialsRejected: boolean;
  readonly services: Services;
  readonly clientIp: string;
}

export function requireCaller(context: RequestContext): Caller {
  if (context.caller) return context.caller;
  throw unauthenticated(
    context.credentialsRejected
      ? 'Your session has expired or the API key was revoked. Log in again.'
      : undefined,
  );
}

/** `@Authorized(Permission.X)`: the single authorization layer, driven by the domain's table. */
export const authChecker: AuthChecker<RequestContext, Permission> = ({ context }, permissions) => {
  const caller = requireCaller(context);
  if (!permissions.every((permission) => can(caller.principal, permission))) throw forbidden();
  return true;
};

/** The authenticated caller, for resolvers behind `@Authorized`. */
export function CurrentCaller() {
  return createParameterDecorator<RequestContext>(({ context }) => requireCaller(context));
}

/**
 * The contract layer every field of the schema goes through, wrapped around the resolvers once the
 * schema is built (not as type-graphql global middlewares: those turn every field, scalars
 * included, into a chain of async calls, which is most of the execution cost of a response).
 *
 * 1. A caller who may write but not read (a WRITE-only API key) sees, of what a mutation returns,
 *    the ids and the userErrors and nothing more: the domain's `canReadRecords` decides. Payload
 *    types (`…Payload`) are the envelopes, so their fields pass; every other object shows only `id`.
 * 2. Typed errors become contract errors, in this one place:
 *    - a DomainError thrown by a mutation becomes its payload `{ userErrors: [...] }` (the
 *      payload's objects are left null); the transaction that threw it has already rolled back;
 *    - a BadInputError becomes a GraphQL error with `extensions.code` BAD_USER_INPUT.
 *    A mutation that returns normally gets `userErrors: []` when it did not set them.
 * A field whose resolver answers synchronously (a property of an object already loaded: nearly
 * every field) stays synchronous: no promise is made for it.
 */
export function applyContractLayer(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const envelope = ENVELOPE_TYPES.test(type.name);
    const mutation = type === schema.getMutationType();
    for (const field of Object.values(type.getFields())) {
      const inner: GraphQLFieldResolver<unknown, RequestContext> =
        field.resolve ?? defaultFieldResolver;
      const guarded = envelope || field.name === 'id';
      const translate = mutation ? mutationOutcome : fieldError;
      field.resolve = (root, args, context: RequestContext, info) => {
        const caller = context.caller;
        if (!guarded && caller && !canReadRecords(caller.principal)) throw writeOnlyForbidden();
        let result: unknown;
        try {
          result = inner(root, args, context, info);
        } catch (error) {
          return translate(error);
        }
        if (isPromiseLike(result)) {
          return mutation
            ? result.then(withUserErrors, mutationOutcome)
            : result.then(undefined, fieldError);
        }
        return mutation ? withUserErrors(result) : result;
      };
    }
  }
  return schema;
}
const ENVELOPE_TYPES = /^(Query|Mutation|UserError|\w+Payload)$/;

const writeOnlyForbidden = () =>
  forbidden(
    'This API key may write but not read: select only ids and userErrors, or use a READ key.',
  );

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

function withUserErrors(result: unknown): unknown {
  if (result && typeof result === 'object' && !('userErrors' in result)) {
    return { ...result, userErrors: [] };
  }
  return result;
}

/** A mutation's DomainError is its payload's userErrors; anything else goes on as it is. */
function mutationOutcome(error: unknown): { userErrors: ReturnType<typeof toUserError>[] } {
  if (isDomainError(error)) return { userErrors: [toUserError(error)] };
  return fieldError(error);
}

function fieldError(error: unknown): never {
  if (isDomainError(error)) throw badUserInput(error.message, error.field);
  if (error instanceof BadInputError) throw badUserInput(error.message, error.field);
  throw error;
}

import { createParameterDecorator, type AuthChecker, type MiddlewareFn } from 'type-graphql';
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

/**
 * A caller who may write but not read (a WRITE-only API key) sees, of what a mutation returns, the
 * ids and the userErrors and nothing more: the domain's `canReadRecords` decides. Payload types
 * (`…Payload`) are the envelopes, so their fields pass; every other object shows only `id`.
 */
export const writeOnlyCallersSeeIds: MiddlewareFn<RequestContext> = ({ context, info }, next) => {
  const caller = context.caller;
  if (
    caller &&
    !canReadRecords(caller.principal) &&
    info.fieldName !== 'id' &&
    !ENVELOPE_TYPES.test(info.parentType.name)
  ) {
    throw forbidden(
      'This API key may write but not read: select only ids and userErrors, or use a READ key.',
    );
  }
  return next();
};
const ENVELOPE_TYPES = /^(Query|Mutation|UserError|\w+Payload)$/;

/** The authenticated caller, for resolvers behind `@Authorized`. */
export function CurrentCaller() {
  return createParameterDecorator<RequestContext>(({ context }) => requireCaller(context));
}

/**
 * The one place typed errors become contract errors:
 * - a DomainError thrown by a mutation becomes its payload `{ userErrors: [...] }` (the payload's
 *   objects are left null); the transaction that threw it has already rolled back;
 * - a BadInputError becomes a GraphQL error with `extensions.code` BAD_USER_INPUT.
 * A mutation that returns normally gets `userErrors: []` when it did not set them.
 */
export const contractErrors: MiddlewareFn<RequestContext> = async ({ info }, next) => {
  const isMutationField = info.parentType.name === 'Mutation';
  try {
    const result: unknown = await next();
    if (isMutationField && result && typeof result === 'object' && !('userErrors' in result)) {
      return { ...result, userErrors: [] };
    }
    return result;
  } catch (error) {
    if (isDomainError(error)) {
      if (isMutationField) return { userErrors: [toUserError(error)] };
      throw badUserInput(error.message, error.field);
    }
    if (error instanceof BadInputError) throw badUserInput(error.message, error.field);
    throw error;
  }
};

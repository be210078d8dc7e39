import { ApolloLink } from '@apollo/client';
import { UserErrorCode } from '@refunds/domain';
import { OperationTypeNode } from 'graphql';
import { tap } from 'rxjs';

/**
 * Refusals that mean "what you are looking at is out of date": someone (another tab, another
 * member, an API key) changed the invoice, entry or credit since the screen loaded it. A screen
 * that keeps showing its old copy lies (e.g. a drawer showing REFUNDED beside "Case: Won" and no
 * refund), so after one of these the screen must reload what it shows.
 */
export const STATE_MOVED_ON: ReadonlySet<string> = new Set<UserErrorCode>([
  UserErrorCode.NOT_FOUND,
  UserErrorCode.INVALID_STATE,
  UserErrorCode.QUOTE_NOT_PAID,
  UserErrorCode.ALREADY_REFUNDED,
  UserErrorCode.NOT_REFUNDABLE,
  UserErrorCode.AMOUNT_EXCEEDS_REFUNDABLE,
  UserErrorCode.AMOUNT_EXCEEDS_OUTSTANDING,
  UserErrorCode.INSUFFICIENT_BALANCE,
]);

/** Whether a mutation's data holds a payload whose userErrors say the state moved on. */
export function saysStateMovedOn(data: unknown): boolean {
  if (!data || typeof data !== 'object') return false;
  return Object.values(data).some((payload: unknown) => {
    const userErrors = (payload as { userErrors?: unknown } | null)?.userErrors;
    return (
      Array.isArray(userErrors) &&
      userErrors.some((error: { code?: unknown }) => STATE_MOVED_ON.has(String(error?.code)))
    );
  });
}

/**
 * Written once for every form and button that runs a mutation: when the answer says the state
 * moved on, every query a screen is showing (drawer, list, tiles, balances) is fetched again, so
 * the screen shows what is true now. A link rather than per-form code, so no form can forget it.
 */
export function refetchWhenStateMovedOnLink(): ApolloLink {
  return new ApolloLink((operation, forward) => {
    if (operation.operationType !== OperationTypeNode.MUTATION) return forward(operation);
    return forward(operation).pipe(
      tap((result) => {
        if (!saysStateMovedOn(result.data)) return;
        // After the mutation's own result is written, not in the middle of it.
        setTimeout(() => void operation.client.refetchQueries({ include: 'active' }), 0);
      }),
    );
  });
}

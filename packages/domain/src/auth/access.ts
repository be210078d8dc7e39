import { DomainError } from '../errors/domain-error';
import { fail, ok, type Result } from '../errors/result';
import { UserErrorCode } from '../errors/user-error-code';
import { can, Permission, type Principal, type Role } from './permissions';

/**
 * A business always keeps an OWNER: nobody else can add or rank members above ADMIN. `next` is the
 * member's new role, or null when they are removed; `owners` counts the OWNERs now (locked).
 */
export function checkOwnerRemains(owners: number, current: Role, next: Role | null): Result<void> {
  const losesOwner = current === 'OWNER' && next !== 'OWNER';
  return losesOwner && owners <= 1
    ? fail(new DomainError(UserErrorCode.LAST_OWNER))
    : ok(undefined);
}

/**
 * May this caller read the records a mutation returns, beyond their ids? A write-only API key may
 * not: it learns the ids and the userErrors of what it wrote, never the customer, quote or money
 * around it, which would make WRITE a read scope in disguise.
 */
export function canReadRecords(principal: Principal): boolean {
  return can(principal, Permission.READ_CUSTOMERS) || can(principal, Permission.READ_MONEY);
}

/**
 * Personal data (a customer's email, the link to their portal, which shows totals, balances and
 * refund reasons) is shown to the same callers as money: READ_MONEY, i.e. the READ scope or a money
 * role. AGENT and VIEWER work the customer list by name.
 */
export const READ_PERSONAL_DATA: Permission = Permission.READ_MONEY;

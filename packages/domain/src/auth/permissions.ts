/**
 * Who may do what. One table for members (by role) and one for API keys (by scope); the API's
 * single authorization layer asks `can()` and nothing else decides access.
 */
export const Role = {
  OWNER: 'OWNER',
  ADMIN: 'ADMIN',
  MANAGER: 'MANAGER',
  AGENT: 'AGENT',
  VIEWER: 'VIEWER',
} as const;
export type Role = (typeof Role)[keyof typeof Role];
export const ROLES: readonly Role[] = Object.values(Role);

export const ApiScope = { READ: 'READ', WRITE: 'WRITE' } as const;
export type ApiScope = (typeof ApiScope)[keyof typeof ApiScope];

export const Permission = {
  /** See the business, oneself and the team. */
  READ_BUSINESS: 'READ_BUSINESS',
  /** Add members. */
  MANAGE_MEMBERS: 'MANAGE_MEMBERS',
  /** Create API keys. */
  MANAGE_API_KEYS: 'MANAGE_API_KEYS',
  /** Read the audit log: who did what, when and why. */
  READ_AUDIT_LOG: 'READ_AUDIT_LOG',
  READ_CUSTOMERS: 'READ_CUSTOMERS',
  WRITE_CUSTOMERS: 'WRITE_CUSTOMERS',
  /** Quotes, invoices, revenue, credit transactions, accounts, balances. */
  READ_MONEY: 'READ_MONEY',
  /** Anything that moves or records money: payments, refunds, credits, adjustments, notes. */
  WRITE_MONEY: 'WRITE_MONEY',
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];

const everything = Object.values(Permission);

const rolePermissions: Record<Role, ReadonlySet<Permission>> = {
  OWNER: new Set(everything),
  ADMIN: new Set(everything),
  // The people who answer for access are the people who read who did what.
  MANAGER: new Set(
    everything.filter(
      (p) =>
        p !== Permission.MANAGE_MEMBERS &&
        p !== Permission.MANAGE_API_KEYS &&
        p !== Permission.READ_AUDIT_LOG,
    ),
  ),
  // Agents work the customer list but, like viewers, never see money (seed 000 section 6).
  AGENT: new Set([Permission.READ_BUSINESS, Permission.READ_CUSTOMERS, Permission.WRITE_CUSTOMERS]),
  VIEWER: new Set([Permission.READ_BUSINESS, Permission.READ_CUSTOMERS]),
};

const scopePermissions: Record<ApiScope, ReadonlySet<Permission>> = {
  READ: new Set([Permission.READ_BUSINESS, Permission.READ_CUSTOMERS, Permission.READ_MONEY]),
  WRITE: new Set([Permission.WRITE_CUSTOMERS, Permission.WRITE_MONEY]),
};

/** Who is calling: a signed-in member, or a third party with an API key. */
export type Principal =
  | { readonly kind: 'member'; readonly role: Role }
  | { readonly kind: 'apiKey'; readonly scopes: readonly ApiScope[] };

export function can(principal: Principal, permission: Permission): boolean {
  if (principal.kind === 'member') return rolePermissions[principal.role].has(permission);
  return principal.scopes.some((scope) => scopePermissions[scope].has(permission));
}

const roleRank: Record<Role, number> = { OWNER: 0, ADMIN: 1, MANAGER: 2, AGENT: 3, VIEWER: 4 };

/** Members who manage members reach their own rank and below, never above. */
function withinReach(actor: Role, role: Role): boolean {
  return (
    can({ kind: 'member', role: actor }, Permission.MANAGE_MEMBERS) &&
    roleRank[role] >= roleRank[actor]
  );
}

/** A member may hand out their own role or a lesser one, never a greater one. */
export function canAssignRole(actor: Role, role: Role): boolean {
  return withinReach(actor, role);
}

/**
 * May `actor` change or remove a member who now has `target`'s role? Only members who manage
 * members, and only members of their own rank or below: an ADMIN never touches an OWNER.
 */
export function canManageMember(actor: Role, target: Role): boolean {
  return withinReach(actor, target);
}

/** A role change needs both: the member is within reach, and the new role is one `actor` may give. */
export function canChangeRole(actor: Role, target: Role, next: Role): boolean {
  return canManageMember(actor, target) && canAssignRole(actor, next);
}

/** `to` ranks below `from`: the member loses rights. */
export function isDemotion(from: Role, to: Role): boolean {
  return roleRank[to] > roleRank[from];
}

/** Which screens a member's navigation shows (the SPA reads this; the API enforces `can`). */
export function canSeeMoney(principal: Principal): boolean {
  return can(principal, Permission.READ_MONEY);
}

import fc from 'fast-check';
import {
  ApiScope,
  can,
  canAssignRole,
  canSeeMoney,
  Permission,
  type Principal,
  Role,
  ROLES,
} from './permissions';

const PERMISSIONS = Object.values(Permission);
const SCOPES = Object.values(ApiScope);
const member = (role: Role): Principal => ({ kind: 'member', role });
const apiKey = (...scopes: ApiScope[]): Principal => ({ kind: 'apiKey', scopes });
const allowed = (principal: Principal) => PERMISSIONS.filter((p) => can(principal, p)).sort();

/** Highest first, as the product ranks them. */
const RANK: readonly Role[] = ['OWNER', 'ADMIN', 'MANAGER', 'AGENT', 'VIEWER'];

describe('roles and permissions', () => {
  it('lists the five roles of the contract, highest first', () => {
    expect(ROLES).toEqual(RANK);
    expect(SCOPES).toEqual(['READ', 'WRITE']);
  });

  it.each([Role.OWNER, Role.ADMIN])('%s may do everything', (role) => {
    for (const permission of PERMISSIONS) expect(can(member(role), permission)).toBe(true);
  });

  it('MANAGER may do everything but manage members and API keys or read the audit log', () => {
    expect(allowed(member(Role.MANAGER))).toEqual(
      PERMISSIONS.filter(
        (p) =>
          p !== Permission.MANAGE_MEMBERS &&
          p !== Permission.MANAGE_API_KEYS &&
          p !== Permission.READ_AUDIT_LOG,
      ).sort(),
    );
    expect(can(member(Role.MANAGER), Permission.READ_MONEY)).toBe(true);
    expect(can(member(Role.MANAGER), Permission.WRITE_MONEY)).toBe(true);
  });

  it.each([Role.AGENT, Role.VIEWER])('%s never reads or moves money', (role) => {
    expect(can(member(role), Permission.READ_MONEY)).toBe(false);
    expect(can(member(role), Permission.WRITE_MONEY)).toBe(false);
    expect(can(member(role), Permission.MANAGE_MEMBERS)).toBe(false);
    expect(can(member(role), Permission.MANAGE_API_KEYS)).toBe(false);
    expect(can(member(role), Permission.READ_AUDIT_LOG)).toBe(false);
    expect(canSeeMoney(member(role))).toBe(false);
  });

  it('AGENT works the customer list; VIEWER only reads it', () => {
    expect(allowed(member(Role.AGENT))).toEqual(
      [Permission.READ_BUSINESS, Permission.READ_CUSTOMERS, Permission.WRITE_CUSTOMERS].sort(),
    );
    expect(allowed(member(Role.VIEWER))).toEqual(
      [Permission.READ_BUSINESS, Permission.READ_CUSTOMERS].sort(),
    );
  });

  it('only OWNER, ADMIN and MANAGER see money', () => {
    expect(ROLES.filter((role) => canSeeMoney(member(role)))).toEqual([
      'OWNER',
      'ADMIN',
      'MANAGER',
    ]);
    expect(ROLES.filter((role) => can(member(role), Permission.WRITE_MONEY))).toEqual([
      'OWNER',
      'ADMIN',
      'MANAGER',
    ]);
  });

  it('a lower role never has a permission that a higher role lacks', () => {
    for (let higher = 0; higher < RANK.length; higher += 1) {
      for (let lower = higher + 1; lower < RANK.length; lower += 1) {
        const higherRole = RANK[higher] as Role;
        const lowerRole = RANK[lower] as Role;
        for (const permission of PERMISSIONS) {
          if (can(member(lowerRole), permission)) {
            expect(can(member(higherRole), permission)).toBe(true);
          }
        }
      }
    }
  });
});

describe('API key scopes', () => {
  it('READ reads the business, customers and money, and writes nothing', () => {
    expect(allowed(apiKey(ApiScope.READ))).toEqual(
      [Permission.READ_BUSINESS, Permission.READ_CUSTOMERS, Permission.READ_MONEY].sort(),
    );
  });

  it('WRITE writes customers and money', () => {
    expect(allowed(apiKey(ApiScope.WRITE))).toEqual(
      [Permission.WRITE_CUSTOMERS, Permission.WRITE_MONEY].sort(),
    );
  });

  it('READ and WRITE together have the union, still without managing members or keys or reading the audit log', () => {
    expect(allowed(apiKey(ApiScope.READ, ApiScope.WRITE))).toEqual(
      PERMISSIONS.filter(
        (p) =>
          p !== Permission.MANAGE_MEMBERS &&
          p !== Permission.MANAGE_API_KEYS &&
          p !== Permission.READ_AUDIT_LOG,
      ).sort(),
    );
  });

  it('a key without scopes may do nothing', () => {
    expect(allowed(apiKey())).toEqual([]);
    expect(canSeeMoney(apiKey())).toBe(false);
  });

  it('a key is allowed exactly what one of its scopes allows', () => {
    fc.assert(
      fc.property(fc.subarray(SCOPES), fc.constantFrom(...PERMISSIONS), (scopes, permission) => {
        expect(can(apiKey(...scopes), permission)).toBe(
          scopes.some((scope) => can(apiKey(scope), permission)),
        );
      }),
    );
  });
});

describe('canAssignRole', () => {
  it('OWNER may hand out every role', () => {
    for (const role of ROLES) expect(canAssignRole(Role.OWNER, role)).toBe(true);
  });

  it('ADMIN may hand out ADMIN and below, never OWNER', () => {
    expect(ROLES.filter((role) => canAssignRole(Role.ADMIN, role))).toEqual([
      'ADMIN',
      'MANAGER',
      'AGENT',
      'VIEWER',
    ]);
  });

  it.each([Role.MANAGER, Role.AGENT, Role.VIEWER])('%s may hand out no role at all', (actor) => {
    for (const role of ROLES) expect(canAssignRole(actor, role)).toBe(false);
  });

  it('never lets anyone grant a role higher than their own', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ROLES), fc.constantFrom(...ROLES), (actor, role) => {
        if (canAssignRole(actor, role)) {
          expect(RANK.indexOf(role)).toBeGreaterThanOrEqual(RANK.indexOf(actor));
          expect(can(member(actor), Permission.MANAGE_MEMBERS)).toBe(true);
          // Whatever the new member may do, the one who added them may do too.
          for (const permission of PERMISSIONS) {
            if (can(member(role), permission)) expect(can(member(actor), permission)).toBe(true);
          }
        }
      }),
    );
  });
});

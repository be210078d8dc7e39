import fc from 'fast-check';
import { canReadRecords, checkOwnerRemains } from './access';
import {
  type ApiScope,
  canChangeRole,
  canManageMember,
  isDemotion,
  type Principal,
  ROLES,
} from './permissions';

const role = fc.constantFrom(...ROLES);

describe('managing members', () => {
  it('only OWNER and ADMIN manage members, and an ADMIN never touches an OWNER', () => {
    expect(canManageMember('OWNER', 'OWNER')).toBe(true);
    expect(canManageMember('OWNER', 'ADMIN')).toBe(true);
    expect(canManageMember('ADMIN', 'OWNER')).toBe(false);
    expect(canManageMember('ADMIN', 'ADMIN')).toBe(true);
    expect(canManageMember('ADMIN', 'VIEWER')).toBe(true);
    for (const actor of ['MANAGER', 'AGENT', 'VIEWER'] as const) {
      for (const target of ROLES) expect(canManageMember(actor, target)).toBe(false);
    }
  });

  it('a role change needs the member within reach and the new role within reach', () => {
    expect(canChangeRole('ADMIN', 'VIEWER', 'ADMIN')).toBe(true);
    expect(canChangeRole('ADMIN', 'VIEWER', 'OWNER')).toBe(false);
    expect(canChangeRole('ADMIN', 'OWNER', 'VIEWER')).toBe(false);
    expect(canChangeRole('OWNER', 'OWNER', 'VIEWER')).toBe(true);
    fc.assert(
      fc.property(role, role, role, (actor, target, next) => {
        if (canChangeRole(actor, target, next)) {
          expect(canManageMember(actor, target)).toBe(true);
          expect(canManageMember(actor, next)).toBe(true);
        }
      }),
    );
  });
});

describe('demotions', () => {
  it('a lower rank is a demotion; the same or a higher one is not', () => {
    expect(isDemotion('OWNER', 'ADMIN')).toBe(true);
    expect(isDemotion('MANAGER', 'VIEWER')).toBe(true);
    expect(isDemotion('ADMIN', 'ADMIN')).toBe(false);
    expect(isDemotion('VIEWER', 'OWNER')).toBe(false);
  });
});

describe('the last owner', () => {
  it('refuses to demote or remove the only OWNER with LAST_OWNER', () => {
    for (const next of [null, 'ADMIN', 'VIEWER'] as const) {
      const result = checkOwnerRemains(1, 'OWNER', next);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('LAST_OWNER');
    }
  });

  it('allows it when another OWNER remains, and never cares about other roles', () => {
    expect(checkOwnerRemains(2, 'OWNER', null).ok).toBe(true);
    expect(checkOwnerRemains(1, 'OWNER', 'OWNER').ok).toBe(true);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        role,
        fc.option(role),
        (owners, current, next) => {
          const result = checkOwnerRemains(owners, current, next);
          const ownersAfter = owners - (current === 'OWNER' && next !== 'OWNER' ? 1 : 0);
          expect(result.ok).toBe(current !== 'OWNER' || next === 'OWNER' || ownersAfter >= 1);
        },
      ),
    );
  });
});

describe('reading records', () => {
  const key = (...scopes: ApiScope[]): Principal => ({ kind: 'apiKey', scopes });
  it('a WRITE-only key reads nothing but ids; READ keys and every role read records', () => {
    expect(canReadRecords(key('WRITE'))).toBe(false);
    expect(canReadRecords(key('READ'))).toBe(true);
    expect(canReadRecords(key('READ', 'WRITE'))).toBe(true);
    for (const r of ROLES) expect(canReadRecords({ kind: 'member', role: r })).toBe(true);
  });
});

import type { Caller } from '../platform/graphql/context';
import { CREDENTIAL_TTL_MS, CredentialCache } from './credential-cache';

const member = (id: string, businessId = 'b1'): Caller => ({
  businessId,
  memberId: id,
  apiKeyId: null,
  sessionId: `s-${id}`,
  principal: { kind: 'member', role: 'OWNER' },
});
const key = (id: string, businessId = 'b1'): Caller => ({
  businessId,
  memberId: null,
  apiKeyId: id,
  sessionId: null,
  principal: { kind: 'apiKey', scopes: ['READ'] },
});

describe('CredentialCache', () => {
  const at = new Date('2026-11-24T08:00:00Z');
  let time = 0;
  const cache = (options: { ttlMs?: number; maxEntries?: number } = {}) =>
    new CredentialCache({ ...options, monotonicNow: () => time });
  beforeEach(() => (time = 1_000));

  it('trusts an entry for at most a second, then asks the database again', () => {
    expect(CREDENTIAL_TTL_MS).toBeLessThanOrEqual(1_000);
    const credentials = cache();
    credentials.set('h1', member('m1'), null, credentials.currentGeneration());
    expect(credentials.get('h1', at)).toEqual(member('m1'));
    time += CREDENTIAL_TTL_MS - 1;
    expect(credentials.get('h1', at)).toEqual(member('m1'));
    time += 1;
    expect(credentials.get('h1', at)).toBeUndefined();
    expect(credentials.size).toBe(0);
  });

  it("never outlives the credential's own expiry", () => {
    const credentials = cache();
    const expiresAt = new Date(at.getTime() + 10);
    credentials.set('h1', key('k1'), expiresAt, credentials.currentGeneration());
    expect(credentials.get('h1', at)).toEqual(key('k1'));
    expect(credentials.get('h1', expiresAt)).toBeUndefined();
  });

  it('forgets a session, a key, a member or a business at once, and nothing else', () => {
    const credentials = cache();
    const g = credentials.currentGeneration();
    credentials.set('s1', member('m1'), null, g);
    credentials.set('s2', member('m2'), null, g);
    credentials.set('k1', key('k1'), null, g);
    credentials.set('k2', key('k2', 'b2'), null, g);
    credentials.forget((c) => c.sessionId === 's-m1');
    expect(credentials.get('s1', at)).toBeUndefined();
    credentials.forget((c) => c.apiKeyId === 'k1');
    expect(credentials.get('k1', at)).toBeUndefined();
    expect(credentials.get('s2', at)).toEqual(member('m2'));
    credentials.forget((c) => c.businessId === 'b1');
    expect(credentials.get('s2', at)).toBeUndefined();
    expect(credentials.get('k2', at)).toEqual(key('k2', 'b2'));
  });

  it('drops an answer read before an invalidation (a lookup racing a revocation)', () => {
    const credentials = cache();
    const readBefore = credentials.currentGeneration();
    // The revocation commits and forgets while the lookup's query is on its way.
    credentials.forget((c) => c.memberId === 'm1');
    credentials.set('s1', member('m1'), null, readBefore);
    expect(credentials.get('s1', at)).toBeUndefined();
    credentials.set('s1', member('m1'), null, credentials.currentGeneration());
    expect(credentials.get('s1', at)).toEqual(member('m1'));
  });

  it('holds at most maxEntries, dropping the oldest first', () => {
    const credentials = cache({ maxEntries: 3 });
    for (const id of ['a', 'b', 'c', 'd']) {
      credentials.set(id, member(id), null, credentials.currentGeneration());
      time += 10;
    }
    expect(credentials.size).toBe(3);
    expect(credentials.get('a', at)).toBeUndefined();
    expect(credentials.get('d', at)).toEqual(member('d'));
    // Refreshing an entry moves it to the back of the line.
    credentials.set('b', member('b'), null, credentials.currentGeneration());
    credentials.set('e', member('e'), null, credentials.currentGeneration());
    expect(credentials.get('c', at)).toBeUndefined();
    expect(credentials.get('b', at)).toEqual(member('b'));
  });
});

import { addMember, startTestApi, type SignedUp, type TestApi } from '../test/harness';

const MEMBERS = `{ members { id name email role } }`;
const ME = `{ me { id role } }`;
const CHANGE_ROLE = `mutation ($input: ChangeMemberRoleInput!) {
  changeMemberRole(input: $input) { member { id role } userErrors { code field } }
}`;
const REMOVE = `mutation ($id: ID!) {
  removeMember(memberId: $id) { member { id } userErrors { code field } }
}`;
const CREATE_KEY = `mutation ($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    secret
    apiKey { id name scopes createdAt expiresAt lastUsedAt revokedAt }
    userErrors { code }
  }
}`;
const REVOKE_KEY = `mutation ($id: ID!) {
  revokeApiKey(id: $id) { secret apiKey { id revokedAt } userErrors { code field } }
}`;
const API_KEYS = `{ apiKeys { id name scopes createdAt expiresAt lastUsedAt revokedAt } }`;
const AUDIT = `query ($subjectId: ID) {
  auditLog(subjectId: $subjectId) { nodes { action actorKind subjectType subjectId changes { field before after } } }
}`;
const LOGIN = `mutation ($email: String!, $password: String!) {
  login(email: $email, password: $password) { token userErrors { code } }
}`;

const code = (response: { errors?: Array<{ extensions?: { code?: string } }> }) =>
  response.errors?.[0]?.extensions?.code;

describe('access management', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  /** A member added by `owner`, with their id, email and token. */
  async function member(owner: SignedUp, role: string) {
    const token = await addMember(api, owner, role);
    const me = await api.gql<any>(`{ me { id email } }`, {}, token);
    return { token, id: me.data.me.id as string, email: me.data.me.email as string };
  }

  it('lists the team to OWNER and ADMIN only, and never another business', async () => {
    const owner = await api.signUp();
    api.clock.advance(1000);
    const admin = await member(owner, 'ADMIN');
    api.clock.advance(1000);
    const manager = await member(owner, 'MANAGER');
    const stranger = await api.signUp();

    const listed = await api.gql<any>(MEMBERS, {}, admin.token);
    expect(listed.errors).toBeUndefined();
    expect(listed.data.members.map((m: { id: string }) => m.id)).toEqual([
      owner.memberId,
      admin.id,
      manager.id,
    ]);
    expect(listed.data.members.map((m: { role: string }) => m.role)).toEqual([
      'OWNER',
      'ADMIN',
      'MANAGER',
    ]);
    expect(code(await api.gql(MEMBERS, {}, manager.token))).toBe('FORBIDDEN');
    const theirs = await api.gql<any>(MEMBERS, {}, stranger.token);
    expect(theirs.data.members.map((m: { id: string }) => m.id)).toEqual([stranger.memberId]);
  });

  it('changes roles within the actor’s reach; an ADMIN never touches or makes an OWNER', async () => {
    const owner = await api.signUp();
    const admin = await member(owner, 'ADMIN');
    const viewer = await member(owner, 'VIEWER');

    const promoted = await api.gql<any>(
      CHANGE_ROLE,
      { input: { memberId: viewer.id, role: 'MANAGER' } },
      admin.token,
    );
    expect(promoted.data.changeMemberRole).toEqual({
      member: { id: viewer.id, role: 'MANAGER' },
      userErrors: [],
    });
    // A promotion keeps the session, which now reads with the new role.
    expect((await api.gql<any>(ME, {}, viewer.token)).data.me.role).toBe('MANAGER');

    for (const [memberId, role] of [
      [owner.memberId, 'VIEWER'],
      [viewer.id, 'OWNER'],
    ]) {
      const refused = await api.gql<any>(CHANGE_ROLE, { input: { memberId, role } }, admin.token);
      expect(code(refused)).toBe('FORBIDDEN');
    }
    const manager = viewer;
    expect(
      code(
        await api.gql(
          CHANGE_ROLE,
          { input: { memberId: admin.id, role: 'VIEWER' } },
          manager.token,
        ),
      ),
    ).toBe('FORBIDDEN');

    const other = await api.signUp();
    for (const memberId of [other.memberId, 'not-a-uuid', '00000000-0000-4000-8000-000000000000']) {
      const missing = await api.gql<any>(
        CHANGE_ROLE,
        { input: { memberId, role: 'VIEWER' } },
        owner.token,
      );
      expect(missing.data.changeMemberRole.userErrors).toEqual([
        { code: 'NOT_FOUND', field: ['input', 'memberId'] },
      ]);
    }
    // Nothing of the other business changed.
    expect((await api.gql<any>(ME, {}, other.token)).data.me.role).toBe('OWNER');
  });

  it('demoting a member ends their sessions at once, and the audit log says who did it', async () => {
    const owner = await api.signUp();
    const admin = await member(owner, 'ADMIN');
    const demoted = await api.gql<any>(
      CHANGE_ROLE,
      { input: { memberId: admin.id, role: 'AGENT' } },
      owner.token,
    );
    expect(demoted.data.changeMemberRole.member.role).toBe('AGENT');
    expect(code(await api.gql(ME, {}, admin.token))).toBe('UNAUTHENTICATED');
    // They log in again, with the new role.
    const again = await api.gql<any>(LOGIN, {
      email: admin.email,
      password: 'a long enough password',
    });
    expect((await api.gql<any>(ME, {}, again.data.login.token)).data.me.role).toBe('AGENT');

    const audit = await api.gql<any>(AUDIT, { subjectId: admin.id }, owner.token);
    expect(audit.data.auditLog.nodes).toEqual([
      {
        action: 'MEMBER_ROLE_CHANGED',
        actorKind: 'MEMBER',
        subjectType: 'Member',
        subjectId: admin.id,
        changes: [{ field: 'role', before: 'ADMIN', after: 'AGENT' }],
      },
      {
        action: 'MEMBER_ADDED',
        actorKind: 'MEMBER',
        subjectType: 'Member',
        subjectId: admin.id,
        changes: [{ field: 'role', before: null, after: 'ADMIN' }],
      },
    ]);
  });

  it('never leaves a business without an OWNER (LAST_OWNER), even when two owners race', async () => {
    const owner = await api.signUp();
    for (const attempt of [
      api.gql<any>(
        CHANGE_ROLE,
        { input: { memberId: owner.memberId, role: 'ADMIN' } },
        owner.token,
      ),
      api.gql<any>(REMOVE, { id: owner.memberId }, owner.token),
    ]) {
      const payload = Object.values((await attempt).data!)[0] as { userErrors: unknown[] };
      expect(payload.userErrors).toEqual([{ code: 'LAST_OWNER', field: [] }]);
    }
    expect((await api.gql<any>(ME, {}, owner.token)).data.me.role).toBe('OWNER');

    // Two owners demote each other at the same moment. The members are locked and the actor's role
    // re-read under the lock, so whoever commits second is no longer an OWNER (or no longer
    // logged in): exactly one demotion happens.
    const second = await member(owner, 'OWNER');
    const [a, b] = await Promise.all([
      api.gql<any>(CHANGE_ROLE, { input: { memberId: second.id, role: 'ADMIN' } }, owner.token),
      api.gql<any>(
        CHANGE_ROLE,
        { input: { memberId: owner.memberId, role: 'ADMIN' } },
        second.token,
      ),
    ]);
    const outcomes = [a, b].map((r) =>
      r.data?.changeMemberRole.member
        ? 'OK'
        : (code(r) ?? r.data?.changeMemberRole.userErrors[0].code),
    );
    expect(outcomes.filter((o) => o === 'OK')).toHaveLength(1);
    expect(['FORBIDDEN', 'UNAUTHENTICATED', 'LAST_OWNER']).toContain(
      outcomes.find((o) => o !== 'OK'),
    );
    const roles = await api.db.manager.query(
      `SELECT role FROM members WHERE business_id = $1 AND removed_at IS NULL`,
      [owner.businessId],
    );
    expect(roles.filter((r: { role: string }) => r.role === 'OWNER')).toHaveLength(1);
  });

  it('removes a member: their sessions end at once, they cannot log in, their email is free', async () => {
    const owner = await api.signUp();
    const admin = await member(owner, 'ADMIN');
    const agent = await member(owner, 'AGENT');

    expect(code(await api.gql(REMOVE, { id: owner.memberId }, admin.token))).toBe('FORBIDDEN');
    expect(code(await api.gql(REMOVE, { id: admin.id }, agent.token))).toBe('FORBIDDEN');

    const removed = await api.gql<any>(REMOVE, { id: agent.id }, admin.token);
    expect(removed.data.removeMember).toEqual({ member: { id: agent.id }, userErrors: [] });
    expect(code(await api.gql(ME, {}, agent.token))).toBe('UNAUTHENTICATED');
    const login = await api.gql<any>(LOGIN, {
      email: agent.email,
      password: 'a long enough password',
    });
    expect(login.data.login.userErrors).toEqual([{ code: 'INVALID_CREDENTIALS' }]);
    const members = await api.gql<any>(MEMBERS, {}, owner.token);
    expect(members.data.members.map((m: { id: string }) => m.id)).not.toContain(agent.id);
    // Removing again: they are gone.
    const again = await api.gql<any>(REMOVE, { id: agent.id }, admin.token);
    expect(again.data.removeMember.userErrors[0].code).toBe('NOT_FOUND');
    // The same person can be added back (here, or to another business).
    const readded = await api.gql<any>(
      `mutation ($input: CreateMemberInput!) { createMember(input: $input) { member { id } userErrors { code } } }`,
      {
        input: {
          name: 'Back',
          email: agent.email,
          role: 'VIEWER',
          password: 'a long enough password',
        },
      },
      owner.token,
    );
    expect(readded.data.createMember.userErrors).toEqual([]);

    const audit = await api.gql<any>(AUDIT, { subjectId: agent.id }, owner.token);
    expect(audit.data.auditLog.nodes[0]).toMatchObject({
      action: 'MEMBER_REMOVED',
      changes: [{ field: 'role', before: 'AGENT', after: null }],
    });
  });

  it('lists API keys without secrets; revoking or expiry stops a key at once', async () => {
    const owner = await api.signUp();
    const expiresAt = new Date(api.clock.now().getTime() + 60 * 60 * 1000).toISOString();
    const created = await api.gql<any>(
      CREATE_KEY,
      { input: { name: 'Zapier', scopes: ['READ', 'READ'], expiresAt } },
      owner.token,
    );
    const { secret, apiKey } = created.data.createApiKey;
    expect(secret).toMatch(/^rbo_k_/);
    expect(apiKey).toEqual({
      id: expect.any(String),
      name: 'Zapier',
      scopes: ['READ'],
      createdAt: api.clock.now().toISOString(),
      expiresAt,
      lastUsedAt: null,
      revokedAt: null,
    });
    const other = await api.gql<any>(
      CREATE_KEY,
      { input: { name: 'Books', scopes: ['WRITE'] } },
      owner.token,
    );
    const otherKey = other.data.createApiKey.apiKey;

    expect((await api.gql<any>(`{ business { name } }`, {}, secret)).errors).toBeUndefined();
    const listed = await api.gql<any>(API_KEYS, {}, owner.token);
    expect(listed.data.apiKeys.map((k: { id: string }) => k.id).sort()).toEqual(
      [apiKey.id, otherKey.id].sort(),
    );
    const zapier = listed.data.apiKeys.find((k: { id: string }) => k.id === apiKey.id);
    expect(zapier.lastUsedAt).toBe(api.clock.now().toISOString());
    expect(JSON.stringify(listed)).not.toContain(secret.slice(6, 20));
    // The type has no field that could carry the secret.
    const fields = await api.gql<any>(`{ __type(name: "ApiKey") { fields { name } } }`);
    expect(fields.data.__type.fields.map((f: { name: string }) => f.name).sort()).toEqual([
      'createdAt',
      'expiresAt',
      'id',
      'lastUsedAt',
      'name',
      'revokedAt',
      'scopes',
    ]);

    // Keys neither list nor revoke keys; managers do not either.
    const manager = await member(owner, 'MANAGER');
    expect(code(await api.gql(API_KEYS, {}, secret))).toBe('FORBIDDEN');
    expect(code(await api.gql(API_KEYS, {}, manager.token))).toBe('FORBIDDEN');
    expect(code(await api.gql(REVOKE_KEY, { id: apiKey.id }, manager.token))).toBe('FORBIDDEN');

    // Expiry: the key stops working once the clock passes expiresAt.
    api.clock.advance(60 * 60 * 1000 + 1);
    expect(code(await api.gql(`{ business { name } }`, {}, secret))).toBe('UNAUTHENTICATED');

    // Revoking: the other key stops at once, and revoking twice changes nothing.
    const otherSecret = other.data.createApiKey.secret as string;
    const write = `mutation { createCustomer(input: { name: "Via key" }) { customer { id } } }`;
    expect(code(await api.gql(write, {}, otherSecret))).toBeUndefined();
    const revoked = await api.gql<any>(REVOKE_KEY, { id: otherKey.id }, owner.token);
    expect(revoked.data.revokeApiKey).toEqual({
      secret: null,
      apiKey: { id: otherKey.id, revokedAt: api.clock.now().toISOString() },
      userErrors: [],
    });
    expect(code(await api.gql(write, {}, otherSecret))).toBe('UNAUTHENTICATED');
    api.clock.advance(1000);
    const twice = await api.gql<any>(REVOKE_KEY, { id: otherKey.id }, owner.token);
    expect(twice.data.revokeApiKey.apiKey.revokedAt).toBe(
      revoked.data.revokeApiKey.apiKey.revokedAt,
    );

    // Another business's key, or nonsense, is NOT_FOUND.
    const stranger = await api.signUp();
    for (const id of [otherKey.id, 'nope']) {
      const missing = await api.gql<any>(REVOKE_KEY, { id }, stranger.token);
      expect(missing.data.revokeApiKey.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['id'] }]);
    }

    const audit = await api.gql<any>(AUDIT, { subjectId: otherKey.id }, owner.token);
    expect(audit.data.auditLog.nodes.map((n: { action: string }) => n.action)).toEqual([
      'API_KEY_REVOKED',
      'API_KEY_CREATED',
    ]);
  });

  it('refuses an expiry in the past as BAD_USER_INPUT, creating nothing', async () => {
    const owner = await api.signUp();
    const past = new Date(api.clock.now().getTime() - 1000).toISOString();
    const refused = await api.gql<any>(
      CREATE_KEY,
      { input: { name: 'Old', scopes: ['READ'], expiresAt: past } },
      owner.token,
    );
    expect(code(refused)).toBe('BAD_USER_INPUT');
    expect((await api.gql<any>(API_KEYS, {}, owner.token)).data.apiKeys).toEqual([]);
  });

  it('keeps a removed member’s email unique among current members', async () => {
    const owner = await api.signUp();
    const taken = await api.gql<any>(
      `mutation ($input: CreateMemberInput!) { createMember(input: $input) { userErrors { code } } }`,
      {
        input: {
          name: 'Dup',
          email: owner.email,
          role: 'VIEWER',
          password: 'a long enough password',
        },
      },
      owner.token,
    );
    expect(taken.data.createMember.userErrors).toEqual([{ code: 'EMAIL_TAKEN' }]);
  });
});

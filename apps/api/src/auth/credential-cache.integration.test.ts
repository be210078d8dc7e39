import { addMember, startTestApi, type TestApi } from '../test/harness';
import { CREDENTIAL_TTL_MS } from './credential-cache';

/**
 * Authentication is cheap (a credential seen in the last second costs no database round trip)
 * and still safe: what this process revokes is refused at once, and what another process (or a
 * hand-written UPDATE) revokes is refused within CREDENTIAL_TTL_MS.
 */
const ME = `{ me { id role } }`;
const WHO = `{ business { name } }`;
const CREATE_KEY = `mutation ($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { id } userErrors { code } }
}`;
const code = (response: { errors?: Array<{ extensions?: { code?: string } }> }) =>
  response.errors?.[0]?.extensions?.code;

describe('authentication through the credential cache', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  async function newKey(token: string, name = 'Zapier'): Promise<{ secret: string; id: string }> {
    const created = await api.gql<any>(CREATE_KEY, { input: { name, scopes: ['READ'] } }, token);
    return { secret: created.data.createApiKey.secret, id: created.data.createApiKey.apiKey.id };
  }

  /** Database statements run while `work` runs (the app shares the harness's manager). */
  async function statementsDuring(work: () => Promise<unknown>): Promise<string[]> {
    const spy = jest.spyOn(api.db.manager, 'query');
    try {
      await work();
      return spy.mock.calls.map(([sql]) => String(sql));
    } finally {
      spy.mockRestore();
    }
  }

  it('asks the database once for a credential used again within the second', async () => {
    const owner = await api.signUp();
    const key = await newKey(owner.token);
    // The sign-up's own authenticate may have cached the owner; start from a known state.
    await new Promise((resolve) => setTimeout(resolve, CREDENTIAL_TTL_MS + 50));

    const first = await statementsDuring(() => api.gql(`{ __typename }`, {}, owner.token));
    expect(first.filter((sql) => /FROM sessions/.test(sql))).toHaveLength(1);
    const again = await statementsDuring(() => api.gql(`{ __typename }`, {}, owner.token));
    expect(again.filter((sql) => /FROM sessions/.test(sql))).toHaveLength(0);

    // A key's first use reads the key and stamps lastUsedAt; its next uses do neither.
    const keyFirst = await statementsDuring(() => api.gql(`{ __typename }`, {}, key.secret));
    expect(keyFirst.filter((sql) => /FROM api_keys/.test(sql))).toHaveLength(1);
    expect(keyFirst.filter((sql) => /UPDATE api_keys SET last_used_at/.test(sql))).toHaveLength(1);
    const keyAgain = await statementsDuring(() => api.gql(`{ __typename }`, {}, key.secret));
    expect(keyAgain.filter((sql) => /api_keys/.test(sql))).toHaveLength(0);
    expect(code(await api.gql(WHO, {}, key.secret))).toBeUndefined();
  });

  it('refuses at once what this process revokes, even while it is cached', async () => {
    const owner = await api.signUp();
    const key = await newKey(owner.token);
    const agent = await addMember(api, owner, 'AGENT');
    const manager = await addMember(api, owner, 'MANAGER');
    const agentId = (await api.gql<any>(ME, {}, agent)).data.me.id as string;
    const managerId = (await api.gql<any>(ME, {}, manager)).data.me.id as string;
    const session = (
      await api.gql<any>(
        `mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`,
        { e: owner.email, p: owner.password },
      )
    ).data.login.token as string;
    for (const token of [key.secret, agent, manager, session]) {
      expect(code(await api.gql(WHO, {}, token))).toBeUndefined(); // cached now
    }

    await api.gql(
      `mutation ($id: ID!) { revokeApiKey(id: $id) { userErrors { code } } }`,
      { id: key.id },
      owner.token,
    );
    expect(code(await api.gql(WHO, {}, key.secret))).toBe('UNAUTHENTICATED');

    await api.gql(
      `mutation ($id: ID!) { removeMember(memberId: $id) { userErrors { code } } }`,
      { id: agentId },
      owner.token,
    );
    expect(code(await api.gql(WHO, {}, agent))).toBe('UNAUTHENTICATED');

    // A promotion keeps the session, with the new role at once.
    await api.gql(
      `mutation ($input: ChangeMemberRoleInput!) { changeMemberRole(input: $input) { userErrors { code } } }`,
      { input: { memberId: managerId, role: 'ADMIN' } },
      owner.token,
    );
    expect((await api.gql<any>(ME, {}, manager)).data.me.role).toBe('ADMIN');
    // A demotion ends it at once.
    await api.gql(
      `mutation ($input: ChangeMemberRoleInput!) { changeMemberRole(input: $input) { userErrors { code } } }`,
      { input: { memberId: managerId, role: 'VIEWER' } },
      owner.token,
    );
    expect(code(await api.gql(WHO, {}, manager))).toBe('UNAUTHENTICATED');

    expect((await api.gql<any>(`mutation { logout }`, {}, session)).data.logout).toBe(true);
    expect(code(await api.gql(WHO, {}, session))).toBe('UNAUTHENTICATED');
    expect(code(await api.gql(WHO, {}, owner.token))).toBeUndefined();
  });

  it('refuses within the stated second what another process revokes', async () => {
    const owner = await api.signUp();
    const key = await newKey(owner.token);
    const session = await addMember(api, owner, 'AGENT');
    expect(code(await api.gql(WHO, {}, key.secret))).toBeUndefined();
    expect(code(await api.gql(WHO, {}, session))).toBeUndefined();

    // Another API process revokes them: this process's cache is not told.
    const revokedAt = Date.now();
    await api.db.manager.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1`, [key.id]);
    await api.db.manager.query(
      `UPDATE sessions SET revoked_at = now() WHERE business_id = $1 AND member_id <> $2`,
      [owner.businessId, owner.memberId],
    );
    const refusedAfter = async (token: string) => {
      while (code(await api.gql(WHO, {}, token)) !== 'UNAUTHENTICATED') {
        if (Date.now() - revokedAt > 5 * CREDENTIAL_TTL_MS) throw new Error('still accepted');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return Date.now() - revokedAt;
    };
    const [keyWindow, sessionWindow] = await Promise.all([
      refusedAfter(key.secret),
      refusedAfter(session),
    ]);
    // The TTL, plus one polling step and a request's time.
    expect(keyWindow).toBeLessThanOrEqual(CREDENTIAL_TTL_MS + 400);
    expect(sessionWindow).toBeLessThanOrEqual(CREDENTIAL_TTL_MS + 400);
    expect(code(await api.gql(WHO, {}, owner.token))).toBeUndefined();
  });
});

import { addMember, startTestApi, type TestApi, uniqueEmail } from '../test/harness';
import { atWallClock } from './testing';

const SIGN_UP = `mutation ($input: SignUpInput!) {
  signUp(input: $input) { token member { id name email role } userErrors { code field message } }
}`;
const LOGIN = `mutation ($email: String!, $password: String!) {
  login(email: $email, password: $password) { token member { id role } userErrors { code field message } }
}`;
const ME = `{ me { id name email role } business { id name country currency timezone refundChannelExamples } }`;

describe('auth', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  const signUpInput = (overrides: Partial<Record<string, string>> = {}) => ({
    businessName: 'Ama Cleaning Co',
    country: 'GH',
    currency: 'GHS',
    timezone: 'Africa/Accra',
    name: 'Ama Owusu',
    email: uniqueEmail(),
    password: 'correct horse battery',
    ...overrides,
  });

  it('signs up a business and its owner, whose token reads the business', async () => {
    const input = signUpInput();
    const signUp = await api.gql<any>(SIGN_UP, { input });
    expect(signUp.data.signUp.userErrors).toEqual([]);
    expect(signUp.data.signUp.member).toMatchObject({
      name: 'Ama Owusu',
      email: input.email,
      role: 'OWNER',
    });

    const me = await api.gql<any>(ME, {}, signUp.data.signUp.token);
    expect(me.errors).toBeUndefined();
    expect(me.data.me.email).toBe(input.email);
    expect(me.data.business).toMatchObject({
      name: 'Ama Cleaning Co',
      country: 'GH',
      currency: 'GHS',
      timezone: 'Africa/Accra',
    });
    expect(me.data.business.refundChannelExamples).toContain('MTN MoMo');
  });

  it('refuses a taken email and a weak password with userErrors, and bad profiles as BAD_USER_INPUT', async () => {
    const input = signUpInput();
    await api.gql(SIGN_UP, { input });
    const again = await api.gql<any>(SIGN_UP, {
      input: { ...input, email: input.email.toUpperCase() },
    });
    expect(again.data.signUp).toMatchObject({ token: null, member: null });
    expect(again.data.signUp.userErrors).toEqual([
      expect.objectContaining({ code: 'EMAIL_TAKEN', field: ['input', 'email'] }),
    ]);

    const weak = await api.gql<any>(SIGN_UP, { input: signUpInput({ password: 'short' }) });
    expect(weak.data.signUp.userErrors[0]).toMatchObject({
      code: 'WEAK_PASSWORD',
      field: ['input', 'password'],
    });

    for (const bad of [
      { country: 'XX' },
      { currency: 'ABC' },
      { timezone: 'Mars/Olympus' },
      { email: 'not-an-email' },
    ]) {
      const result = await api.gql<any>(SIGN_UP, { input: signUpInput(bad) });
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('logs in, refuses a wrong password, and revokes the token on logout', async () => {
    const owner = await api.signUp();
    const wrong = await api.gql<any>(LOGIN, { email: owner.email, password: 'wrong password!!' });
    expect(wrong.data.login.userErrors[0].code).toBe('INVALID_CREDENTIALS');
    const unknown = await api.gql<any>(LOGIN, {
      email: uniqueEmail(),
      password: 'wrong password!!',
    });
    expect(unknown.data.login.userErrors[0].code).toBe('INVALID_CREDENTIALS');

    const login = await api.gql<any>(LOGIN, {
      email: owner.email.toUpperCase(),
      password: owner.password,
    });
    const token = login.data.login.token as string;
    expect(token).toMatch(/^rbo_s_/);
    expect((await api.gql<any>(ME, {}, token)).data.me.role).toBe('OWNER');

    expect((await api.gql<any>(`mutation { logout }`, {}, token)).data.logout).toBe(true);
    const after = await api.gql<any>(ME, {}, token);
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers UNAUTHENTICATED without or with a bad token', async () => {
    expect((await api.gql(ME)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await api.gql(ME, {}, 'rbo_s_nonsense')).errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    expect((await api.gql(ME, {}, 'rbo_k_nonsense')).errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('throttles repeated failed log-ins for one email with RATE_LIMITED and HTTP 429', async () => {
    const owner = await api.signUp();
    for (let i = 0; i < 5; i++) {
      const attempt = await api.gql<any>(LOGIN, {
        email: owner.email,
        password: `wrong ${i} password`,
      });
      expect(attempt.data.login.userErrors[0].code).toBe('INVALID_CREDENTIALS');
    }
    const blocked = await api.gql<any>(LOGIN, { email: owner.email, password: owner.password });
    expect(blocked.status).toBe(429);
    expect(blocked.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    const later = await atWallClock(Date.now() + 16 * 60 * 1000, () =>
      api.gql<any>(LOGIN, { email: owner.email, password: owner.password }),
    );
    expect(later.data.login.token).toBeTruthy();
  });

  it('lets owners and admins add members, within their own rank, and nobody else', async () => {
    const owner = await api.signUp();
    const admin = await addMember(api, owner, 'ADMIN');
    const manager = await addMember(api, owner, 'MANAGER');
    const create = (token: string, role: string) =>
      api.gql<any>(
        `mutation ($input: CreateMemberInput!) { createMember(input: $input) { member { role } userErrors { code } } }`,
        { input: { name: 'New', email: uniqueEmail(), role, password: 'a long enough password' } },
        token,
      );
    expect((await create(admin, 'VIEWER')).data.createMember.member.role).toBe('VIEWER');
    expect((await create(admin, 'OWNER')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await create(manager, 'VIEWER')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('creates API keys shown once, whose scopes decide what they may do', async () => {
    const owner = await api.signUp();
    const createKey = (scopes: string[]) =>
      api.gql<any>(
        `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret userErrors { code } } }`,
        { input: { name: 'Zapier', scopes } },
        owner.token,
      );
    const readKey = (await createKey(['READ'])).data.createApiKey.secret as string;
    const writeKey = (await createKey(['WRITE'])).data.createApiKey.secret as string;
    expect(readKey).toMatch(/^rbo_k_/);

    const business = await api.gql<any>(`{ business { name } }`, {}, readKey);
    expect(business.data.business.name).toBe('Ama Cleaning Co');
    const addCustomer = `mutation { createCustomer(input: { name: "Via API" }) { customer { id } } }`;
    expect((await api.gql<any>(addCustomer, {}, readKey)).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    const created = await api.gql<any>(addCustomer, {}, writeKey);
    expect(created.errors).toBeUndefined();
    const customerId = created.data.createCustomer.customer.id as string;
    const customer = await api.gql<any>(
      `query ($id: ID!) { customer(id: $id) { name } }`,
      { id: customerId },
      readKey,
    );
    expect(customer.data.customer.name).toBe('Via API');
    // A write-only key learns the id of what it wrote, not the record: WRITE is no read scope.
    const nosy = await api.gql<any>(
      `mutation { createCustomer(input: { name: "Nosy" }) { customer { id name } userErrors { code } } }`,
      {},
      writeKey,
    );
    expect(nosy.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(nosy.errors?.[0]).toMatchObject({ path: ['createCustomer', 'customer', 'name'] });
    // Keys never manage keys or members.
    const viaKey = await api.gql<any>(
      `mutation { createApiKey(input: { name: "x", scopes: [READ] }) { secret } }`,
      {},
      writeKey,
    );
    expect(viaKey.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

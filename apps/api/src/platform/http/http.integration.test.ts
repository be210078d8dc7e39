import { startTestApi, type TestApi } from '../../test/harness';
import { MAX_COMPLEXITY, MAX_DEPTH } from '../graphql/complexity';

describe('the HTTP surface', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ production: true });
  });
  afterAll(() => api.close());

  const post = (
    body: string,
    headers: Record<string, string> = { 'content-type': 'application/json' },
  ) => fetch(`${api.url}/graphql`, { method: 'POST', headers, body });

  it('answers /healthz after checking the database', async () => {
    const response = await fetch(`${api.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', storage: api.storage });
  });

  it('refuses requests a browser could send cross-site without a preflight (CSRF)', async () => {
    const simple = await post(JSON.stringify({ query: '{ me { id } }' }), {
      'content-type': 'text/plain',
    });
    expect(simple.status).toBe(400);
    const get = await fetch(`${api.url}/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(get.status).toBe(400);
  });

  it('refuses a body over the size limit with 413 and a JSON error', async () => {
    const response = await post(
      JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(200_000) } }),
    );
    expect(response.status).toBe(413);
    expect(((await response.json()) as any).errors[0].message).toMatch(/too large/);
  });

  it('refuses a query of hundreds of aliased lists before it runs', async () => {
    const owner = await api.signUp();
    const aliases = Array.from(
      { length: 200 },
      (_, i) => `c${i}: customers(first: 100) { nodes { id name } }`,
    );
    const result = await api.gql(`{ ${aliases.join('\n')} }`, {}, owner.token);
    expect(result.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(result.errors?.[0]?.message).toContain(String(MAX_COMPLEXITY));
    expect(result.data).toBeNull();
  });

  it('refuses a query nested deeper than the limit', async () => {
    const deep = `{ ${'__schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } }'} }`;
    const result = await api.gql(deep);
    expect(result.errors?.[0]?.message).toContain(`deeper than ${MAX_DEPTH}`);
  });

  it('validates inputs as BAD_USER_INPUT and hides internals in production', async () => {
    const owner = await api.signUp();
    const tooLong = await api.gql<any>(
      `mutation { createCustomer(input: { name: "${'n'.repeat(300)}" }) { customer { id } } }`,
      {},
      owner.token,
    );
    expect(tooLong.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(tooLong.errors)).not.toMatch(/stacktrace|at .*\.ts:\d+/);
  });
});

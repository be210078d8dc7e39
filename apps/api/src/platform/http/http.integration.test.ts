import { getIntrospectionQuery } from 'graphql';
import { startTestApi, type TestApi, type SignedUp } from '../../test/harness';
import { QUERY_LIMITS } from '../graphql/apollo';

interface RawResponse {
  status: number;
  body: {
    data?: unknown;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
}

const rawPost = async (
  api: TestApi,
  payload: unknown,
  token?: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<RawResponse> => {
  const response = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  return { status: response.status, body: (await response.json()) as RawResponse['body'] };
};

const codesOf = (response: RawResponse) => response.body.errors?.map((e) => e.extensions?.code);

describe('the HTTP surface (production mode)', () => {
  let api: TestApi;
  let owner: SignedUp;
  beforeAll(async () => {
    api = await startTestApi({ production: true });
    owner = await api.signUp();
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

  it('refuses more aliases than the limit before anything runs (400)', async () => {
    const aliases = Array.from(
      { length: QUERY_LIMITS.maxAliases + 1 },
      (_, i) => `c${i}: customers(first: 1) { nodes { id } }`,
    );
    const result = await rawPost(api, { query: `{ ${aliases.join('\n')} }` }, owner.token);
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]?.message).toMatch(/Aliases limit/);
    expect(result.body.data).toBeUndefined();
  });

  it('refuses a query that costs more than the limit (100 × 100 customers)', async () => {
    const lists = Array.from(
      { length: 20 },
      (_, i) => `c${i}: customers(first: 100) { nodes { id name email } }`,
    );
    const result = await rawPost(api, { query: `{ ${lists.join('\n')} }` }, owner.token);
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]?.message).toContain(
      `Cost limit of ${QUERY_LIMITS.maxCost} exceeded`,
    );
  });

  it('refuses a query nested deeper than the limit, fragments included (400)', async () => {
    const nested =
      'ofType { '.repeat(QUERY_LIMITS.maxDepth) + 'name' + ' }'.repeat(QUERY_LIMITS.maxDepth);
    // Under __schema, which the cost limit does not measure, so only the depth limit applies.
    const query = `{ ...T } fragment T on Query { __schema { types { ${nested} } } }`;
    const result = await rawPost(api, { query }, owner.token);
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]?.message).toMatch(/depth limit of 15 exceeded/);
  });

  it('refuses a document of more tokens than the limit while parsing (400)', async () => {
    const query = `{ ${'__typename '.repeat(QUERY_LIMITS.maxTokens)} }`;
    const result = await rawPost(api, { query });
    expect(result.status).toBe(400);
    expect(codesOf(result)).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  it('answers a variable that fails coercion with 400 BAD_USER_INPUT, not 500', async () => {
    const notAnInt = await rawPost(
      api,
      { query: 'query($f: Int){ customers(first: $f){ nodes{ id } } }', variables: { f: 'abc' } },
      owner.token,
    );
    expect(notAnInt.status).toBe(400);
    expect(codesOf(notAnInt)).toEqual(['BAD_USER_INPUT']);
    const notADecimal = await rawPost(
      api,
      {
        query:
          'mutation($input: RecordCreditInput!){ recordCreditPurchase(input: $input){ userErrors { code } } }',
        variables: {
          input: { customerId: '00000000-0000-4000-8000-000000000000', credits: 'abc' },
        },
      },
      owner.token,
    );
    expect(notADecimal.status).toBe(400);
    expect(codesOf(notADecimal)).toEqual(['BAD_USER_INPUT']);
    const missing = await rawPost(
      api,
      { query: 'query($id: ID!){ customer(id: $id){ id } }', variables: {} },
      owner.token,
    );
    expect(missing.status).toBe(400);
    expect(codesOf(missing)).toEqual(['BAD_USER_INPUT']);
  });

  it('answers an unknown operationName and a subscription with 400', async () => {
    const unknown = await rawPost(api, {
      query: 'query A { __typename } query B { __typename }',
      operationName: 'C',
    });
    expect(unknown.status).toBe(400);
    const subscription = await rawPost(api, { query: 'subscription { __typename }' });
    expect(subscription.status).toBe(400);
    expect(subscription.body.errors?.[0]?.message).toMatch(/no subscriptions/);
  });

  it('refuses NUL and unpaired surrogates in any text, as variables or literals', async () => {
    const createCustomer =
      'mutation($input: CreateCustomerInput!){ createCustomer(input: $input){ customer { id } } }';
    for (const name of ['Kofi\u0000Mensah', 'Kofi \uD800', '\uDC00 Kofi']) {
      const asVariable = await rawPost(
        api,
        { query: createCustomer, variables: { input: { name } } },
        owner.token,
      );
      expect(asVariable.status).toBe(400);
      expect(codesOf(asVariable)).toEqual(['BAD_USER_INPUT']);
      const asLiteral = await rawPost(
        api,
        {
          query: `mutation { createCustomer(input: { name: ${JSON.stringify(name)} }) { customer { id } } }`,
        },
        owner.token,
      );
      expect(asLiteral.status).toBe(400);
      // graphql-js's lexer already refuses some of these escapes (GRAPHQL_PARSE_FAILED).
      expect(codesOf(asLiteral)).toEqual([
        expect.stringMatching(/^(BAD_USER_INPUT|GRAPHQL_PARSE_FAILED)$/),
      ]);
    }
    const lonelyEmail = await rawPost(api, {
      query: 'mutation($e: String!){ login(email: $e, password: "whatever it is") { token } }',
      variables: { e: 'ama\uD83D@example.com' },
    });
    expect(lonelyEmail.status).toBe(400);
    expect(codesOf(lonelyEmail)).toEqual(['BAD_USER_INPUT']);
    const nulKey = await rawPost(
      api,
      {
        query:
          'mutation($input: AdjustBalanceInput!){ adjustBalance(input: $input){ userErrors { code } } }',
        variables: {
          input: {
            customerId: '00000000-0000-4000-8000-000000000000',
            credits: '1',
            comment: 'fix',
            idempotencyKey: 'key\u0000',
          },
        },
      },
      owner.token,
    );
    expect(nulKey.status).toBe(400);
    expect(codesOf(nulKey)).toEqual(['BAD_USER_INPUT']);
  });

  it.each([
    ['variables that are not an object', { query: '{ __typename }', variables: 'abc' }],
    ['variables that are a list', { query: '{ __typename }', variables: [1] }],
    ['a query that is not a string', { query: 42 }],
    ['no query at all', { variables: {} }],
    ['a batch of operations', [{ query: '{ __typename }' }, { query: '{ __typename }' }]],
    ['an operationName that is not a string', { query: '{ __typename }', operationName: 7 }],
    ['a JSON string', 'just a string'],
    ['JSON null', null],
  ])('answers %s with a 4xx, never a 500', async (_what, payload) => {
    const result = await rawPost(api, JSON.stringify(payload));
    expect(result.status).toBeGreaterThanOrEqual(400);
    expect(result.status).toBeLessThan(500);
  });

  it('does not keep persisted queries (no cache for anonymous callers to fill)', async () => {
    const result = await rawPost(api, {
      extensions: { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } },
    });
    expect(result.status).toBeLessThan(500);
    expect(codesOf(result)).toEqual(['PERSISTED_QUERY_NOT_SUPPORTED']);
  });

  it('never echoes more than a few dozen characters of a value back', async () => {
    const huge = 'ZZ'.repeat(45_000);
    const result = await rawPost(
      api,
      { query: 'query($f: Int){ customers(first: $f){ nodes{ id } } }', variables: { f: huge } },
      owner.token,
    );
    expect(result.status).toBe(400);
    const message = result.body.errors![0]!.message;
    expect(message.length).toBeLessThan(300);
    expect(message).not.toMatch(/Z{40}/);
  });

  it('validates inputs as BAD_USER_INPUT (400) and hides internals in production', async () => {
    const tooLong = await rawPost(
      api,
      {
        query: `mutation { createCustomer(input: { name: "${'n'.repeat(300)}" }) { customer { id } } }`,
      },
      owner.token,
    );
    expect(tooLong.status).toBe(400);
    expect(codesOf(tooLong)).toEqual(['BAD_USER_INPUT']);
    expect(JSON.stringify(tooLong.body)).not.toMatch(/stacktrace|at .*\.ts:\d+|n{40}/);
  });

  it('trims names and refuses names of only spaces', async () => {
    const create = (name: string) =>
      rawPost(
        api,
        {
          query:
            'mutation($input: CreateCustomerInput!){ createCustomer(input: $input){ customer { name } } }',
          variables: { input: { name } },
        },
        owner.token,
      );
    for (const blank of ['', '   ', '\t\n ']) {
      const refused = await create(blank);
      expect(refused.status).toBe(400);
      expect(codesOf(refused)).toEqual(['BAD_USER_INPUT']);
    }
    const trimmed = await create('  Kofi Mensah  ');
    expect(trimmed.status).toBe(200);
    expect(trimmed.body.data).toEqual({ createCustomer: { customer: { name: 'Kofi Mensah' } } });
    const blankBusiness = await rawPost(api, {
      query: 'mutation($input: SignUpInput!){ signUp(input: $input){ token } }',
      variables: {
        input: {
          businessName: '   ',
          country: 'GH',
          currency: 'GHS',
          timezone: 'Africa/Accra',
          name: 'Ama',
          email: 'blank-business@example.com',
          password: 'correct horse battery',
        },
      },
    });
    expect(blankBusiness.status).toBe(400);
    expect(codesOf(blankBusiness)).toEqual(['BAD_USER_INPUT']);
  });

  it('has introspection off and hides field suggestions', async () => {
    const introspection = await rawPost(api, { query: getIntrospectionQuery() });
    expect(introspection.status).toBe(400);
    expect(introspection.body.errors?.[0]?.message).toMatch(/[Ii]ntrospection/);
    const typo = await rawPost(api, { query: '{ customerz { nodes { id } } }' }, owner.token);
    expect(typo.status).toBe(400);
    expect(typo.body.errors?.[0]?.message).not.toMatch(/Did you mean|"customers"/);
  });
});

describe('the HTTP surface (development mode)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ production: false });
  });
  afterAll(() => api.close());

  it("answers graphql-js's standard introspection query (GraphiQL, codegen, Postman)", async () => {
    const result = await rawPost(api, { query: getIntrospectionQuery() });
    expect(result.body.errors).toBeUndefined();
    expect(result.status).toBe(200);
    const types = (result.body.data as { __schema: { types: Array<{ name: string }> } }).__schema
      .types;
    expect(types.map((t) => t.name)).toEqual(expect.arrayContaining(['Quote', 'Decimal']));
  });

  it('serves no Apollo Sandbox page (it needs the internet and the CSP refuses it)', async () => {
    const response = await fetch(`${api.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.headers.get('content-type') ?? '').not.toMatch(/html/);
    expect(await response.text()).not.toMatch(/sandbox|apollographql\.com/i);
  });

  it('suggests field names in development', async () => {
    const typo = await rawPost(api, { query: '{ customerz { nodes { id } } }' });
    expect(typo.status).toBe(400);
    expect(typo.body.errors?.[0]?.message).toMatch(/Did you mean "customer/);
  });
});

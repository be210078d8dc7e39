import {
  getNamedType,
  getNullableType,
  type GraphQLField,
  GraphQLInputObjectType,
  type GraphQLInputType,
  GraphQLList,
  GraphQLEnumType,
  GraphQLObjectType,
  type GraphQLScalarType,
  type GraphQLSchema,
  isLeafType,
  isNonNullType,
  type GraphQLOutputType,
} from 'graphql';
import { randomUUID } from 'node:crypto';
import { buildApiSchema } from '../platform/graphql/schema';
import { addMember, startTestApi, type TestApi } from '../test/harness';

/**
 * Who may call what: every root field of the schema × every kind of caller, as ONE table.
 *
 *   U      UNAUTHENTICATED (no caller, or the credential is revoked / logged out)
 *   F      FORBIDDEN at the root field
 *   ok     allowed, and every field it selects is readable
 *   named  allowed, but personal data and money are not: the customer's email and portal link
 *          never reach the response (AGENT, VIEWER)
 *   ids    allowed, and of what comes back only ids and userErrors (a WRITE-only key)
 *
 * The root fields come from the schema: a field missing from the table (someone added one) fails
 * the test, as does a row for a field that does not exist.
 */
const U = 'U';
const F = 'F';
const ok = 'ok';
const named = 'named';
const ids = 'ids';
type Outcome = typeof U | typeof F | typeof ok | typeof named | typeof ids;

const CALLERS = [
  'anonymous',
  'OWNER',
  'ADMIN',
  'MANAGER',
  'AGENT',
  'VIEWER',
  'READ key',
  'WRITE key',
  'READ+WRITE key',
  'revoked key',
  'logged-out session',
] as const;
type CallerName = (typeof CALLERS)[number];

// prettier-ignore
const EXPECTED: Record<string, readonly Outcome[]> = {
  //                              anon OWNER ADMIN MANAGER AGENT VIEWER READ WRITE R+W revoked logged-out
  'Query.portal':                 [ok, ok,   ok,   ok,     ok,   ok,    ok,  ok,   ok, ok,     ok],
  'Query.me':                     [U,  ok,   ok,   ok,     ok,   ok,    ok,  ok,   ok, U,      U],
  'Query.business':               [U,  ok,   ok,   ok,     ok,   ok,    ok,  F,    ok, U,      U],
  'Query.members':                [U,  ok,   ok,   F,      F,    F,     F,   F,    F,  U,      U],
  'Query.apiKeys':                [U,  ok,   ok,   F,      F,    F,     F,   F,    F,  U,      U],
  'Query.auditLog':               [U,  ok,   ok,   F,      F,    F,     F,   F,    F,  U,      U],
  'Query.customer':               [U,  ok,   ok,   ok,     named,named, ok,  F,    ok, U,      U],
  'Query.customers':              [U,  ok,   ok,   ok,     named,named, ok,  F,    ok, U,      U],
  'Query.customerInitials':       [U,  ok,   ok,   ok,     ok,   ok,    ok,  F,    ok, U,      U],
  'Query.customerAccount':        [U,  ok,   ok,   ok,     F,    F,     ok,  F,    ok, U,      U],
  'Query.bankAccounts':           [U,  ok,   ok,   ok,     F,    F,     ok,  F,    ok, U,      U],
  'Query.creditTransactions':     [U,  ok,   ok,   ok,     F,    F,     ok,  F,    ok, U,      U],
  'Query.quote':                  [U,  ok,   ok,   ok,     F,    F,     ok,  F,    ok, U,      U],
  'Query.quotes':                 [U,  ok,   ok,   ok,     F,    F,     ok,  F,    ok, U,      U],
  'Query.quoteStats':             [U,  ok,   ok,   ok,     F,    F,     ok,  F,    ok, U,      U],
  'Query.revenue':                [U,  ok,   ok,   ok,     F,    F,     ok,  F,    ok, U,      U],
  'Query.refundsByReason':        [U,  ok,   ok,   ok,     F,    F,     ok,  F,    ok, U,      U],
  'Query.events':                 [U,  ok,   ok,   ok,     F,    F,     ok,  F,    ok, U,      U],
  'Query.eventTypes':             [U,  ok,   ok,   ok,     F,    F,     ok,  F,    ok, U,      U],
  'Query.sentMail':               [U,  ok,   ok,   ok,     F,    F,     ok,  F,    ok, U,      U],
  'Query.webhookEndpoints':       [U,  ok,   ok,   F,      F,    F,     F,   F,    F,  U,      U],
  'Query.webhookDeliveries':      [U,  ok,   ok,   F,      F,    F,     F,   F,    F,  U,      U],

  'Mutation.signUp':              [ok, ok,   ok,   ok,     ok,   ok,    ok,  ok,   ok, ok,     ok],
  'Mutation.login':               [ok, ok,   ok,   ok,     ok,   ok,    ok,  ok,   ok, ok,     ok],
  'Mutation.logout':              [U,  ok,   ok,   ok,     ok,   ok,    ok,  ok,   ok, U,      U],
  'Mutation.createMember':        [U,  ok,   ok,   F,      F,    F,     F,   F,    F,  U,      U],
  'Mutation.changeMemberRole':    [U,  ok,   ok,   F,      F,    F,     F,   F,    F,  U,      U],
  'Mutation.removeMember':        [U,  ok,   ok,   F,      F,    F,     F,   F,    F,  U,      U],
  'Mutation.createApiKey':        [U,  ok,   ok,   F,      F,    F,     F,   F,    F,  U,      U],
  'Mutation.revokeApiKey':        [U,  ok,   ok,   F,      F,    F,     F,   F,    F,  U,      U],
  'Mutation.createCustomer':      [U,  ok,   ok,   ok,     named,F,     F,   ids,  ok, U,      U],
  'Mutation.createQuote':         [U,  ok,   ok,   ok,     F,    F,     F,   ids,  ok, U,      U],
  'Mutation.sendQuote':           [U,  ok,   ok,   ok,     F,    F,     F,   ids,  ok, U,      U],
  'Mutation.acceptQuote':         [U,  ok,   ok,   ok,     F,    F,     F,   ids,  ok, U,      U],
  'Mutation.markQuotePaid':       [U,  ok,   ok,   ok,     F,    F,     F,   ids,  ok, U,      U],
  'Mutation.markQuoteUnpaid':     [U,  ok,   ok,   ok,     F,    F,     F,   ids,  ok, U,      U],
  'Mutation.voidQuote':           [U,  ok,   ok,   ok,     F,    F,     F,   ids,  ok, U,      U],
  'Mutation.addQuoteNote':        [U,  ok,   ok,   ok,     F,    F,     F,   ids,  ok, U,      U],
  'Mutation.recordRefund':        [U,  ok,   ok,   ok,     F,    F,     F,   ids,  ok, U,      U],
  'Mutation.recordCreditPurchase':[U,  ok,   ok,   ok,     F,    F,     F,   ids,  ok, U,      U],
  'Mutation.recordCreditSpend':   [U,  ok,   ok,   ok,     F,    F,     F,   ids,  ok, U,      U],
  'Mutation.refundTransaction':   [U,  ok,   ok,   ok,     F,    F,     F,   ids,  ok, U,      U],
  'Mutation.adjustBalance':       [U,  ok,   ok,   ok,     F,    F,     F,   ids,  ok, U,      U],
  'Mutation.deleteTransaction':   [U,  ok,   ok,   ok,     F,    F,     F,   ids,  ok, U,      U],
  'Mutation.createBankAccount':   [U,  ok,   ok,   ok,     F,    F,     F,   ids,  ok, U,      U],
  'Mutation.renameBankAccount':   [U,  ok,   ok,   ok,     F,    F,     F,   ids,  ok, U,      U],
  'Mutation.archiveBankAccount':  [U,  ok,   ok,   ok,     F,    F,     F,   ids,  ok, U,      U],
  'Mutation.createCreditNote':    [U,  ok,   ok,   ok,     F,    F,     F,   ids,  ok, U,      U],
  'Mutation.recordPayment':       [U,  ok,   ok,   ok,     F,    F,     F,   ids,  ok, U,      U],
  'Mutation.allocateCredit':      [U,  ok,   ok,   ok,     F,    F,     F,   ids,  ok, U,      U],
  'Mutation.refundCreditNote':    [U,  ok,   ok,   ok,     F,    F,     F,   ids,  ok, U,      U],
  'Mutation.createWebhookEndpoint':[U, ok,   ok,   F,      F,    F,     F,   F,    F,  U,      U],
  'Mutation.updateWebhookEndpoint':[U, ok,   ok,   F,      F,    F,     F,   F,    F,  U,      U],
  'Mutation.resendEvent':         [U,  ok,   ok,   F,      F,    F,     F,   F,    F,  U,      U],
  'Mutation.openSampleBusiness': [U, ok,   ok,   F,      F,    F,     F,   F,    F,  U,      U],
  'Mutation.removeSampleBusiness':[U, ok,   ok,   ok,     ok,   ok,    ok,  F,    ok, U,      U],
  'Mutation.sendTestWebhook':     [U,  ok,   ok,   F,      F,    F,     F,   F,    F,  U,      U],
};

interface Seed {
  customerId: string;
  quoteId: string;
  /** What only money-readers may see: the customer's email and portal token. */
  personal: string[];
  /** What a write-only key may not see either: the records around what it wrote. */
  records: string[];
}

/**
 * Arguments that point at real rows, so that the rules on the fields below the root are tried on
 * data and not on nulls. Every other argument is generated from its type.
 */
const REAL_ARGUMENTS: Record<string, (seed: Seed) => Record<string, unknown>> = {
  'Query.customer': (s) => ({ id: s.customerId }),
  'Query.customers': () => ({}),
  'Query.customerAccount': (s) => ({ customerId: s.customerId }),
  'Query.quote': (s) => ({ id: s.quoteId }),
  'Mutation.addQuoteNote': (s) => ({ quoteId: s.quoteId, body: 'Called the customer.' }),
  'Mutation.createQuote': (s) => ({
    input: {
      customerId: s.customerId,
      lineItems: [{ description: 'Window cleaning', quantity: '2', unitPrice: '30.00' }],
    },
  }),
  'Mutation.recordCreditPurchase': (s) => ({ input: { customerId: s.customerId, credits: '5' } }),
  'Mutation.createCustomer': () => ({
    input: { name: 'Matrix Customer', email: 'matrix-customer@example.com' },
  }),
};

describe('authorization matrix: every root field × every kind of caller', () => {
  let api: TestApi;
  let schema: GraphQLSchema;
  let seed: Seed;
  const tokens = {} as Record<CallerName, string | undefined>;

  beforeAll(async () => {
    api = await startTestApi();
    schema = await buildApiSchema();
    const owner = await api.signUp();
    tokens.anonymous = undefined;
    tokens.OWNER = owner.token;
    for (const role of ['ADMIN', 'MANAGER', 'AGENT', 'VIEWER'] as const) {
      tokens[role] = await addMember(api, owner, role);
    }
    const key = async (scopes: string[]) => {
      const created = await api.gql<any>(
        `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }`,
        { input: { name: scopes.join('+'), scopes } },
        owner.token,
      );
      return created.data.createApiKey as { secret: string; apiKey: { id: string } };
    };
    tokens['READ key'] = (await key(['READ'])).secret;
    tokens['WRITE key'] = (await key(['WRITE'])).secret;
    tokens['READ+WRITE key'] = (await key(['READ', 'WRITE'])).secret;
    const revoked = await key(['READ', 'WRITE']);
    await api.gql(
      `mutation ($id: ID!) { revokeApiKey(id: $id) { apiKey { id } } }`,
      {
        id: revoked.apiKey.id,
      },
      owner.token,
    );
    tokens['revoked key'] = revoked.secret;
    const session = await api.gql<any>(
      `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`,
      { email: owner.email, password: owner.password },
    );
    tokens['logged-out session'] = session.data.login.token;
    await api.gql(`mutation { logout }`, {}, tokens['logged-out session']);

    const customer = await api.gql<any>(
      `mutation { createCustomer(input: { name: "Kwabena Secret-Name", email: "kwabena.private@example.com" }) { customer { id portalPath } } }`,
      {},
      owner.token,
    );
    const { id: customerId, portalPath } = customer.data.createCustomer.customer;
    const quote = await api.gql<any>(
      `mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id number } userErrors { code } } }`,
      {
        input: {
          customerId,
          lineItems: [
            { description: 'Confidential deep clean', quantity: '1', unitPrice: '450.00' },
          ],
        },
      },
      owner.token,
    );
    const { id: quoteId, number } = quote.data.createQuote.quote;
    // The customer createCustomer's row makes (REAL_ARGUMENTS) counts as personal data too.
    const personal = [
      'kwabena.private@example.com',
      portalPath.replace('/c/', ''),
      'matrix-customer@example.com',
    ];
    seed = {
      customerId,
      quoteId,
      personal,
      records: [
        ...personal,
        'Kwabena Secret-Name',
        'Matrix Customer',
        'Confidential deep clean',
        number,
      ],
    };
  });
  afterAll(() => api.close());

  it('has one row per root field of the schema, no more, no less', () => {
    const fields = rootFields(schema).map(({ coordinate }) => coordinate);
    expect(fields.filter((f) => !(f in EXPECTED))).toEqual([]);
    expect(Object.keys(EXPECTED).filter((f) => !fields.includes(f))).toEqual([]);
    for (const row of Object.values(EXPECTED)) expect(row).toHaveLength(CALLERS.length);
  });

  it('gives each caller exactly what the table says, down to the fields it returns', async () => {
    const mismatches: string[] = [];
    // logout last: it ends the sessions the other rows use.
    const fields = rootFields(schema).sort(
      (a, b) =>
        Number(a.coordinate === 'Mutation.logout') - Number(b.coordinate === 'Mutation.logout'),
    );
    for (const { coordinate, operation, field } of fields) {
      const expected = EXPECTED[coordinate];
      if (!expected) continue; // reported by the test above
      const document = operationFor(operation, field);
      for (const [index, caller] of CALLERS.entries()) {
        const variables = {
          ...generatedArguments(field),
          ...(REAL_ARGUMENTS[coordinate]?.(seed) ?? {}),
        };
        const response = await api.gql<any>(document, variables, tokens[caller]);
        const actual = judge(response, field.name, seed);
        const want = expected[index]!;
        let verdict = matches(want, actual);
        let detail = actual.describe;
        // On real rows, prove a field-level rule field by field: one denied field nulls its
        // non-null parent, which would hide whether the next field leaks.
        if (verdict && coordinate in REAL_ARGUMENTS && (want === named || want === ids)) {
          const probes = await Promise.all(
            leafSelections(field.type, 0).map(async (selection) => {
              const probe = operationFor(operation, field, selection);
              return judge(await api.gql<any>(probe, variables, tokens[caller]), field.name, seed);
            }),
          );
          const leaks = probes.filter((p) => (want === named ? p.leaksPersonal : p.leaksRecords));
          const denied = probes.filter((p) => p.forbiddenBelow).length;
          const answered = probes.filter((p) => p.hasData).length;
          verdict = leaks.length === 0 && denied > 0 && answered > 0;
          detail = `${probes.length} single-field probes: ${leaks.length} leaked, ${denied} denied, ${answered} answered`;
        }
        if (!verdict)
          mismatches.push(`${coordinate} as ${caller}: expected ${want}, got ${detail}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

interface RootField {
  coordinate: string;
  operation: 'query' | 'mutation';
  field: GraphQLField<unknown, unknown>;
}

function rootFields(schema: GraphQLSchema): RootField[] {
  const of = (type: GraphQLObjectType | null | undefined, operation: 'query' | 'mutation') =>
    Object.values(type?.getFields() ?? {}).map((field) => ({
      coordinate: `${type!.name}.${field.name}`,
      operation,
      field,
    }));
  return [...of(schema.getQueryType(), 'query'), ...of(schema.getMutationType(), 'mutation')];
}

/** `query ($a: T!) { field(a: $a) { …every readable field, three levels deep… } }` */
function operationFor(
  operation: 'query' | 'mutation',
  field: GraphQLField<unknown, unknown>,
  selection = selectionFor(field.type, 0),
) {
  const declared = field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`);
  const passed = field.args.map((arg) => `${arg.name}: $${arg.name}`);
  return `${operation}${declared.length ? ` (${declared.join(', ')})` : ''} {
    ${field.name}${passed.length ? `(${passed.join(', ')})` : ''} ${selection}
  }`;
}

function selectionFor(type: GraphQLOutputType, depth: number): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (!(named instanceof GraphQLObjectType)) return '{ __typename }';
  const parts: string[] = [];
  for (const child of Object.values(named.getFields())) {
    if (child.args.some((arg) => isNonNullType(arg.type))) continue;
    if (isLeafType(getNamedType(child.type))) parts.push(child.name);
    else if (depth < 2) parts.push(`${child.name} ${selectionFor(child.type, depth + 1)}`);
  }
  return `{ ${parts.length ? parts.join(' ') : '__typename'} }`;
}

/** The same fields as `selectionFor`, one leaf per selection: `{ a { b } }`, `{ a { c } }`, … */
function leafSelections(type: GraphQLOutputType, depth: number): string[] {
  const named = getNamedType(type);
  if (!(named instanceof GraphQLObjectType)) return [];
  const selections: string[] = [];
  for (const child of Object.values(named.getFields())) {
    if (child.args.some((arg) => isNonNullType(arg.type))) continue;
    if (isLeafType(getNamedType(child.type))) selections.push(`{ ${child.name} }`);
    else if (depth < 2) {
      for (const inner of leafSelections(child.type, depth + 1)) {
        selections.push(`{ ${child.name} ${inner} }`);
      }
    }
  }
  return selections;
}

/** Values of the right types for the required arguments (optional ones are left out). */
function generatedArguments(field: GraphQLField<unknown, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const arg of field.args) {
    if (isNonNullType(arg.type)) values[arg.name] = valueFor(arg.type);
  }
  return values;
}

function valueFor(type: GraphQLInputType): unknown {
  const inner = getNullableType(type);
  if (inner instanceof GraphQLList) return [valueFor(inner.ofType as GraphQLInputType)];
  if (inner instanceof GraphQLEnumType) return inner.getValues().at(-1)!.value;
  if (inner instanceof GraphQLInputObjectType) {
    const object: Record<string, unknown> = {};
    for (const child of Object.values(inner.getFields())) {
      if (isNonNullType(child.type) && child.defaultValue === undefined) {
        object[child.name] = valueFor(child.type);
      }
    }
    return object;
  }
  switch ((inner as GraphQLScalarType).name) {
    case 'ID':
      return randomUUID();
    case 'Int':
      return 1;
    case 'Boolean':
      return false;
    case 'Decimal':
      return '1.00';
    case 'DateTime':
      return new Date().toISOString();
    default:
      return 'x';
  }
}

interface Judgement {
  root: 'U' | 'F' | 'allowed' | string;
  forbiddenBelow: boolean;
  /** Some non-null value came back below the root field. */
  hasData: boolean;
  /** Errors below the root that are not FORBIDDEN (a crash in a field resolver, say). */
  unexpectedBelow: boolean;
  leaksPersonal: boolean;
  leaksRecords: boolean;
  describe: string;
}

function judge(
  response: {
    status: number;
    data: any;
    errors?: Array<{ path?: readonly (string | number)[]; extensions?: { code?: string } }>;
  },
  fieldName: string,
  seed: Seed,
): Judgement {
  const errors = response.errors ?? [];
  // A request refused as a whole (validation, cost, a 500) is no answer about access at all.
  const requestLevel = errors.find((e) => !e.path);
  const atRoot = errors.find((e) => e.path?.length === 1);
  const below = errors.filter((e) => (e.path?.length ?? 0) > 1);
  const code = atRoot?.extensions?.code;
  const root = requestLevel
    ? `refused (HTTP ${response.status} ${requestLevel.extensions?.code})`
    : code === 'UNAUTHENTICATED'
      ? U
      : code === 'FORBIDDEN'
        ? F
        : code === undefined || ANSWERS_OF_ALLOWED_CALLS.has(code)
          ? 'allowed'
          : `error ${code}`;
  const body = JSON.stringify(response.data ?? null);
  const unexpectedBelow = below.filter((e) => e.extensions?.code !== 'FORBIDDEN');
  return {
    root,
    forbiddenBelow: below.some((e) => e.extensions?.code === 'FORBIDDEN'),
    unexpectedBelow: unexpectedBelow.length > 0,
    hasData: hasLeafValue(response.data?.[fieldName]),
    leaksPersonal: seed.personal.some((secret) => body.includes(secret)),
    leaksRecords: seed.records.some((secret) => body.includes(secret)),
    describe: `${root}${below.length ? `, below: ${[...new Set(below.map((e) => `${e.extensions?.code} at ${e.path?.join('.')}`))].slice(0, 3).join('; ')}` : ''}${unexpectedBelow.length ? ' (unexpected)' : ''}`,
  };
}

/** What a caller who may call a field can get for made-up arguments: a refusal of the input. */
const ANSWERS_OF_ALLOWED_CALLS = new Set(['BAD_USER_INPUT', 'RATE_LIMITED']);

function hasLeafValue(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.some(hasLeafValue);
  if (typeof value === 'object') return Object.values(value).some(hasLeafValue);
  return true;
}

function matches(want: Outcome, actual: Judgement): boolean {
  const allowed = actual.root === 'allowed' && !actual.unexpectedBelow;
  switch (want) {
    case U:
    case F:
      return actual.root === want;
    case ok:
      return allowed && !actual.forbiddenBelow;
    case named:
      return allowed && !actual.leaksPersonal;
    case ids:
      return allowed && !actual.leaksRecords;
  }
}

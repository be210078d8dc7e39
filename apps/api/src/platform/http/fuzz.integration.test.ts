import {
  getNamedType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { buildApiSchema } from '../graphql/schema';
import { encodeCursor } from '../pagination';
import { createCustomer, startTestApi, type SignedUp, type TestApi } from '../../test/harness';

/**
 * A schema-driven fuzz test: every root field that takes arguments, called by a signed-up owner
 * in production mode with one argument (or one input field, or one list item) at a time replaced
 * by a bad value of every kind, each case sent once as variables and once written as literals.
 *
 * Whatever is sent: no 5xx, no INTERNAL_SERVER_ERROR, nothing of the server's insides (stack
 * frames, file paths, SQL, driver messages), and a request that is refused writes no row.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** Marks an argument or input field left out of the request. */
const MISSING = Symbol('missing');
type Value = Json | typeof MISSING;

const RANDOM_UUID = '6f1c1c8e-3b8a-4c7e-9d7e-2b1f0f5c9a11';
const forgedCursor = (values: unknown) => Buffer.from(JSON.stringify(values)).toString('base64url');

const HUGE = 'A'.repeat(60_000);
const BAD_TEXT: Json[] = [
  HUGE,
  'a\u0000b',
  '\u0000',
  'x\uD800',
  '\uDC00y',
  '\uD83D',
  '\u202Eevil\u202C',
  'مرحبا بالعالم',
  '',
  '   ',
  "'; DROP TABLE customers; --",
  '%_\\',
];
const BAD_IDS: Json[] = [
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  RANDOM_UUID,
  `${RANDOM_UUID}x`,
  RANDOM_UUID.toUpperCase(),
  '1',
  42,
  '../../etc/passwd',
];
/** Ten shapes of a bad amount. */
const BAD_AMOUNTS: Json[] = [
  12.5,
  '1e3',
  '1,000.00',
  '+5',
  'NaN',
  'Infinity',
  '0.001',
  '-1.00',
  '9'.repeat(40),
  '١٢٣',
];
const BAD_DATES: Json[] = [
  '2026-02-30T09:30:00Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '2026-11-21',
  '2026-11-21T25:00:00Z',
  'yesterday',
  1732181400000,
];
const BAD_INTS: Json[] = [0, -1, 101, 2_147_483_648, -2_147_483_649, 1e10, 1.5, '10'];
const BAD_CURSORS: Json[] = [
  'x',
  '====',
  forgedCursor(['a']),
  forgedCursor(['a', 'not-a-uuid']),
  forgedCursor(['9999999999999999999']),
  forgedCursor(['0000-01-01T00:00:00Z', RANDOM_UUID]),
  forgedCursor(['2026-02-30T00:00:00Z', 1, RANDOM_UUID]),
  forgedCursor([{ a: 1 }, null]),
  forgedCursor(['a\u0000', RANDOM_UUID]),
  HUGE,
];
const WRONG_TYPES: Json[] = [12345, true, { nested: 'object' }, ['list'], 'text'];

interface Plausible {
  readonly customerId: string;
}

/** A value of the right type, close to what a real client sends. */
function plausible(type: GraphQLInputType, name: string, context: Plausible): Json {
  if (isNonNullType(type)) return plausible(type.ofType, name, context);
  if (isListType(type)) return [plausible(type.ofType, name, context)];
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields()).map((field) => [
        field.name,
        plausible(field.type, field.name, context),
      ]),
    );
  }
  if (isEnumType(type)) return type.getValues()[0]!.name;
  switch (type.name) {
    case 'ID':
      return context.customerId;
    case 'Int':
      return name === 'first' ? 10 : 1;
    case 'Float':
      return 1.5;
    case 'Boolean':
      return true;
    case 'Decimal':
      return '1.00';
    case 'DateTime':
      return '2026-01-15T09:30:00.000Z';
  }
  if (/email/i.test(name)) return 'fuzz@example.com';
  if (/currency/i.test(name)) return 'GHS';
  if (/country/i.test(name)) return 'GH';
  if (/timezone/i.test(name)) return 'Africa/Accra';
  if (/password/i.test(name)) return 'correct horse battery';
  if (/^after$/.test(name)) return encodeCursor(['a', RANDOM_UUID]);
  if (/url/i.test(name)) return 'https://example.com/hook';
  return 'Fuzz value';
}

/** The bad values worth trying where a value of `type` (named `name`) belongs. */
function badValuesFor(type: GraphQLInputType, name: string, context: Plausible): Value[] {
  const named = getNamedType(type);
  const values: Value[] = [null, MISSING, ...WRONG_TYPES];
  if (isListType(isNonNullType(type) ? type.ofType : type)) values.push([], [null]);
  if (isInputObjectType(named) && !isListType(isNonNullType(type) ? type.ofType : type)) {
    values.push({ ...(plausible(named, name, context) as object), zzUnknownField: 1 });
  }
  if (isEnumType(named)) values.push('NOT_A_VALUE', named.getValues()[0]!.name.toLowerCase());
  switch (named.name) {
    case 'ID':
      values.push(...BAD_IDS, HUGE, 'a\u0000b', 'x\uD800');
      break;
    case 'String':
      values.push(...(name === 'after' ? BAD_CURSORS : BAD_TEXT));
      break;
    case 'Decimal':
      values.push(...BAD_AMOUNTS);
      break;
    case 'DateTime':
      values.push(...BAD_DATES);
      break;
    case 'Int':
      values.push(...BAD_INTS);
      break;
  }
  return values;
}

/** Where a value can be replaced: an argument, an input field, a list item, at any depth. */
interface Position {
  readonly path: readonly (string | number)[];
  readonly type: GraphQLInputType;
  readonly name: string;
}

function positionsOf(
  type: GraphQLInputType,
  name: string,
  path: readonly (string | number)[],
  depth = 0,
): Position[] {
  const here: Position = { path, type, name };
  if (depth > 4) return [here];
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return [here, ...positionsOf(inner.ofType, name, [...path, 0], depth + 1)];
  if (isInputObjectType(inner)) {
    return [
      here,
      ...Object.values(inner.getFields()).flatMap((field) =>
        positionsOf(field.type, field.name, [...path, field.name], depth + 1),
      ),
    ];
  }
  return [here];
}

function replaced(args: Record<string, Json>, path: readonly (string | number)[], value: Value) {
  const copy = structuredClone(args) as Record<string, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (value === MISSING) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    parent[last] = value;
  }
  return copy as Record<string, Json>;
}

/** A JSON value written as a GraphQL literal; enum names unquoted where the type is an enum. */
function literal(value: Json, type: GraphQLInputType | undefined): string {
  const inner = type && isNonNullType(type) ? type.ofType : type;
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    const itemType = inner && isListType(inner) ? inner.ofType : undefined;
    return `[${value.map((item) => literal(item, itemType)).join(', ')}]`;
  }
  if (typeof value === 'object') {
    const fields = inner && isInputObjectType(inner) ? inner.getFields() : {};
    return `{ ${Object.entries(value)
      .map(([key, item]) => `${key}: ${literal(item, fields[key]?.type)}`)
      .join(', ')} }`;
  }
  if (
    typeof value === 'string' &&
    inner &&
    isEnumType(inner) &&
    inner.getValues().some((v) => v.name === value)
  ) {
    return value;
  }
  // JSON's string escapes are all GraphQL string escapes too (\uD800 included).
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function selectionFor(type: GraphQLOutputType): string {
  const named = getNamedType(type);
  if (!isObjectType(named)) return '';
  return named.getFields().userErrors ? '{ __typename userErrors { code } }' : '{ __typename }';
}

interface FuzzCase {
  readonly operation: 'query' | 'mutation';
  readonly field: string;
  readonly label: string;
  readonly body: { query: string; variables?: Record<string, Json> };
}

function casesFor(
  operation: 'query' | 'mutation',
  field: GraphQLField<unknown, unknown>,
  context: Plausible,
): FuzzCase[] {
  const base: Record<string, Json> = Object.fromEntries(
    field.args.map((arg) => [arg.name, plausible(arg.type, arg.name, context)]),
  );
  const argTypes = new Map<string, GraphQLArgument>(field.args.map((arg) => [arg.name, arg]));
  const selection = selectionFor(field.type);
  const cases: FuzzCase[] = [];
  for (const arg of field.args) {
    for (const position of positionsOf(arg.type, arg.name, [arg.name])) {
      for (const bad of badValuesFor(position.type, position.name, context)) {
        const args = replaced(base, position.path, bad);
        const label = `${field.name}(${position.path.join('.')} = ${show(bad)})`;
        const definitions = Object.keys(args)
          .map((name) => `$${name}: ${String(argTypes.get(name)!.type)}`)
          .join(', ');
        const passed = Object.keys(args)
          .map((name) => `${name}: $${name}`)
          .join(', ');
        cases.push({
          operation,
          field: field.name,
          label: `${label} as variables`,
          body: {
            query: `${operation} Fuzz${definitions ? `(${definitions})` : ''} { ${field.name}${passed ? `(${passed})` : ''} ${selection} }`,
            variables: args,
          },
        });
        const written = Object.entries(args)
          .map(([name, value]) => `${name}: ${literal(value, argTypes.get(name)!.type)}`)
          .join(', ');
        cases.push({
          operation,
          field: field.name,
          label: `${label} as literals`,
          body: {
            query: `${operation} { ${field.name}${written ? `(${written})` : ''} ${selection} }`,
          },
        });
      }
    }
  }
  return cases;
}

function show(value: Value): string {
  if (value === MISSING) return '<missing>';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** What must never reach a client: how the server is built. */
const LEAKS: Array<[string, RegExp]> = [
  ['a stack frame', /\bat [\w$.<>[\] ]*\(?(?:\/|file:|node:)[^\s"()]*:\d+:\d+/],
  ['a file path', /\/work\/|node_modules|\bsrc\/[\w/-]+\.(?:ts|js)\b|\.ts:\d+/],
  ['SQL', /\b(?:SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|WHERE \w+ =)\b/],
  [
    'driver text',
    /QueryFailedError|duplicate key|violates|invalid input syntax|syntax error at|out of range for type|relation "|TypeORM|PGlite|\bpg\b/i,
  ],
  ['a stack trace', /stacktrace/i],
];

/** Rows the API writes on purpose for refused requests: counters of log-in and sign-up tries. */
const WRITTEN_ON_REFUSAL = new Set(['rate_limits']);
/** And, for a refused log-in, its entry in the audit log. */
const AUDITED_REFUSALS: Record<string, readonly string[]> = { login: ['audit_entries'] };

describe('fuzzing every root field with arguments (production mode)', () => {
  let api: TestApi;
  let owner: SignedUp;
  let schema: GraphQLSchema;
  let context: Plausible;

  beforeAll(async () => {
    api = await startTestApi({ production: true });
    owner = await api.signUp();
    context = { customerId: await createCustomer(api, owner) };
    schema = await buildApiSchema();
  });
  afterAll(() => api.close());

  let countEveryTable = '';
  async function rowCounts(): Promise<Map<string, number>> {
    if (!countEveryTable) {
      const tables: Array<{ table_name: string }> = await api.db.manager.query(
        `SELECT table_name FROM information_schema.tables
          WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
      );
      countEveryTable = tables
        .map((t) => t.table_name)
        .filter((t) => !WRITTEN_ON_REFUSAL.has(t))
        .map((t) => `SELECT '${t}' AS t, count(*) AS n FROM "${t}"`)
        .join(' UNION ALL ');
    }
    const rows: Array<{ t: string; n: string }> = await api.db.manager.query(countEveryTable);
    return new Map(rows.map((row) => [row.t, Number(row.n)]));
  }

  const changedTables = (before: Map<string, number>, after: Map<string, number>) =>
    [...after].filter(([table, n]) => before.get(table) !== n).map(([table]) => table);

  async function send(fuzzCase: FuzzCase) {
    const response = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
      body: JSON.stringify(fuzzCase.body),
    });
    const text = await response.text();
    const body = JSON.parse(text) as {
      data?: Record<string, { userErrors?: unknown[] } | null> | null;
      errors?: Array<{ extensions?: { code?: string } }>;
    };
    const payload = body.data?.[fuzzCase.field];
    const refused =
      response.status >= 400 ||
      Boolean(body.errors?.length) ||
      Boolean(payload && Array.isArray(payload.userErrors) && payload.userErrors.length > 0);
    const problems: string[] = [];
    if (response.status >= 500) problems.push(`HTTP ${response.status}`);
    if (body.errors?.some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR')) {
      problems.push('INTERNAL_SERVER_ERROR');
    }
    for (const [what, pattern] of LEAKS) {
      if (pattern.test(text)) problems.push(`${what}: ${text.match(pattern)![0]}`);
    }
    // Without `data` the request never reached execution (parse, validation, variable coercion
    // or the text check refused it): no resolver ran, so there is nothing to count.
    const executed = 'data' in body;
    return { refused, executed, problems, status: response.status };
  }

  it('holds against at least 2,000 hostile and careless requests', async () => {
    const cases: FuzzCase[] = [];
    for (const [operation, type] of [
      ['query', schema.getQueryType()],
      ['mutation', schema.getMutationType()],
    ] as const) {
      for (const field of Object.values(type!.getFields())) {
        if (field.args.length > 0) cases.push(...casesFor(operation, field, context));
      }
    }
    expect(cases.filter((c) => c.body.variables).length).toBeGreaterThanOrEqual(1_000);
    expect(cases.filter((c) => !c.body.variables).length).toBeGreaterThanOrEqual(1_000);

    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let refusedCount = 0;
    const record = (fuzzCase: FuzzCase, result: Awaited<ReturnType<typeof send>>) => {
      statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
      if (result.refused) refusedCount++;
      if (result.problems.length > 0) {
        failures.push(`${fuzzCase.label}: ${result.problems.join('; ')}`);
      }
    };

    // Queries write nothing whatever they are sent: eight at a time, counted once around them all.
    const queries = cases.filter((c) => c.operation === 'query');
    const beforeQueries = await rowCounts();
    for (let i = 0; i < queries.length; i += 8) {
      const batch = queries.slice(i, i + 8);
      const results = await Promise.all(batch.map(send));
      batch.forEach((fuzzCase, j) => record(fuzzCase, results[j]!));
    }
    const afterQueries = await rowCounts();
    for (const table of changedTables(beforeQueries, afterQueries)) {
      failures.push(`queries wrote rows to ${table}`);
    }

    // Mutations one at a time, each refused one checked against every table.
    let counts = afterQueries;
    for (const fuzzCase of cases.filter((c) => c.operation === 'mutation')) {
      const result = await send(fuzzCase);
      record(fuzzCase, result);
      if (!result.executed) continue;
      const now = await rowCounts();
      if (result.refused) {
        const audited = AUDITED_REFUSALS[fuzzCase.field] ?? [];
        for (const table of changedTables(counts, now).filter((t) => !audited.includes(t))) {
          failures.push(`${fuzzCase.label}: refused, yet wrote a row to ${table}`);
        }
      }
      counts = now;
    }

    console.info(
      `fuzz: ${cases.length} requests (${queries.length} queries), ${refusedCount} refused; statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    for (const table of changedTables(counts, await rowCounts())) {
      failures.push(`a request refused before execution wrote a row to ${table}`);
    }
    expect(failures.slice(0, 30)).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(2_000);
    // Nearly everything sent is malformed: most requests are refused, and none with a 5xx.
    expect(refusedCount).toBeGreaterThan(cases.length * 0.8);
    expect([...statuses.keys()].every((status) => status < 500)).toBe(true);
  }, 300_000);
});

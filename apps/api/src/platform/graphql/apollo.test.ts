import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  getIntrospectionQuery,
  Kind,
  type OperationDefinitionNode,
  parse,
  specifiedRules,
  validate,
  visit,
} from 'graphql';
import { QUERY_LIMITS, queryLimits, shortenEchoes } from './apollo';
import { findTextInputProblem, MAX_VARIABLES_DEPTH } from './text-input';
import { readConfig } from '../../config';

const apiRoot = path.resolve(__dirname, '../../..');
const schema = buildSchema(readFileSync(path.join(apiRoot, 'schema.graphql'), 'utf8'));
const limitRules = queryLimits(true).validationRules;

const validateWithLimits = (document: DocumentNode) =>
  validate(schema, document, [...specifiedRules, ...limitRules]).map((e) => e.message);

function graphqlFilesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : graphqlFilesUnder(full);
    return entry.name.endsWith('.graphql') ? [full] : [];
  });
}

/** Every operation the SPA sends, each with the fragments it reaches (as codegen sends them). */
function spaOperations(): Array<[string, string]> {
  const definitions: DefinitionNode[] = graphqlFilesUnder(
    path.resolve(apiRoot, '../web/src'),
  ).flatMap((file) => parse(readFileSync(file, 'utf8')).definitions);
  const fragments = new Map(
    definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const operations = definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return operations.map((operation) => {
    const reached = new Map<string, FragmentDefinitionNode>();
    const pending: DefinitionNode[] = [operation];
    while (pending.length > 0) {
      visit(pending.pop()!, {
        FragmentSpread(spread) {
          const fragment = fragments.get(spread.name.value);
          if (fragment && !reached.has(spread.name.value)) {
            reached.set(spread.name.value, fragment);
            pending.push(fragment);
          }
        },
      });
    }
    const document: DocumentNode = {
      kind: Kind.DOCUMENT,
      definitions: [operation, ...reached.values()],
    };
    return [operation.name?.value ?? '(anonymous)', JSON.stringify(document)];
  });
}

describe('the query limits', () => {
  const operations = spaOperations();

  it('finds the SPA operations', () => {
    expect(operations.length).toBeGreaterThan(20);
  });

  it.each(operations)('let the SPA operation %s through', (_name, documentJson) => {
    const document = JSON.parse(documentJson) as DocumentNode;
    expect(validateWithLimits(document)).toEqual([]);
  });

  it("let graphql-js's standard introspection query through, within the token limit", () => {
    const document = parse(getIntrospectionQuery(), { maxTokens: QUERY_LIMITS.maxTokens });
    expect(validateWithLimits(document)).toEqual([]);
  });

  it('refuse a fragment bomb in linear time (24 levels, each spreading the one before twice)', () => {
    const fragments = ['fragment F0 on Customer { id name }'];
    for (let i = 1; i <= 24; i++)
      fragments.push(`fragment F${i} on Customer { ...F${i - 1} ...F${i - 1} }`);
    const document = parse(`{ customers { nodes { ...F24 } } } ${fragments.join(' ')}`);
    const started = performance.now();
    const errors = validateWithLimits(document);
    expect(performance.now() - started).toBeLessThan(100);
    expect(errors.join('\n')).toMatch(/Cost limit/);
  });
});

describe('shortenEchoes', () => {
  it('cuts each quoted value to a few dozen characters', () => {
    const message = `Variable "$f" got invalid value "${'x'.repeat(90_000)}"; Int cannot represent it.`;
    const short = shortenEchoes(message);
    expect(short).toMatch(/^Variable "\$f" got invalid value "x{32}…"; Int cannot represent it\.$/);
  });

  it('cuts a long unquoted run and caps the whole message', () => {
    expect(shortenEchoes(`Int cannot represent non-integer value: ${'9'.repeat(5_000)}`)).toBe(
      `Int cannot represent non-integer value: ${'9'.repeat(32)}…`,
    );
    expect(shortenEchoes('word '.repeat(500)).length).toBeLessThanOrEqual(301);
  });

  it('leaves short messages alone', () => {
    expect(shortenEchoes('Log in, or send a valid API key.')).toBe(
      'Log in, or send a valid API key.',
    );
  });
});

describe('findTextInputProblem', () => {
  it('accepts ordinary, accented, RTL and astral text', () => {
    expect(
      findTextInputProblem({ input: { name: 'Ama Owusu', note: 'Zoë — مرحبا 😀', n: [1, null] } }),
    ).toBeNull();
  });

  it.each([
    [{ input: { name: 'a\u0000b' } }, '$input.name'],
    [{ input: { lines: [{ description: 'x\uD800' }] } }, '$input.lines.0.description'],
    [{ input: { name: '\uDC00' } }, '$input.name'],
    [{ input: { 'bad\u0000key': 1 } }, '$input'],
  ])('finds unsafe text in %j at %s', (variables, where) => {
    expect(findTextInputProblem(variables)).toEqual({ kind: 'unsafe-text', path: where });
  });

  it('refuses variables nested deeper than any input, without recursion', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 50_000; i++) deep = [deep];
    expect(findTextInputProblem({ v: deep })?.kind).toBe('too-deep');
    let fine: unknown = 'x';
    for (let i = 0; i < MAX_VARIABLES_DEPTH - 2; i++) fine = [fine];
    expect(findTextInputProblem({ v: fine })).toBeNull();
  });
});

describe('the introspection setting', () => {
  it('is on in development, off in production, and on there with INTROSPECTION=true', () => {
    expect(readConfig({}).introspection).toBe(true);
    expect(readConfig({ NODE_ENV: 'production' }).introspection).toBe(false);
    expect(readConfig({ NODE_ENV: 'production', INTROSPECTION: 'true' }).introspection).toBe(true);
    expect(readConfig({ NODE_ENV: 'production', INTROSPECTION: 'yes' }).introspection).toBe(false);
  });
});

describe('introspection, which the cost limit does not measure', () => {
  const check = (query: string) =>
    validate(schema, parse(query), [...specifiedRules, ...limitRules]).map((e) => e.message);

  it('may not nest lists of types or fields more than 3 deep (graphql-js)', () => {
    expect(
      check('{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }'),
    ).toEqual([expect.stringMatching(/Maximum introspection depth exceeded/)]);
    expect(
      check(`{ ...Q } fragment Q on Query { __type(name: "Quote") { ...T } }
        fragment T on __Type { fields { type { interfaces { fields { type { fields { name } } } } } } }`),
    ).toEqual([expect.stringMatching(/Maximum introspection depth exceeded/)]);
  });

  it('is measured in linear time through a fragment bomb', () => {
    const fragments = ['fragment F0 on __Type { fields { name } }'];
    for (let i = 1; i <= 24; i++) {
      fragments.push(`fragment F${i} on __Type { ...F${i - 1} ...F${i - 1} }`);
    }
    const started = performance.now();
    check(`{ __schema { types { ...F24 } } } ${fragments.join(' ')}`);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

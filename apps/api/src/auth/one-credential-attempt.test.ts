import { buildSchema, parse, validate } from 'graphql';
import { oneCredentialAttemptPerRequest } from './one-credential-attempt';

const schema = buildSchema(`
  type Query { ok: Boolean }
  type Payload { token: String }
  type Mutation { login(email: String, password: String): Payload signUp: Payload other: Payload }
`);

const refusals = (document: string) =>
  validate(schema, parse(document), [oneCredentialAttemptPerRequest]).map((e) => e.message);

describe('one login or signUp per request', () => {
  it('lets one through, with other mutations beside it', () => {
    expect(
      refusals(`mutation { login(email: "a", password: "b") { token } other { token } }`),
    ).toEqual([]);
    expect(refusals(`mutation { signUp { token } }`)).toEqual([]);
    expect(refusals(`{ ok }`)).toEqual([]);
  });

  it.each([
    ['aliases', `mutation { a: login { token } b: login { token } }`],
    ['a login and a signUp', `mutation { login { token } signUp { token } }`],
    ['an inline fragment', `mutation { login { token } ... on Mutation { signUp { token } } }`],
    [
      'a fragment spread twice',
      `mutation { ...L ...L } fragment L on Mutation { login { token } }`,
    ],
  ])('refuses two through %s', (_, document) => {
    expect(refusals(document)).toEqual(['Send one login or signUp per request.']);
  });

  it('measures each fragment once: 40 levels, each spreading the one before twice, in milliseconds', () => {
    const levels = 40;
    // No credential field inside: nothing cuts the walk short, so only memoising keeps it linear.
    const fragments = [`fragment F0 on Mutation { other { token } }`];
    for (let i = 1; i <= levels; i++) {
      fragments.push(`fragment F${i} on Mutation { ...F${i - 1} ...F${i - 1} }`);
    }
    const document = `mutation { login { token } ...F${levels} } ${fragments.join(' ')}`;
    const started = performance.now();
    const result = validate(schema, parse(document), [oneCredentialAttemptPerRequest]);
    expect(performance.now() - started).toBeLessThan(50);
    expect(result).toEqual([]);
  });
});

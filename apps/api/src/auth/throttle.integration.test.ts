import 'reflect-metadata';
import type * as Argon2 from '@node-rs/argon2';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { openDataSource } from '../platform/db/data-source';
import { Database } from '../platform/db/database';
import { createApp, type App } from '../platform/http/app';
import { allEntities, allMigrations } from '../features';
import { startTestApi, type TestApi, uniqueEmail } from '../test/harness';
import { THROTTLE_LIMITS } from './throttle';
import { atWallClock } from './testing';

const LOGIN = `mutation ($email: String!, $password: String!) {
  login(email: $email, password: $password) { token userErrors { code } }
}`;
const SIGN_UP = `mutation ($input: SignUpInput!) { signUp(input: $input) { token userErrors { code } } }`;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: {
    data?: Record<string, any> | null;
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
  };
}

/**
 * POSTs a GraphQL request from a chosen loopback address (127.0.0.0/8 is all local on Linux), so a
 * test can be an attacker at 127.0.0.2 and the owner at 127.0.0.1 against one server.
 */
function post(
  baseUrl: string,
  from: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Answer> {
  const url = new URL('/graphql', baseUrl);
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: from,
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** What a log-in attempt came to: the password was checked (and right or wrong), or refused before. */
function outcome(answer: Answer): 'token' | 'INVALID_CREDENTIALS' | 'RATE_LIMITED' | string {
  if (answer.body.data?.login?.token) return 'token';
  const userError = answer.body.data?.login?.userErrors?.[0]?.code as string | undefined;
  return userError ?? answer.body.errors?.[0]?.extensions?.code ?? `HTTP ${answer.status}`;
}

/**
 * A second API process on the same database: on PostgreSQL its own DataSource and pool (as a
 * second process would have); the embedded PGlite is one process's by nature, so there the second
 * app shares it.
 */
async function secondInstance(api: TestApi): Promise<{ url: string; close(): Promise<void> }> {
  let db = api.db;
  let ownDb = false;
  if (api.storage === 'postgres') {
    const options = api.db.dataSource.options as { url?: string };
    const { dataSource, kind } = await openDataSource({
      databaseUrl: options.url,
      entities: allEntities,
      migrations: allMigrations,
      poolSize: 20,
    });
    db = new Database(dataSource, kind);
    ownDb = true;
  }
  const app: App = await createApp({ db, clock: api.clock, production: false });
  const server: Server = await new Promise((resolve) => {
    const s = app.http.listen(0, '127.0.0.1', () => resolve(s));
  });
  server.keepAliveTimeout = 60_000;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await app.stop();
      if (ownDb) await db.close();
    },
  };
}

const credentials = (owner: { email: string; password: string }) => ({
  email: owner.email,
  password: owner.password,
});

describe('log-in and sign-up throttling', () => {
  let api: TestApi;
  let other: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    api = await startTestApi();
    other = await secondInstance(api);
  });
  afterAll(async () => {
    await other.close();
    await api.close();
  });

  const limit = THROTTLE_LIMITS.loginPerAccountAndAddress.points;

  it('checks at most the limit of 60 concurrent guesses sent to two API processes', async () => {
    const owner = await api.signUp();
    // 59 wrong passwords and the right one, in the middle, all at once, alternating servers.
    const guesses = Array.from({ length: 60 }, (_, i) =>
      i === 30 ? owner.password : `wrong guess number ${i}`,
    );
    // Both apps live in this process, so one spy sees every password check either makes.
    // (The module object itself, as the service's named import reads it at each call.)
    const verify = jest.spyOn(jest.requireActual<typeof Argon2>('@node-rs/argon2'), 'verify');
    const answers = await Promise.all(
      guesses.map((password, i) =>
        post(i % 2 ? other.url : api.url, '127.0.0.3', LOGIN, { email: owner.email, password }),
      ),
    );
    const passwordChecks = verify.mock.calls.length;
    verify.mockRestore();
    const outcomes = answers.map(outcome);
    const checked = outcomes.filter((o) => o === 'token' || o === 'INVALID_CREDENTIALS');
    const refused = answers.filter((a) => outcome(a) === 'RATE_LIMITED');
    expect(passwordChecks).toBeLessThanOrEqual(limit);
    expect(checked.length).toBe(passwordChecks);
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.length + refused.length).toBe(60);
    for (const answer of refused) expect(answer.status).toBe(429);
    // Both servers counted into one budget: each answered some of the refusals.
    expect(
      answers.filter((a, i) => i % 2 === 1 && outcome(a) === 'RATE_LIMITED').length,
    ).toBeGreaterThan(0);
    expect(
      answers.filter((a, i) => i % 2 === 0 && outcome(a) === 'RATE_LIMITED').length,
    ).toBeGreaterThan(0);
  });

  it('lets the owner log in from another address while an attacker hammers the account', async () => {
    const owner = await api.signUp();
    const attacker = '127.0.0.4';
    const attempts = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        post(api.url, attacker, LOGIN, { email: owner.email, password: `not it ${i} at all` }),
      ),
    );
    expect(attempts.map(outcome).filter((o) => o === 'INVALID_CREDENTIALS')).toHaveLength(limit);
    // Even the right password is refused from the attacker's address…
    const fromAttacker = await post(api.url, attacker, LOGIN, credentials(owner));
    expect(outcome(fromAttacker)).toBe('RATE_LIMITED');
    expect(fromAttacker.status).toBe(429);
    expect(Number(fromAttacker.headers['retry-after'])).toBeGreaterThan(0);
    // …while the owner, elsewhere, gets in, on either server.
    expect(outcome(await post(api.url, '127.0.0.1', LOGIN, credentials(owner)))).toBe('token');
    expect(outcome(await post(other.url, '127.0.0.5', LOGIN, credentials(owner)))).toBe('token');
  });

  it('caps an account attacked from many addresses, for one window only, never for good', async () => {
    const owner = await api.signUp();
    const perAccount = THROTTLE_LIMITS.loginPerAccount.points;
    const addresses = Math.ceil(perAccount / limit);
    for (let a = 0; a < addresses; a++) {
      await Promise.all(
        Array.from({ length: limit }, (_, i) =>
          post(api.url, `127.0.1.${a + 1}`, LOGIN, {
            email: owner.email,
            password: `spray ${a}-${i} wrong`,
          }),
        ),
      );
    }
    // The account's looser cap is spent: a fresh address waits too, the owner included.
    const fresh = await post(api.url, '127.0.2.1', LOGIN, credentials(owner));
    expect(outcome(fresh)).toBe('RATE_LIMITED');
    // One window later the owner is back in.
    const later = await atWallClock(
      Date.now() + THROTTLE_LIMITS.loginPerAccount.duration * 1000 + 1000,
      () => post(api.url, '127.0.2.1', LOGIN, credentials(owner)),
    );
    expect(outcome(later)).toBe('token');
  });

  it('records LOGIN_LOCKED in the business’s audit log when an address uses up its tries', async () => {
    const owner = await api.signUp();
    for (let i = 0; i < limit; i++) {
      await post(api.url, '127.0.0.6', LOGIN, { email: owner.email, password: `bad one ${i}!!` });
    }
    const audit = await api.gql<any>(
      `{ auditLog(action: "LOGIN_LOCKED") { nodes { action actorKind subjectId } } }`,
      {},
      owner.token,
    );
    expect(audit.data.auditLog.nodes).toEqual([
      { action: 'LOGIN_LOCKED', actorKind: 'SYSTEM', subjectId: owner.memberId },
    ]);
  });

  it('does not count a right password against the owner', async () => {
    const owner = await api.signUp();
    for (let i = 0; i < limit * 2; i++) {
      expect(outcome(await post(api.url, '127.0.0.7', LOGIN, credentials(owner)))).toBe('token');
    }
  });

  it('limits sign-ups per address, and one login or signUp per request', async () => {
    const input = (email = uniqueEmail()) => ({
      businessName: 'Spam Co',
      country: 'GH',
      currency: 'GHS',
      timezone: 'Africa/Accra',
      name: 'Spam',
      email,
      password: 'correct horse battery',
    });
    const count = async () =>
      Number((await api.db.manager.query(`SELECT count(*) AS n FROM businesses`))[0].n);

    // Several sign-ups or log-ins in one request are refused whole, before any runs.
    const before = await count();
    const aliased = await post(
      api.url,
      '127.0.0.8',
      `mutation ($a: SignUpInput!, $b: SignUpInput!) {
        a: signUp(input: $a) { token }
        b: signUp(input: $b) { token }
      }`,
      { a: input(), b: input() },
    );
    expect(aliased.status).toBe(400);
    expect(aliased.body.data ?? null).toBeNull();
    const viaFragments = await post(
      api.url,
      '127.0.0.8',
      `mutation { ...One ... on Mutation { login(email: "a@example.com", password: "x") { token } } }
       fragment One on Mutation { login(email: "b@example.com", password: "y") { token } }`,
    );
    expect(viaFragments.status).toBe(400);
    expect(viaFragments.body.errors?.[0]?.message).toBe('Send one login or signUp per request.');
    expect(await count()).toBe(before);

    const allowed = THROTTLE_LIMITS.signUpPerAddress.points;
    const answers = await Promise.all(
      Array.from({ length: allowed + 5 }, () =>
        post(api.url, '127.0.0.9', SIGN_UP, { input: input() }),
      ),
    );
    const created = answers.filter((a) => a.body.data?.signUp?.token);
    const refused = answers.filter((a) => a.body.errors?.[0]?.extensions?.code === 'RATE_LIMITED');
    expect(created).toHaveLength(allowed);
    expect(refused).toHaveLength(5);
    expect(refused.every((a) => a.status === 429)).toBe(true);
    expect(await count()).toBe(before + allowed);
    // Another address is not affected.
    const elsewhere = await post(other.url, '127.0.0.10', SIGN_UP, { input: input() });
    expect(elsewhere.body.data?.signUp?.token).toBeTruthy();
  });
});

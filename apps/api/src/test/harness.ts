import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openDataSource } from '../platform/db/data-source';
import { Database } from '../platform/db/database';
import { type Clock, ManualClock } from '../platform/clock';
import { createApp, type App } from '../platform/http/app';
import { allEntities, allMigrations } from '../features';
import type { Services } from '../services';
import { postGraphql } from './graphql-http';

/**
 * The API on a fresh database, over real HTTP, for integration tests.
 *
 * With DATABASE_URL set (CI, and `.ci/run`), each test file gets its own new PostgreSQL database,
 * created here with every migration applied and dropped at the end; without it, a fresh in-memory
 * PGlite — so the same suite runs on both storages.
 */
export interface TestApi {
  readonly url: string;
  readonly db: Database;
  readonly services: Services;
  readonly clock: ManualClock;
  readonly storage: 'postgres' | 'pglite';
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GqlResponse<T>>;
  /** Signs up a new business (a new tenant) and returns its owner's token. */
  signUp(overrides?: Partial<SignUpFields>): Promise<SignedUp>;
  close(): Promise<void>;
}

export interface GqlResponse<T> {
  status: number;
  data: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } & Record<string, unknown> }>;
}

export interface SignUpFields {
  businessName: string;
  country: string;
  currency: string;
  timezone: string;
  name: string;
  email: string;
  password: string;
}

export interface SignedUp {
  token: string;
  businessId: string;
  memberId: string;
  email: string;
  password: string;
}

export const uniqueEmail = (label = 'owner'): string =>
  `${label}-${randomBytes(6).toString('hex')}@example.com`;

export async function startTestApi(
  options: {
    clock?: ManualClock;
    now?: Date;
    production?: boolean;
    /** Credit use cases and invoice refunds written together under load (the default), or each alone. */
    groupCommit?: boolean;
  } = {},
): Promise<TestApi> {
  const clock = options.clock ?? new ManualClock(options.now ?? new Date());
  const baseUrl = process.env.DATABASE_URL;
  let dropDatabase: () => Promise<void> = async () => undefined;
  let databaseUrl: string | undefined;
  if (baseUrl) {
    const name = `rbo_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    await adminQuery(baseUrl, `CREATE DATABASE ${name}`);
    const url = new URL(baseUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = () => adminQuery(baseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
  const { dataSource, kind } = await openDataSource({
    databaseUrl,
    entities: allEntities,
    migrations: allMigrations,
    poolSize: 20,
  });
  const db = new Database(dataSource, kind);
  const app: App = await createApp({
    db,
    clock: clock as Clock,
    production: options.production ?? false,
    groupCommit: options.groupCommit ?? true,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.http.listen(0, '127.0.0.1', () => resolve(s));
  });
  // PGlite runs in this thread: a long write can hold the event loop past Node's 5 s keep-alive,
  // and the server would close a connection the client is about to reuse (ECONNRESET).
  server.keepAliveTimeout = 60_000;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const gql: TestApi['gql'] = async (query, variables, token) => {
    const response = await postGraphql(url, query, variables, token);
    const body = (await response.json()) as {
      data?: unknown;
      errors?: GqlResponse<never>['errors'];
    };
    return {
      status: response.status,
      data: (body.data ?? null) as never,
      ...(body.errors ? { errors: body.errors } : {}),
    };
  };

  const signUp: TestApi['signUp'] = async (overrides = {}) => {
    // Suites set up dozens of tenants from one address; the sign-up throttle is proven on its
    // own (auth/throttle.integration.test.ts posts raw requests), so the set-up never spends it.
    await db.manager.query(`DELETE FROM rate_limits WHERE key LIKE 'signup-address:%'`);
    const fields: SignUpFields = {
      businessName: 'Ama Cleaning Co',
      country: 'GH',
      currency: 'GHS',
      timezone: 'Africa/Accra',
      name: 'Ama Owusu',
      email: uniqueEmail(),
      password: 'correct horse battery',
      ...overrides,
    };
    const result = await gql<{
      signUp: { token: string; member: { id: string }; userErrors: unknown[] };
    }>(
      `mutation ($input: SignUpInput!) { signUp(input: $input) { token member { id } userErrors { code message } } }`,
      { input: fields },
    );
    const payload = result.data?.signUp;
    if (!payload?.token || !payload.member) {
      throw new Error(`sign-up failed: ${JSON.stringify(result)}`);
    }
    const caller = await app.services.auth.authenticate(payload.token);
    return {
      token: payload.token,
      businessId: caller!.businessId,
      memberId: payload.member.id,
      email: fields.email,
      password: fields.password,
    };
  };

  return {
    url,
    db,
    services: app.services,
    clock,
    storage: kind,
    gql,
    signUp,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await app.stop();
      await db.close();
      await dropDatabase();
    },
  };
}

async function adminQuery(connectionString: string, sql: string): Promise<void> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Adds a member with `role` to the business of `owner` and returns their token. */
export async function addMember(api: TestApi, owner: SignedUp, role: string): Promise<string> {
  const email = uniqueEmail(role.toLowerCase());
  const password = 'a long enough password';
  const created = await api.gql<{ createMember: { member: { id: string } | null } }>(
    `mutation ($input: CreateMemberInput!) { createMember(input: $input) { member { id } userErrors { code } } }`,
    { input: { name: `${role} person`, email, role, password } },
    owner.token,
  );
  if (!created.data?.createMember.member)
    throw new Error(`createMember failed: ${JSON.stringify(created)}`);
  const login = await api.gql<{ login: { token: string } }>(
    `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`,
    { email, password },
  );
  return login.data!.login.token;
}

/** Creates a customer for the signed-up business. */
export async function createCustomer(
  api: TestApi,
  owner: SignedUp,
  name = 'Kofi Mensah',
): Promise<string> {
  const created = await api.gql<{ createCustomer: { customer: { id: string } } }>(
    `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }`,
    { input: { name, email: uniqueEmail('customer') } },
    owner.token,
  );
  return created.data!.createCustomer.customer.id;
}

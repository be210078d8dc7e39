import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { openDataSource } from '../db/data-source';
import { Database } from '../db/database';
import { ManualClock } from '../clock';
import { createApp, type App } from '../http/app';
import { allEntities, allMigrations } from '../../features';
import { createCustomer, startTestApi, type TestApi } from '../../test/harness';
import { createLogger } from './logger';

/** Every JSON line the app logs, parsed. */
class CapturedLines extends Writable {
  readonly lines: Array<Record<string, unknown>> = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      this.lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    done();
  }
}

describe('request logs', () => {
  const captured = new CapturedLines();
  let app: App;
  let db: Database;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    // The logs only: the embedded database is enough whatever DATABASE_URL says.
    const { dataSource, kind } = await openDataSource({
      entities: allEntities,
      migrations: allMigrations,
    });
    db = new Database(dataSource, kind);
    const previous = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'debug';
    app = await createApp({
      db,
      clock: new ManualClock(new Date()),
      production: true,
      logger: createLogger(captured),
    });
    process.env.LOG_LEVEL = previous;
    server = app.http.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await app.stop();
    await db.close();
  });

  const signUp = (email: string, password = 'correct horse battery', headers = {}) =>
    fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({
        query: `mutation SignUpOwner($input: SignUpInput!) { signUp(input: $input) { token userErrors { code } } }`,
        variables: {
          input: {
            businessName: 'Ama Cleaning Co',
            country: 'GH',
            currency: 'GHS',
            timezone: 'Africa/Accra',
            name: 'Ama Owusu',
            email,
            password,
          },
        },
      }),
    });

  it('answers with a request id and writes it, the operation, caller kind, outcome and duration on the line', async () => {
    const response = await signUp('logged-owner@example.com');
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const { token } = ((await response.json()) as { data: { signUp: { token: string } } }).data
      .signUp;

    const lines = captured.lines.filter((line) => line.requestId === requestId);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: 'request answered',
      method: 'POST',
      path: '/graphql',
      operation: 'SignUpOwner',
      callerKind: 'anonymous',
      outcome: 'ok',
      res: { statusCode: 200 },
    });
    expect(typeof lines[0]!.durationMs).toBe('number');

    // No secrets or personal data on any line: not the password, token, e-mail or name.
    const everything = JSON.stringify(captured.lines);
    for (const secret of [
      token,
      'correct horse battery',
      'logged-owner@example.com',
      'Ama Owusu',
    ]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('keeps a well-formed request id from a proxy, and replaces one that is not', async () => {
    const kept = await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'proxy-id-12345' } });
    expect(kept.headers.get('x-request-id')).toBe('proxy-id-12345');
    const replaced = await fetch(`${url}/healthz`, {
      headers: { 'x-request-id': 'not an id; {"forged":"log line"}' },
    });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("records a rule's refusal and unknown credentials as outcomes", async () => {
    // A refusal by a rule: the outcome is the payload's user error, logged at info.
    await signUp('twice@example.com');
    const refused = await signUp('twice@example.com');
    const requestId = refused.headers.get('x-request-id');
    const line = captured.lines.find((l) => l.requestId === requestId);
    expect(line).toMatchObject({ operation: 'SignUpOwner', outcome: 'user_error' });

    // A caller with a token that is not known: the caller kind is anonymous, the outcome the code.
    const unknown = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-token' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    const unknownLine = captured.lines.find(
      (l) => l.requestId === unknown.headers.get('x-request-id'),
    );
    expect(unknownLine).toMatchObject({ operation: 'me', callerKind: 'anonymous' });
    expect(unknownLine!.outcome).toBe('UNAUTHENTICATED');
  });

  it("hides a customer portal link's token from the path", async () => {
    const response = await fetch(`${url}/c/secret-portal-token-123`);
    const line = captured.lines.find((l) => l.requestId === response.headers.get('x-request-id'));
    expect(line?.path).toBe('/c/:token');
    expect(JSON.stringify(captured.lines)).not.toContain('secret-portal-token-123');
  });
});

describe('GET /metrics', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('exposes request durations by operation and outcome, the pool, retries, the worker queue and refunds by flow', async () => {
    const owner = await api.signUp();
    await api.gql(`query CurrentMember { me { id } }`, {}, owner.token);
    const response = await fetch(`${api.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(
      /^rbo_request_duration_seconds_count\{operation="CurrentMember",outcome="ok"\} 1$/m,
    );
    expect(text).toMatch(/^rbo_request_duration_seconds_bucket\{le="0\.005",operation="signUp"/m);
    expect(text).toMatch(/^rbo_db_pool_connections\{state="total"\} \d+$/m);
    expect(text).toMatch(/^rbo_db_pool_connections\{state="waiting"\} 0$/m);
    expect(text).toMatch(/^# TYPE rbo_db_transaction_retries_total counter$/m);
    expect(text).toMatch(/^rbo_worker_queue_depth\{queue="follow_ups"\} 0$/m);
    expect(text).toMatch(/^rbo_worker_queue_oldest_age_seconds\{queue="follow_ups"\} 0$/m);
    for (const flow of ['invoice', 'credit', 'account']) {
      expect(text).toMatch(
        new RegExp(`^rbo_refunds_recorded_total\\{flow="${flow}"\\} \\d+$`, 'm'),
      );
    }
    expect(text).toMatch(/^rbo_requests_in_flight 1$/m); // this scrape
    expect(text).toMatch(/^process_cpu_seconds_total /m);
  });

  it('counts a committed refund once by its flow, and neither a replay nor a refusal', async () => {
    const owner = await api.signUp();
    const customerId = await createCustomer(api, owner);
    const credit = (mutation: string, input: Record<string, unknown>) =>
      api.gql<Record<string, { transaction: { id: string } | null }>>(
        `mutation ($input: ${mutation === 'refundTransaction' ? 'RefundTransactionInput' : 'RecordCreditInput'}!) {
          ${mutation}(input: $input) { transaction { id } userErrors { code } }
        }`,
        { input },
        owner.token,
      );
    await credit('recordCreditPurchase', { customerId, credits: '10' });
    const spend = await credit('recordCreditSpend', { customerId, credits: '4' });
    const spendId = spend.data!.recordCreditSpend!.transaction!.id;
    const counted = async (flow: string) => {
      const text = await (await fetch(`${api.url}/metrics`)).text();
      const match = new RegExp(`^rbo_refunds_recorded_total\\{flow="${flow}"\\} (\\d+)$`, 'm').exec(
        text,
      );
      return Number(match?.[1]);
    };
    const before = await counted('credit');
    const refund = { transactionId: spendId, credits: '1', idempotencyKey: 'count-me-once' };
    expect(
      (await credit('refundTransaction', refund)).data!.refundTransaction!.transaction,
    ).not.toBeNull();
    await credit('refundTransaction', refund); // the same key: a replay of the stored result
    await credit('refundTransaction', { transactionId: spendId, credits: '99' }); // refused
    expect(await counted('credit')).toBe(before + 1);
  });

  it('answers /healthz without the database and /readyz once migrations are done', async () => {
    expect(await (await fetch(`${api.url}/healthz`)).json()).toEqual({
      status: 'ok',
      storage: api.storage,
    });
    const ready = await fetch(`${api.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', storage: api.storage });
  });
});

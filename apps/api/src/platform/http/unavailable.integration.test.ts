import type { AddressInfo } from 'node:net';
import { createServer, connect, type Server as TcpServer, type Socket } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openDataSource } from '../db/data-source';
import { Database } from '../db/database';
import { ManualClock } from '../clock';
import { createApp, type App } from './app';
import { allEntities, allMigrations } from '../../features';
import { createLogger } from '../observability/logger';
import { postGraphql } from '../../test/graphql-http';

/**
 * PostgreSQL going away under a running API, without touching the machine's real server (others
 * use it): the API reaches it through a TCP proxy this test starts and stops.
 */
const postgresUrl = process.env.DATABASE_URL || undefined;
const onPostgres = postgresUrl ? describe : describe.skip;

/** A TCP proxy to PostgreSQL that can be cut (listener closed, every connection dropped). */
class CuttableProxy {
  private server: TcpServer | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(
    private readonly host: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.targetPort, this.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async cut(): Promise<void> {
    const closed = new Promise((resolve) => this.server?.close(resolve));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

class CapturedLines extends Writable {
  readonly lines: Array<Record<string, unknown>> = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      this.lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    done();
  }
}

onPostgres('while PostgreSQL is unreachable', () => {
  const name = `rbo_test_outage_${randomBytes(4).toString('hex')}`;
  const target = new URL(postgresUrl ?? 'postgres://localhost');
  const proxy = new CuttableProxy(target.hostname, Number(target.port || 5432));
  const captured = new CapturedLines();
  let app: App;
  let db: Database;
  let server: Server;
  let url: string;

  const admin = async (sql: string) => {
    const client = new Client({ connectionString: postgresUrl });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  const gql = async (query: string, variables: Record<string, unknown> = {}, token?: string) => {
    const response = await postGraphql(url, query, variables, token);
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      requestId: response.headers.get('x-request-id'),
      body: (await response.json()) as {
        data?: Record<string, any> | null;
        errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
      },
    };
  };
  const signUp = () =>
    gql(`mutation ($input: SignUpInput!) { signUp(input: $input) { token userErrors { code } } }`, {
      input: {
        businessName: 'Ama Cleaning Co',
        country: 'GH',
        currency: 'GHS',
        timezone: 'Africa/Accra',
        name: 'Ama Owusu',
        email: `owner-${randomBytes(6).toString('hex')}@example.com`,
        password: 'correct horse battery',
      },
    });

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${name}`);
    await proxy.start();
    const viaProxy = new URL(postgresUrl!);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    viaProxy.pathname = `/${name}`;
    const { dataSource, kind } = await openDataSource({
      databaseUrl: viaProxy.toString(),
      entities: allEntities,
      migrations: allMigrations,
    });
    db = new Database(dataSource, kind);
    const previous = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'info';
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
    await db.close().catch(() => undefined);
    await proxy.cut().catch(() => undefined);
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After, never a 500 or a 200 with an error, and recovers', async () => {
    const before = await signUp();
    expect(before.status).toBe(200);
    const token = before.body.data!.signUp.token as string;

    await proxy.cut();

    // A mutation (its transaction cannot start: retried, then given up).
    const mutation = await signUp();
    expect(mutation.status).toBe(503);
    expect(mutation.retryAfter).toBe('5');
    expect(mutation.body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(mutation.body.errors?.[0]?.message).toMatch(/idempotencyKey/);

    // An authenticated query: the token is checked while the request's context is created.
    const query = await gql(`{ me { id } }`, {}, token);
    expect(query.status).toBe(503);
    expect(query.retryAfter).toBe('5');
    expect(query.body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');

    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect((await fetch(`${url}/healthz`)).status).toBe(200); // alive: no restart wanted

    // The outage is logged on the request's lines, with its request id.
    const lines = captured.lines.filter((line) => line.requestId === mutation.requestId);
    expect(lines.map((line) => line.msg)).toEqual(['database unavailable', 'request failed']);
    expect(lines[1]).toMatchObject({
      level: 40,
      outcome: 'SERVICE_UNAVAILABLE',
      res: { statusCode: 503 },
    });

    await proxy.start();
    let after = await gql(`{ me { id } }`, {}, token);
    for (let attempt = 0; after.status !== 200 && attempt < 20; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      after = await gql(`{ me { id } }`, {}, token);
    }
    expect(after.status).toBe(200);
    expect(after.body.data?.me?.id).toEqual(expect.any(String));
    expect((await signUp()).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });
});

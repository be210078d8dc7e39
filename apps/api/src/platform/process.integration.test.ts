import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { adminQuery, spawnApiProcess, startApiProcess } from '../test/api-process';

/**
 * The API as an operator runs it: the built `dist/main.js` in its own process (turbo builds the
 * API before its tests). Covers what only a real process shows: refusing a second process on one
 * embedded folder, start-up messages (port in use, database missing or unreachable, bad
 * DATA_DIR), a graceful stop with requests in flight, and processes migrating one empty
 * PostgreSQL database together.
 */
const postgresUrl = process.env.DATABASE_URL || undefined;
const onPostgres = postgresUrl ? describe : describe.skip;

/** Where a process should not start: it must exit non-zero, quickly, with a short message. */
async function refusal(env: Record<string, string | undefined>) {
  const proc = spawnApiProcess(env);
  const { code } = await proc.exited;
  return { code, message: proc.stderr().trim() };
}

/**
 * On PostgreSQL the process runs as `npm start` does in production on a multi-core machine: a
 * cluster primary with two API workers (whatever this machine's core count), so the start-up
 * messages and the graceful stop are proven in cluster mode; the embedded database is one process.
 */
function storageEnv(): Record<string, string> {
  return postgresUrl
    ? { DATABASE_URL: postgresUrl, API_PROCESSES: '2' }
    : { DATA_DIR: mkdtempSync(path.join(tmpdir(), 'rbo-data-')) };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function databaseUrl(name: string): string {
  const url = new URL(postgresUrl!);
  url.pathname = `/${name}`;
  return url.toString();
}

const signUpBody = () =>
  JSON.stringify({
    query: `mutation ($input: SignUpInput!) { signUp(input: $input) { token userErrors { code } } }`,
    variables: {
      input: {
        businessName: 'Ama Cleaning Co',
        country: 'GH',
        currency: 'GHS',
        timezone: 'Africa/Accra',
        name: 'Ama Owusu',
        email: `owner-${randomBytes(6).toString('hex')}@example.com`,
        password: 'correct horse battery',
      },
    },
  });

describe('the API process', () => {
  const cleanup: Array<() => void> = [];
  afterAll(() => cleanup.forEach((step) => step()));

  it('refuses a second process on the same embedded DATA_DIR, and starts once the first stopped', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'rbo-data-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const first = await startApiProcess({ DATA_DIR: dataDir });
    cleanup.push(() => first.child.kill('SIGKILL'));

    const startedAt = Date.now();
    const second = await refusal({ DATA_DIR: dataDir });
    expect(second.code).toBe(1);
    expect(second.message).toContain(
      `DATA_DIR ${dataDir} is in use by another running API process`,
    );
    expect(second.message).toContain(`pid ${first.child.pid}`);
    expect(second.message.split('\n').length).toBeLessThanOrEqual(2);
    expect(Date.now() - startedAt).toBeLessThan(10_000); // before opening the database

    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    const again = await startApiProcess({ DATA_DIR: dataDir });
    again.child.kill('SIGTERM');
    expect(await again.exited).toEqual({ code: 0, signal: null });
  });

  it('takes over the lock of a process that was killed (SIGKILL) without waiting', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'rbo-data-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const killed = await startApiProcess({ DATA_DIR: dataDir });
    killed.child.kill('SIGKILL');
    await killed.exited;
    const next = await startApiProcess({ DATA_DIR: dataDir });
    next.child.kill('SIGTERM');
    expect(await next.exited).toEqual({ code: 0, signal: null });
  });

  it('says in a line or two that the port is in use, and exits 1', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => blocker.close());
    const port = (blocker.address() as { port: number }).port;
    const result = await refusal({ ...storageEnv(), PORT: String(port) });
    expect(result.code).toBe(1);
    expect(result.message).toMatch(new RegExp(`^Port ${port} is already in use`));
    expect(result.message.split('\n').length).toBeLessThanOrEqual(2);
  });

  it('says the database is unreachable (no server on that port), and exits 1', async () => {
    const port = await freePort();
    const result = await refusal({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/rbo` });
    expect(result.code).toBe(1);
    expect(result.message).toBe(
      `Cannot reach PostgreSQL at 127.0.0.1:${port} (ECONNREFUSED).\n` +
        `Start the server, or fix the host and port in DATABASE_URL.`,
    );
  });

  it('says DATA_DIR is not a writable folder, and exits 1', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'rbo-file-')), 'not-a-folder');
    writeFileSync(file, 'x');
    const result = await refusal({ DATA_DIR: file });
    expect(result.code).toBe(1);
    expect(result.message).toMatch(
      /^DATA_DIR .*not-a-folder is not a folder this process can write/,
    );
    expect(result.message.split('\n').length).toBeLessThanOrEqual(2);
  });

  it('keeps the embedded database to one process, and says so', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'rbo-data-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const api = await startApiProcess({ DATA_DIR: dataDir, API_PROCESSES: '4' });
    cleanup.push(() => api.child.kill('SIGKILL'));
    expect(api.output()).toContain('API_PROCESSES=4 ignored: the embedded database');
    expect(api.output()).toContain('"processes":1');
    api.child.kill('SIGTERM');
    expect(await api.exited).toEqual({ code: 0, signal: null });
  });

  it('on SIGTERM finishes every request in flight, refuses new connections and exits 0', async () => {
    const api = await startApiProcess(storageEnv());
    cleanup.push(() => api.child.kill('SIGKILL'));
    if (postgresUrl) {
      // The requests are sign-ups from this machine's address, which the sign-up throttle counts
      // in the shared database for an hour: a run of this suite a few minutes earlier must not
      // leave them refused (this case is about the stop, not the throttle).
      await adminQuery(postgresUrl, `DELETE FROM rate_limits WHERE key LIKE 'signup-address:%'`);
    }
    const inFlight = 8;
    // Each request sends its headers and half its body, then waits: the server is reading it.
    const bodies = Array.from({ length: inFlight }, signUpBody);
    const pending = bodies.map((body) => {
      const req = httpRequest(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      req.write(body.slice(0, body.length / 2));
      const answered = responseOf(req);
      return { req, body, answered };
    });
    await waitFor(async () => (await inFlightRequests(api.url)) >= inFlight);

    api.child.kill('SIGTERM');
    await waitFor(async () => api.output().includes('"stopping'));
    await expect(fetch(`${api.url}/healthz`)).rejects.toThrow(); // no new connections
    for (const { req, body } of pending) req.end(body.slice(body.length / 2));

    const answers = await Promise.all(pending.map(({ answered }) => answered));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body).data.signUp.token).toMatch(/\S{20,}/);
    }
    expect(await api.exited).toEqual({ code: 0, signal: null });
    expect(api.output()).toContain('"msg":"stopped"');
  });
});

onPostgres('the API process on PostgreSQL', () => {
  it('runs several processes: a worker that dies is logged and replaced, /metrics counts them all', async () => {
    const api = await startApiProcess({ DATABASE_URL: postgresUrl, API_PROCESSES: '2' });
    try {
      expect(api.output()).toMatch(/"processes":2,.*"msg":"Refunds back-office on http/);
      // Fresh connections are handed round-robin to the workers; the count is the sum of both.
      const requests = 12;
      for (let i = 0; i < requests; i++) await fetchOnNewConnection(`${api.url}/graphql`);
      const metrics = await (await fetch(`${api.url}/metrics`)).text();
      const counted = [...metrics.matchAll(/^rbo_request_duration_seconds_count\{[^}]*\} (\d+)/gm)]
        .map((m) => Number(m[1]))
        .reduce((a, b) => a + b, 0);
      expect(counted).toBeGreaterThanOrEqual(requests);
      const pids = workerPids(api.output());
      expect(pids.size).toBe(2);
      // The shared queue is read once, not once per process.
      const depth = /^rbo_worker_queue_depth\{queue="outbound"\} (\d+)/m.exec(metrics);
      expect(depth?.[1]).toBe('0');

      const victim = [...pids][0]!;
      process.kill(victim, 'SIGKILL');
      await waitFor(async () => api.output().includes('replacement API worker listening'));
      expect(api.output()).toContain('API worker died unexpectedly; replacing it');
      expect(api.output()).toContain(`"workerPid":${victim}`);
      expect((await fetch(`${api.url}/readyz`)).status).toBe(200);
      api.child.kill('SIGTERM');
      expect(await api.exited).toEqual({ code: 0, signal: null });
      expect(api.output()).toContain('"msg":"stopped"');
    } finally {
      api.child.kill('SIGKILL');
    }
  });

  it('says the database does not exist and how to create it, and exits 1', async () => {
    const name = `rbo_missing_${randomBytes(4).toString('hex')}`;
    const result = await refusal({ DATABASE_URL: databaseUrl(name) });
    const url = new URL(postgresUrl!);
    expect(result.code).toBe(1);
    expect(result.message).toBe(
      `Database "${name}" does not exist on PostgreSQL at ${url.hostname}:${url.port || 5432}.\n` +
        `Create it (createdb -h ${url.hostname} -p ${url.port || 5432} -U ${url.username || 'postgres'} ${name}) or fix DATABASE_URL.`,
    );
  });

  it('starts two processes on one empty database together: both migrate and serve', async () => {
    const name = `rbo_race_${randomBytes(4).toString('hex')}`;
    await adminQuery(postgresUrl!, `CREATE DATABASE ${name}`);
    try {
      const [a, b] = await Promise.all([
        startApiProcess({ DATABASE_URL: databaseUrl(name) }),
        startApiProcess({ DATABASE_URL: databaseUrl(name) }),
      ]);
      for (const api of [a!, b!]) {
        const ready = await fetch(`${api.url}/readyz`);
        expect(ready.status).toBe(200);
        expect(await ready.json()).toEqual({ status: 'ready', storage: 'postgres' });
        api.child.kill('SIGTERM');
        expect(await api.exited).toEqual({ code: 0, signal: null });
      }
    } finally {
      await adminQuery(postgresUrl!, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });
});

/** A POST on a connection of its own (no keep-alive), so the cluster hands it to the next worker. */
function fetchOnNewConnection(url: string): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({ query: '{ __typename }' });
  const req = httpRequest(url, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  req.end(body);
  return responseOf(req);
}

/** The pids of the API workers, from the primary's start line. */
function workerPids(output: string): Set<number> {
  const line = output.split('\n').find((l) => l.includes('"workerPids"'));
  return new Set((JSON.parse(line ?? '{}') as { workerPids?: number[] }).workerPids ?? []);
}

function responseOf(req: ClientRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
  });
}

async function inFlightRequests(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = /^rbo_requests_in_flight (\d+)/m.exec(text)?.[1];
  return Number(value ?? 0) - 1; // this scrape is in flight too
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * The built API (`dist/main.js`) as OS processes, for the tests that need several of them on one
 * PostgreSQL database (turbo builds the API before its tests; by hand: pnpm --filter
 * @refunds/api build).
 */
export const MAIN = path.resolve(__dirname, '../../../dist/main.js');
export const DIST = path.dirname(MAIN);

export interface ApiProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly output: () => string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL answers, as the tests read them
  gql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<{
    status: number;
    data: T | null;
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
  }>;
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `dist/main.js` and waits for its start line (the first log line with a port). */
export async function startApiProcess(
  env: Record<string, string | undefined>,
): Promise<ApiProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: pnpm --filter @refunds/api build`);
  const child = spawn(process.execPath, [MAIN], {
    cwd: tmpdir(),
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      PORT: '0',
      HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const poll = setInterval(() => {
      const line = out.split('\n').find((l) => l.includes('"port"'));
      if (line) {
        clearInterval(poll);
        resolve((JSON.parse(line) as { port: number }).port);
      }
    }, 50);
    void exited.then(({ code }) => {
      clearInterval(poll);
      reject(new Error(`exited ${code} before listening:\n${out}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    child,
    url,
    exited,
    output: () => out,
    async gql(query, variables = {}, token) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: never };
      return {
        status: response.status,
        data: (body.data ?? null) as never,
        ...(body.errors ? { errors: body.errors } : {}),
      };
    },
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** A new empty database on the server of DATABASE_URL, and how to drop it. */
export async function scratchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.DATABASE_URL!;
  const name = `rbo_cluster_${randomBytes(4).toString('hex')}`;
  await adminQuery(base, `CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await adminQuery(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** Rows as the tests read them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = any;

export async function adminQuery(
  connectionString: string,
  sql: string,
  params: unknown[] = [],
): Promise<Row[]> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { postGraphql } from './graphql-http';

/**
 * The built API (`dist/main.js`) as OS processes, as an operator runs it: for the tests of what
 * only a real process shows (start-up messages, stopping, several processes on one PostgreSQL
 * database). Turbo builds the API before its tests; by hand: pnpm --filter @refunds/api build.
 */
export const MAIN = path.resolve(__dirname, '../../dist/main.js');
export const DIST = path.dirname(MAIN);

export interface ApiProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly output: () => string;
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

export interface SpawnedApi {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Both streams, in the order their chunks arrived. */
  readonly output: () => string;
}

/** Spawns `dist/main.js` with a production environment plus `env`; does not wait for anything. */
export function spawnApiProcess(env: Record<string, string | undefined>): SpawnedApi {
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
  let stdout = '';
  let stderr = '';
  let both = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    both += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    both += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, stdout: () => stdout, stderr: () => stderr, output: () => both };
}

/** Starts `dist/main.js` and waits for its start line (the first log line with a port). */
export async function startApiProcess(
  env: Record<string, string | undefined>,
): Promise<ApiProcess> {
  const { child, exited, stdout, output } = spawnApiProcess(env);
  const port = await new Promise<number>((resolve, reject) => {
    const poll = setInterval(() => {
      const line = stdout()
        .split('\n')
        .find((l) => l.includes('"port"'));
      if (line) {
        clearInterval(poll);
        resolve((JSON.parse(line) as { port: number }).port);
      }
    }, 50);
    void exited.then(({ code }) => {
      clearInterval(poll);
      reject(new Error(`exited ${code} before listening:\n${output()}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    child,
    url,
    exited,
    output,
    async gql(query, variables = {}, token) {
      const response = await postGraphql(url, query, variables, token);
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

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const REPO_ROOT = path.join(__dirname, '..', '..');
const API_MAIN = path.join(REPO_ROOT, 'apps', 'api', 'dist', 'main.js');

/** The real API, built beforehand, as production runs it: its own process on loopback. */
export class ApiProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly stderr: string[],
    /** When the process was spawned (epoch ms): a CPU profile's clock starts about then. */
    readonly spawnedAt: number,
  ) {}

  /** `database`: a PostgreSQL URL, or `{ dataDir }` for the embedded default (PGlite). */
  static async start(
    database: string | { dataDir: string },
    options: { readonly processes?: number; readonly nodeArgs?: readonly string[] } = {},
  ): Promise<ApiProcess> {
    if (!existsSync(API_MAIN)) {
      throw new Error(
        `${API_MAIN} is missing: build the API first (pnpm --filter @refunds/api build)`,
      );
    }
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      API_PROCESSES: String(options.processes ?? 1),
    };
    if (typeof database === 'string') {
      env.DATABASE_URL = database;
      delete env.DATA_DIR;
    } else {
      delete env.DATABASE_URL;
      env.DATA_DIR = database.dataDir;
    }
    // BENCH_API_NODE_ARGS: extra node flags for the API only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p"
    // (node refuses --cpu-prof in NODE_OPTIONS), to profile it under the benchmark's load.
    const nodeArgs = [
      ...(options.nodeArgs ?? []),
      ...(process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean),
    ];
    const child = spawn(process.execPath, [...nodeArgs, API_MAIN], {
      cwd: path.dirname(path.dirname(API_MAIN)),
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const stderr: string[] = [];
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr.push(chunk.toString());
      if (stderr.length > 50) stderr.shift();
    });
    const api = new ApiProcess(child, `http://127.0.0.1:${port}`, stderr, Date.now());
    await api.waitUntilReady();
    return api;
  }

  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) {
        throw new Error(`the API exited with ${this.child.exitCode}: ${this.stderr.join('')}`);
      }
      try {
        if ((await fetch(`${this.url}/readyz`)).status === 200) return;
      } catch {
        // Not listening yet.
      }
      await sleep(250);
    }
    await this.stop();
    throw new Error(`the API was not ready within 120 s: ${this.stderr.join('')}`);
  }

  /** The process id, for reading its CPU time from /proc. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

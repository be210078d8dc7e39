import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** apps/api: the start command runs `node dist/main.js` with this as its working directory. */
export const API_DIR = path.resolve(__dirname, '../../../api');
const WEB_DIST = path.resolve(__dirname, '../../../web/dist');

export interface RunningApp {
  /** e.g. http://127.0.0.1:41234 — the API at /graphql and the SPA everywhere else. */
  readonly url: string;
  readonly dataDir: string;
  /** What the server printed so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** A port nobody listens on right now: the OS picks one, we close it and hand it over. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('Could not read the free port.'));
      });
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });
}

/**
 * Starts the app exactly as the README's start command does after building: `node dist/main.js`
 * in apps/api, on the embedded database (DATABASE_URL removed), in a fresh empty data folder and
 * on a free port. Builds nothing: turbo built the API and the SPA before this package's tests.
 */
export async function startApp(): Promise<RunningApp> {
  const main = path.join(API_DIR, 'dist', 'main.js');
  if (!existsSync(main)) {
    throw new Error(
      `${main} is missing. Build first: pnpm turbo run build --filter=@refunds/api --filter=@refunds/web`,
    );
  }
  if (!existsSync(path.join(WEB_DIST, 'index.html'))) {
    throw new Error(`${WEB_DIST}/index.html is missing: build @refunds/web first.`);
  }

  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'refunds-e2e-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir };
  delete env['DATABASE_URL'];
  // Jest sets NODE_ENV=test; `npm start` does not set it at all.
  delete env['NODE_ENV'];
  delete env['WEB_DIST'];

  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: API_DIR,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
      await exited(child);
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 90000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`The app exited before answering /healthz:\n${log}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The app did not answer GET /healthz within 90 s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  return { url, dataDir, output: () => log, stop };
}

#!/usr/bin/env node
// The README's two commands, for a machine that has only Node.js and npm:
//   npm start  -> install, build, then run the API + SPA in production mode (embedded database
//                 unless DATABASE_URL is set)
//   npm test   -> install, then run the whole suite (format, lint, types, unit, integration, browser)
// pnpm is used at the exact version pinned in package.json; when it is not on PATH we run it
// through npx so that nothing global has to be installed first.
import { execSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const task = process.argv[2];
if (task !== 'start' && task !== 'test') {
  console.error('usage: node scripts/run.mjs start|test');
  process.exit(2);
}

const root = fileURLToPath(new URL('..', import.meta.url));
const pinned = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).packageManager.replace(/^pnpm@/, '');

function installedPnpmVersion() {
  try {
    return execSync('pnpm --version', { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

const pnpm = installedPnpmVersion() === pinned ? ['pnpm'] : ['npx', '--yes', `pnpm@${pinned}`];

function run(args) {
  const [cmd, ...rest] = [...pnpm, ...args];
  const result = spawnSync(cmd, rest, {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run(['install', '--frozen-lockfile']);
if (task === 'test') {
  run(['run', 'test:all']);
} else {
  run(['exec', 'turbo', 'run', 'build', '--filter=@refunds/api', '--filter=@refunds/web']);
  serve();
}

/**
 * The API runs as our direct child, not under pnpm: a stop (Ctrl-C, or SIGTERM from a process
 * manager or container runtime) reaches it unchanged, it finishes its requests and closes the
 * database, and its exit code (0) is ours — pnpm would report a signalled child as a failure.
 */
function serve() {
  const api = spawn(process.execPath, ['dist/main.js'], {
    cwd: new URL('../apps/api/', import.meta.url),
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'production' },
  });
  // Ctrl-C in a terminal signals the API directly too (same process group); the API ignores the
  // same signal repeated within a second, so forwarding every signal is safe.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => api.kill(signal));
  }
  api.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

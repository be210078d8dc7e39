#!/usr/bin/env node
// The README's two commands, for a machine that has only Node.js and npm:
//   npm start  -> install, build, start API + SPA on the embedded database
//   npm test   -> install, then run the whole suite (format, lint, types, unit, integration, browser)
// pnpm is used at the exact version pinned in package.json; when it is not on PATH we run it
// through npx so that nothing global has to be installed first.
import { execSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const task = process.argv[2];
const scripts = { start: 'serve', test: 'test:all' };
if (!(task in scripts)) {
  console.error(`usage: node scripts/run.mjs ${Object.keys(scripts).join('|')}`);
  process.exit(2);
}

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
  const result = spawnSync(cmd, rest, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run(['install', '--frozen-lockfile']);
run(['run', scripts[task]]);

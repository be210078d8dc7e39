#!/usr/bin/env node
// The browser tests drive Debian's `chromium` package (no browser downloads on this network).
// Install it with apt when it is missing and we may (root on Debian); otherwise fail loudly:
// the browser tests are never skipped.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const isDebian = existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');

function run(command, args) {
  console.log(`ensure-chromium: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}

if (!existsSync(CHROMIUM) && isRoot && isDebian) {
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', 'chromium']);
}

if (!existsSync(CHROMIUM)) {
  console.error(
    `ensure-chromium: ${CHROMIUM} is missing. The browser tests need Debian's chromium package:\n` +
      '  sudo apt-get update && sudo apt-get install -y chromium\n' +
      (isRoot && isDebian
        ? 'apt-get ran but did not install it; see its output above.'
        : 'This script installs it only when run as root on Debian.'),
  );
  process.exit(1);
}
console.log(`ensure-chromium: using ${CHROMIUM}`);

#!/usr/bin/env node
// After a green `pnpm test`, copies the current screenshots of the main screens from
// artifacts/<test>/<nn>-<step>.png to docs/screenshots/<name>.png (linked from the README).
// Steps are found by name, not number, so adding a step does not break the mapping.
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = path.resolve(here, '../artifacts');
const target = path.resolve(here, '../../../docs/screenshots');

/** docs name -> [test folder, step slug] */
const SCREENS = {
  'quotes-list': ['invoice-refund', 'refunded-tab-and-tiles'],
  'refund-dialog': ['invoice-refund', 'refund-dialog'],
  'quote-drawer-refunded': ['invoice-refund', 'drawer-shows-the-refund'],
  'insights-dip': ['invoice-refund', 'insights-shows-the-dip-today'],
  'portal-banner': ['invoice-refund', 'portal-shows-the-generic-line-without-a-reason'],
  transactions: ['credits', 'deleted-refund-struck-through-with-who-and-why'],
  'refund-transaction-panel': ['credits', 'refund-panel-shows-what-is-left-and-refuses-more'],
  'customer-correction': ['credits', 'balance-zero-and-the-recent-corrections'],
  'customer-accounts-statement': [
    'accounts',
    'yes-returns-to-the-accounts-with-the-refund-in-the-statement',
  ],
  'refund-os': ['accounts', 'pick-it-and-add-a-bank-account'],
  'settings-team': ['settings', 'add-a-manager-to-the-team'],
  'settings-api-keys': ['settings', 'revoke-it-the-api-refuses-it-from-now-on'],
  'settings-bank-accounts': ['settings', 'add-a-second-bank-account'],
  'transactions-filters-export': [
    'exports',
    'the-kind-filter-stays-in-the-address-and-in-the-file',
  ],
  'sample-business': ['sample-business', 'the-sample-is-marked-and-filled-in'],
  // The three flows at 390 px (mobile.e2e.test.ts).
  'mobile-quotes': ['mobile', 'quotes-list'],
  'mobile-refund-dialog': ['mobile', 'refund-dialog'],
  'mobile-refunded-invoice': ['mobile', 'refunded-invoice'],
  'mobile-transactions': ['mobile', 'transactions'],
  'mobile-refund-transaction-panel': ['mobile', 'refund-transaction-panel'],
  'mobile-statement': ['mobile', 'customer-accounts'],
  'mobile-refund-os': ['mobile', 'refund-o-s'],
  'stale-drawer-refetched': [
    'stale-drawer',
    'mark-unpaid-here-is-refused-and-the-drawer-shows-the-truth',
  ],
};

mkdirSync(target, { recursive: true });
let missing = 0;
for (const [name, [test, step]] of Object.entries(SCREENS)) {
  const dir = path.join(artifacts, test);
  const file = existsSync(dir)
    ? readdirSync(dir).find((f) => /^\d+-/.test(f) && f.replace(/^\d+-/, '') === `${step}.png`)
    : undefined;
  if (!file) {
    console.error(`missing: ${test}/<nn>-${step}.png (run the browser tests first)`);
    missing += 1;
    continue;
  }
  copyFileSync(path.join(dir, file), path.join(target, `${name}.png`));
  console.log(`docs/screenshots/${name}.png <- ${test}/${file}`);
}
process.exit(missing ? 1 : 0);

/**
 * Issue 13, browser tests: Settings and CSV exports on the real app in Chromium.
 *
 * Settings: the owner adds a manager who then logs in, creates an API key (its secret shown once)
 * that the API accepts and, once revoked from the screen, refuses; adds a second bank account and
 * pays a refund out of it from Refund O/S. Exports: the statement and the transactions are
 * downloaded through their buttons and the files hold every row, exact decimals and business dates.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { startApp, type RunningApp } from './support/app';
import { Journey, launchBrowser, newPage } from './support/browser';
import { expectCount, expectText, expectTextContaining } from './support/expect';
import { Api, SETUP } from './support/graphql';
import { choose, dayIn, logIn, navigate, rowWith } from './support/ui';

const owner = {
  businessName: 'Adjoa Laundry',
  country: 'GH',
  currency: 'GHS',
  timezone: 'Africa/Accra',
  name: 'Adjoa Mensah',
  email: 'adjoa@laundry.example',
  password: 'starch-and-receipts-13',
};
const manager = {
  name: 'Kojo Badu',
  email: 'kojo@laundry.example',
  password: 'ironing-board-2026',
};
const CUSTOMER = 'Esi Appiah';
const FIRST_BANK = 'Ecobank Main';
const SECOND_BANK = 'Stanbic Payroll';

let app: RunningApp;
let browser: Browser;
let customerId: string;

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  const api = new Api(app.url);
  await api.signUp(owner);
  customerId = await api.createCustomer(CUSTOMER, 'esi@example.com');
  await api.mutate(
    'createBankAccount',
    `mutation ($input: CreateBankAccountInput!) { createBankAccount(input: $input) { bankAccount { id } userErrors { code message } } }`,
    { input: { name: FIRST_BANK, currency: 'GHS' } },
  );
  await api.mutate(
    'createCreditNote',
    `mutation ($input: CreateCreditNoteInput!) { createCreditNote(input: $input) { credit { id } userErrors { code message } } }`,
    { input: { customerId, amount: { amount: '30.05', currency: 'GHS' }, reason: 'Shirt lost' } },
  );
  // 120 purchases: more than one page of the list (25) and of the API (100).
  for (let i = 1; i <= 120; i++) {
    await api.mutate('recordCreditPurchase', SETUP.recordCreditPurchase, {
      input: { customerId, credits: String(i), description: `Pack ${i}` },
    });
  }
  await api.mutate('recordCreditSpend', SETUP.recordCreditSpend, {
    input: { customerId, credits: '60', description: 'Wash, dry, fold' },
  });
}, 180000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function openSettings(page: Page, tab: string): Promise<void> {
  await navigate(page, 'Settings');
  await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
  await page.getByRole('tab', { name: tab }).click();
}

/** What a third party sees when it calls the API with `secret`. */
async function callWithKey(secret: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: JSON.stringify({ query: '{ business { name } }' }),
  });
  return { status: response.status, body: await response.text() };
}

/** Clicks a download button and returns the saved file's text. */
async function download(page: Page, click: () => Promise<void>): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await file.path();
  return readFileSync(path, 'utf8');
}

/** RFC 4180 rows of a downloaded CSV (quoted cells with commas or quotes included). */
function csvRows(text: string): string[][] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.slice(1);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && body[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

it('settings: a new member logs in, an API key works until revoked, a second bank account pays a refund', async () => {
  const { page } = await newPage(browser, app.url);
  const journey = new Journey(page, 'settings');
  let secret = '';

  await journey.step('owner opens settings on the business profile', async () => {
    await logIn(page, owner.email, owner.password);
    await navigate(page, 'Settings');
    await page.getByRole('heading', { name: 'Business profile' }).waitFor();
    await expectTextContaining(page.getByRole('main'), 'Africa/Accra', 'GHS');
  });

  await journey.step('add a manager to the team', async () => {
    await page.getByRole('tab', { name: 'Team' }).click();
    await page.getByRole('button', { name: 'Add member' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a team member' });
    await dialog.getByLabel('Name').fill(manager.name);
    await dialog.getByLabel('Email').fill(manager.email);
    await choose(dialog, 'Role', '', 'Manager: everything but the team and API keys');
    await dialog.getByLabel('First password').fill(manager.password);
    await dialog.getByRole('button', { name: 'Add member' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expectCount(rowWith(page, manager.name, manager.email), 1);
  });

  await journey.step('create an API key: the secret is shown once', async () => {
    await page.getByRole('tab', { name: 'API keys' }).click();
    await page.getByRole('button', { name: 'Create API key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create an API key' });
    await dialog.getByLabel('Name').fill('Books sync');
    await dialog.getByLabel('Expires after (optional)').fill(dayIn(owner.timezone, -30));
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await dialog.getByText('This is the only time it is shown.').waitFor();
    secret = (await dialog.getByTestId('api-key-secret').innerText()).trim();
    expect(secret).toMatch(/^rbo_k_/);
    await dialog.getByRole('button', { name: 'Copy secret' }).waitFor();
    await dialog.getByRole('button', { name: 'I have stored it' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expectCount(rowWith(page, 'Books sync', 'READ', 'Active'), 1);
  });

  await journey.step('the API answers the key, and its last use shows', async () => {
    const answer = await callWithKey(secret);
    expect(answer.body).toContain(owner.businessName);
    await page.reload();
    await page.getByRole('table').filter({ hasText: 'Books sync' }).waitFor();
    const row = rowWith(page, 'Books sync');
    await expectText(row.getByRole('cell').nth(4), /\d{4}/); // a date, not "Not yet"
  });

  await journey.step('revoke it: the API refuses it from now on', async () => {
    await rowWith(page, 'Books sync').getByRole('button', { name: 'Revoke' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke API key?' });
    await confirm.getByRole('button', { name: 'Revoke' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await expectCount(rowWith(page, 'Books sync', 'Revoked'), 1);
    const answer = await callWithKey(secret);
    expect(answer.body).toContain('UNAUTHENTICATED');
    expect(answer.body).not.toContain(owner.businessName);
  });

  await journey.step('add a second bank account', async () => {
    await openSettings(page, 'Bank accounts');
    await page.getByRole('button', { name: 'Add bank account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a bank account' });
    await dialog.getByLabel('Account name').fill(SECOND_BANK);
    await dialog.getByRole('button', { name: 'Add bank account' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expectCount(rowWith(page, FIRST_BANK, 'In use'), 1);
    await expectCount(rowWith(page, SECOND_BANK, 'In use'), 1);
  });

  await journey.step('refund the credit note from the second account', async () => {
    await page.goto(`/customers/${customerId}/accounts/refund`);
    const table = page.getByRole('table').filter({ hasText: 'Outstanding credit notes' });
    await table.getByRole('radio').first().check();
    await choose(page, 'Bank account', '', `${SECOND_BANK} (GHS)`);
    await page.getByRole('button', { name: 'Refund Credit Note' }).click();
    const confirm = page.getByRole('dialog', { name: 'Create this refund?' });
    await expectTextContaining(confirm, 'GH₵30.05', SECOND_BANK);
    await confirm.getByRole('button', { name: 'Yes' }).click();
    await page.getByRole('heading', { name: `${CUSTOMER}: accounts`, level: 1 }).waitFor();
    const refund = page
      .getByRole('table')
      .filter({ hasText: 'Statement, oldest first' })
      .locator('tbody tr')
      .filter({ hasText: `from ${SECOND_BANK}` });
    await expectCount(refund, 1);
    await expectTextContaining(refund, 'GH₵30.05');
  });

  await journey.step('log out; the new manager logs in and sees bank accounts only', async () => {
    await page.getByRole('button', { name: 'Log out' }).first().click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await logIn(page, manager.email, manager.password);
    await page.getByRole('heading', { name: 'Quotes', level: 1 }).waitFor();
    await navigate(page, 'Settings');
    const tabs = page.getByRole('tablist', { name: 'Settings sections' }).getByRole('tab');
    // The screen loads on first visit: wait for its tabs before reading them all at once.
    await tabs.first().waitFor();
    expect((await tabs.allInnerTexts()).map((t) => t.trim())).toEqual(['Bank accounts']);
    await expectCount(rowWith(page, SECOND_BANK), 1);
  });
});

it('exports: the statement and every transaction download as CSV with exact amounts', async () => {
  const { page } = await newPage(browser, app.url);
  const journey = new Journey(page, 'exports');
  await logIn(page, owner.email, owner.password);
  const today = dayIn(owner.timezone);

  await journey.step('statement CSV', async () => {
    await page.goto(`/customers/${customerId}/accounts`);
    await page.getByRole('heading', { name: `${CUSTOMER}: accounts`, level: 1 }).waitFor();
    const text = await download(page, () =>
      page
        .getByRole('region', { name: 'Statement' })
        .getByRole('button', { name: 'Download CSV' })
        .click(),
    );
    const rows = csvRows(text);
    expect(rows[0]).toEqual([
      'Date (Africa/Accra)',
      'Kind',
      'Reference',
      'Description',
      'Debit',
      'Credit',
      'Balance',
      'Currency',
    ]);
    expect(rows.slice(1).map((r) => r.slice(1))).toEqual([
      ['CREDIT_NOTE', 'CN-000001', 'Shirt lost', '', '30.05', '-30.05', 'GHS'],
      [
        'REFUND',
        'RF-000001',
        `Refund of CN-000001 from ${SECOND_BANK}`,
        '30.05',
        '',
        '0.00',
        'GHS',
      ],
    ]);
    expect(rows[1]![0]!.startsWith(today)).toBe(true);
  });

  await journey.step('transactions CSV: all 121 entries, not the 25 on screen', async () => {
    await navigate(page, 'Transactions');
    await page.getByRole('table', { name: 'Credit transactions, newest first' }).waitFor();
    const text = await download(page, () =>
      page.getByRole('button', { name: 'Download CSV' }).click(),
    );
    const rows = csvRows(text);
    expect(rows).toHaveLength(1 + 121);
    expect(rows[1]!.slice(1, 6)).toEqual([
      CUSTOMER,
      'SPEND',
      '-60',
      String(7260 - 60),
      'Wash, dry, fold',
    ]);
    const purchased = rows.slice(1).filter((r) => r[2] === 'PURCHASE');
    expect(purchased.reduce((sum, r) => sum + BigInt(r[3]!), 0n)).toBe(7260n); // 1 + … + 120
  });

  await journey.step('the kind filter stays in the address and in the file', async () => {
    await choose(page, 'Kind', '', 'Spend');
    await page.waitForURL(/kind=spend/);
    await page.reload();
    await page.getByRole('table', { name: 'Credit transactions, newest first' }).waitFor();
    await expectCount(
      page.getByRole('table', { name: 'Credit transactions, newest first' }).locator('tbody tr'),
      1,
    );
    const rows = csvRows(
      await download(page, () => page.getByRole('button', { name: 'Download CSV' }).click()),
    );
    expect(rows.slice(1).map((r) => r[3])).toEqual(['-60']);
  });
});

it('first run: an empty business opens a sample business to look around, then removes it', async () => {
  const { page } = await newPage(browser, app.url);
  const journey = new Journey(page, 'sample-business');
  await logIn(page, owner.email, owner.password);

  await journey.step('the empty Quotes screen offers a sample business', async () => {
    await page.getByRole('heading', { name: 'Quotes', level: 1 }).waitFor();
    await page.getByText('No quotes here yet').waitFor();
    await page.getByRole('button', { name: 'Explore a sample business' }).click();
  });

  await journey.step('the sample is marked and filled in', async () => {
    const banner = page.getByTestId('sample-banner');
    await expectTextContaining(banner, 'Everything here is made up');
    await expectText(page.getByTestId('business-name'), `${owner.businessName} (sample)`);
    const rows = page.getByRole('table', { name: 'All quotes' }).locator('tbody tr');
    await expectCount(rows, 3);
    await expectCount(rowWith(page, 'Ama Serwaa', 'GH₵150.00'), 1);
  });

  await journey.step('removing it goes back to the untouched business', async () => {
    await page.getByRole('button', { name: 'Remove sample business' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove the sample business?' });
    await confirm.getByRole('button', { name: 'Remove' }).click();
    await expectText(page.getByTestId('business-name'), owner.businessName);
    await page.getByText('No quotes here yet').waitFor();
    await expectCount(page.getByTestId('sample-banner'), 0);
  });
});

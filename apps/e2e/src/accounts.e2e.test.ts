/**
 * Issue 7, browser test: the customer-accounts refund of seed 002 on the real app in Chromium.
 *
 * A business in the UK has a £20 invoice for a customer (arranged through the API). On the
 * customer's accounts screen the owner creates a £25 credit note and allocates £20 of it to the
 * invoice; Refund O/S then lists it with Amount £25.00 and O/S £5.00. The owner picks it, adds a
 * bank account (there is none yet), keeps the default amount, clicks Refund Credit Note, answers
 * Yes to "Create this refund?" and is back on the accounts screen, where the statement shows it.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { startApp, type RunningApp } from './support/app';
import { Journey, launchBrowser, newPage } from './support/browser';
import { expectCount, expectText, expectTextContaining, expectValue } from './support/expect';
import { Api, SETUP } from './support/graphql';
import { choose, logIn, navigate, rowWith } from './support/ui';

const owner = {
  businessName: 'Hartley Garden Design',
  country: 'GB',
  currency: 'GBP',
  timezone: 'Europe/London',
  name: 'Priya Hartley',
  email: 'priya@hartley-gardens.example',
  password: 'roses-and-invoices-25',
};
const CUSTOMER = 'Oliver Bennett';
const BANK = 'Barclays Business';

let app: RunningApp;
let browser: Browser;
let invoiceNumber: string;

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  const api = new Api(app.url);
  await api.signUp(owner);
  const customerId = await api.createCustomer(CUSTOMER, 'oliver@example.co.uk');
  const created = await api.mutate<{ quote: { id: string; number: string } }>(
    'createQuote',
    SETUP.createQuote,
    {
      input: {
        customerId,
        title: 'Garden consultation',
        lineItems: [{ description: 'Design consultation', quantity: '1', unitPrice: '20.00' }],
      },
    },
  );
  invoiceNumber = created.quote.number;
  await api.mutate('sendQuote', SETUP.sendQuote, { quoteId: created.quote.id });
  await api.mutate('acceptQuote', SETUP.acceptQuote, { quoteId: created.quote.id });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Body rows of the statement, oldest first. */
function statement(page: Page): Locator {
  return page.getByRole('table').filter({ hasText: 'Statement, oldest first' }).locator('tbody tr');
}

it('refunds what is outstanding on a part-allocated credit note to a bank account', async () => {
  const { page } = await newPage(browser, app.url);
  const journey = new Journey(page, 'accounts');
  let creditNote = '';

  await journey.step('customer page', async () => {
    await logIn(page, owner.email, owner.password);
    await navigate(page, 'Customers');
    // Find the customer by the search box, as the help page says.
    await page.getByRole('searchbox', { name: 'Search customers' }).fill('Bennett');
    const row = rowWith(page, CUSTOMER);
    await expectCount(row, 1);
    // The invoice is owed: £20.00 on account.
    await expectTextContaining(row, '£20.00');
    await row.getByRole('link', { name: CUSTOMER, exact: true }).click();
    await page.getByRole('heading', { name: CUSTOMER, level: 1 }).waitFor();
  });

  await journey.step('view accounts', async () => {
    await page.getByRole('link', { name: 'View accounts' }).click();
    await page.getByRole('heading', { name: `${CUSTOMER}: accounts`, level: 1 }).waitFor();
    await expectText(page.getByTestId('account-balance'), '£20.00');
    await expectCount(statement(page), 1);
    await expectTextContaining(statement(page).nth(0), 'Invoice', invoiceNumber, '£20.00');
  });

  await journey.step('create a £25 credit note', async () => {
    await page.getByRole('button', { name: 'Create credit note' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create credit note' });
    await dialog.getByLabel('Amount (GBP)').fill('25.00');
    await dialog.getByLabel('Reason', { exact: true }).fill('Two rose beds were not planted.');
    await dialog.getByRole('button', { name: 'Create credit note' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // The customer owes £20 and is owed £25: -£5.00 on account.
    await expectText(page.getByTestId('account-balance'), '-£5.00');
    await expectCount(statement(page), 2);
    const line = statement(page).nth(1);
    await expectTextContaining(line, 'Credit note', '£25.00', '-£5.00');
    creditNote = (await line.getByRole('cell').nth(2).innerText()).trim();
    expect(creditNote).not.toBe('');
  });

  await journey.step('allocate £20 of it to the invoice', async () => {
    await page.getByRole('button', { name: 'Allocate credit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Allocate credit' });
    await dialog.waitFor();
    await choose(dialog, 'Credit', '', `Credit note ${creditNote} · O/S £25.00`);
    await choose(dialog, 'Invoice', '', `${invoiceNumber} · Garden consultation · £20.00`);
    // What the invoice still owes bounds the amount, as the API says: wait for it, as a user would.
    await dialog.getByText('At most £20.00.').waitFor();
    await dialog.getByLabel('Amount (GBP)').fill('20.00');
    await dialog.getByRole('button', { name: 'Allocate', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    // An allocation moves value between two documents: the balance stays -£5.00.
    await expectText(page.getByTestId('account-balance'), '-£5.00');
  });

  const table = page
    .getByRole('table')
    .filter({ hasText: 'Outstanding credit notes and payments' });
  await journey.step('refund O/S lists the credit note', async () => {
    await page.getByRole('link', { name: 'Refund O/S' }).click();
    await page.getByRole('heading', { name: `Refund O/S: ${CUSTOMER}`, level: 1 }).waitFor();
    const rows = table.locator('tbody tr');
    await expectCount(rows, 1);
    // "Amount" is the original value, "O/S" what is left after the £20 allocation.
    const headers = (await table.getByRole('columnheader').allInnerTexts()).map((h) => h.trim());
    const cells = (await rows.nth(0).getByRole('cell').allInnerTexts()).map((c) => c.trim());
    const column = (name: string) => cells[headers.indexOf(name)];
    expect(column('Number')).toBe(creditNote);
    expect(column('Type')).toBe('Credit note');
    expect(column('Amount')).toBe('£25.00');
    expect(column('O/S')).toBe('£5.00');
  });

  await journey.step('pick it and add a bank account', async () => {
    await table.getByRole('radio', { name: `Refund ${creditNote}` }).check();
    // The amount defaults to the whole O/S.
    await expectValue(page.getByLabel('Amount (GBP)'), '5.00');
    // No bank account yet: add one from here.
    await page.getByRole('button', { name: 'Add bank account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add bank account' });
    await dialog.getByLabel('Account name').fill(BANK);
    const currency = dialog.getByRole('textbox', { name: 'Currency' });
    if ((await currency.inputValue()) !== 'GBP') await currency.fill('GBP');
    await dialog.getByRole('button', { name: 'Add bank account' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expectValue(page.getByRole('combobox', { name: 'Bank account' }), `${BANK} (GBP)`);
  });

  const confirm = page.getByRole('dialog', { name: 'Create this refund?' });
  await journey.step('refund credit note asks to confirm', async () => {
    await page.getByRole('button', { name: 'Refund Credit Note' }).click();
    await confirm.waitFor();
    await expectTextContaining(confirm, `Refund £5.00 of credit note ${creditNote} from ${BANK}.`);
  });

  await journey.step('yes returns to the accounts with the refund in the statement', async () => {
    await confirm.getByRole('button', { name: 'Yes' }).click();
    await page.getByRole('heading', { name: `${CUSTOMER}: accounts`, level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/customers\/[^/]+\/accounts$/);
    // Invoice +£20, credit note -£25, allocation, refund +£5: nothing owed either way.
    await expectText(page.getByTestId('account-balance'), '£0.00');
    const refund = statement(page).filter({ hasText: 'Refund' });
    await expectCount(refund, 1);
    const headers = (
      await page
        .getByRole('table')
        .filter({ hasText: 'Statement, oldest first' })
        .getByRole('columnheader')
        .allInnerTexts()
    ).map((h) => h.trim());
    const cells = (await refund.getByRole('cell').allInnerTexts()).map((c) => c.trim());
    const column = (name: string) => cells[headers.indexOf(name)];
    expect(column('Kind')).toBe('Refund');
    expect(column('Debit')).toBe('£5.00');
    expect(column('Credit')).toBe('');
    expect(column('Balance')).toBe('£0.00');
    expect(column('Description')).toBe(`Refund of ${creditNote} from ${BANK}`);
    // Oldest first: invoice, credit note, the allocation, and the refund last.
    await expectCount(statement(page), 4);
    await expectTextContaining(
      statement(page).nth(2),
      'Allocation',
      `${creditNote} to ${invoiceNumber}`,
    );
    await expectTextContaining(statement(page).last(), 'Refund', '£5.00', '£0.00');
  });

  await journey.step('nothing left to refund', async () => {
    await page.getByRole('link', { name: 'Refund O/S' }).click();
    await page.getByText('Nothing outstanding').waitFor();
  });
});

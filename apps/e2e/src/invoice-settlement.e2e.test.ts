/**
 * Issue 11, browser test: partial invoice refunds and one settlement rule, on the real app (the
 * README's start command's server on a fresh embedded database) in Chromium.
 *
 * Arranged through the API: a UK business, a paid £250 invoice, and a £20 invoice that a £25
 * credit note settles in full on the customer's account. Through the screens: a partial refund of
 * £100 (Paid, "Partly refunded", £150 still refundable), then the rest (Refunded, case Lost), the
 * invoice the credit note settled shown as Paid, and Insights' refunds by reason.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { startApp, type RunningApp } from './support/app';
import { Journey, launchBrowser, newPage } from './support/browser';
import { eventually, expectBadge, expectText, expectTextContaining } from './support/expect';
import { Api, SETUP } from './support/graphql';
import { logIn, navigate } from './support/ui';

const owner = {
  businessName: 'Hale Cleaning',
  country: 'GB',
  currency: 'GBP',
  timezone: 'Europe/London',
  name: 'Sam Hale',
  email: 'sam@hale-cleaning.example',
  password: 'spotless-windows-2026',
};
const CUSTOMER = 'Priya Shah';

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const drawerOf = (page: Page): Locator => page.getByRole('dialog', { name: /^Quote / });

async function footerButtons(drawer: Locator): Promise<string[]> {
  const group = drawer.getByRole('group', { name: 'Quote actions' });
  await group.waitFor();
  return (await group.getByRole('button').allInnerTexts()).map((t) => t.trim());
}

/** An invoice of `total` for the customer, sent and accepted; returns its id and number. */
async function acceptedInvoice(api: Api, customerId: string, title: string, total: string) {
  const created = await api.mutate<{ quote: { id: string; number: string } }>(
    'createQuote',
    SETUP.createQuote,
    {
      input: {
        customerId,
        title,
        lineItems: [{ description: title, quantity: '1', unitPrice: total }],
      },
    },
  );
  await api.mutate('sendQuote', SETUP.sendQuote, { quoteId: created.quote.id });
  await api.mutate('acceptQuote', SETUP.acceptQuote, { quoteId: created.quote.id });
  return created.quote;
}

it('refunds an invoice in two parts, and shows an invoice a credit note settled as paid', async () => {
  const api = new Api(app.url);
  await api.signUp(owner);
  const customerId = await api.createCustomer(CUSTOMER, 'priya@example.com');
  const big = await acceptedInvoice(api, customerId, 'Spring clean', '250.00');
  await api.mutate(
    'markQuotePaid',
    `mutation ($input: MarkPaidInput!) { markQuotePaid(input: $input) { quote { status } userErrors { code message } } }`,
    { input: { quoteId: big.id } },
  );
  const small = await acceptedInvoice(api, customerId, 'Oven clean', '20.00');
  const note = await api.mutate<{ credit: { id: string } }>(
    'createCreditNote',
    `mutation ($input: CreateCreditNoteInput!) { createCreditNote(input: $input) { credit { id } userErrors { code message } } }`,
    { input: { customerId, amount: { amount: '25.00', currency: 'GBP' }, reason: 'Goodwill' } },
  );
  await api.mutate(
    'allocateCredit',
    `mutation ($input: AllocateCreditInput!) { allocateCredit(input: $input) { credit { id } userErrors { code message } } }`,
    { input: { creditId: note.credit.id, quoteId: small.id, amount: '20.00' } },
  );

  const { page } = await newPage(browser, app.url);
  const journey = new Journey(page, 'invoice-settlement');
  await journey.step('log in', async () => {
    await logIn(page, owner.email, owner.password);
    await page.getByRole('heading', { name: 'Quotes', level: 1 }).waitFor();
    // Both invoices are paid: one marked paid, one settled by the credit note.
    await expectText(page.getByRole('region', { name: 'Invoices paid' }), 'Invoices paid 2');
  });

  const drawer = drawerOf(page);
  const dialog = page.getByRole('dialog', { name: `Refund ${big.number}` });
  await journey.step('partial refund dialog', async () => {
    await page.getByRole('button', { name: `Open quote ${big.number}` }).click();
    await expectBadge(drawer, 'Paid');
    await drawer.getByRole('button', { name: 'Refund', exact: true }).click();
    await dialog.waitFor();
    await expectTextContaining(dialog, 'Up to £250.00 of £250.00 can still be refunded.');
    const amount = dialog.getByLabel('Amount');
    expect(await amount.inputValue()).toBe('250.00');
    // More than was paid is refused before anything is sent.
    await amount.fill('250.01');
    await dialog.getByRole('button', { name: 'Record refund' }).click();
    await expectTextContaining(
      dialog,
      'Only £250.00 of this invoice can still be refunded. Refund at most that.',
    );
    await amount.fill('100');
    await expectTextContaining(dialog, 'stays Paid, marked Partly refunded');
    await dialog.getByRole('combobox', { name: 'Reason category' }).click();
    await page.getByRole('option', { name: 'Service not delivered' }).click();
    await dialog.getByLabel('Reason', { exact: true }).fill('The oven was not cleaned.');
  });

  await journey.step('partly refunded: still paid, £150 refundable', async () => {
    await dialog.getByRole('button', { name: 'Record refund' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expectBadge(drawer, 'Paid');
    await drawer.getByText('Partly refunded', { exact: true }).waitFor();
    await expectText(
      drawer.getByTestId('quote-refunded'),
      'Refunded: £100.00 · Still refundable: £150.00',
    );
    await expectTextContaining(
      drawer.getByRole('region', { name: 'Partial refunds' }),
      '£100.00',
      'Service not delivered',
    );
    // A refund is final, so the payment stays: "Mark unpaid" is no longer offered.
    await eventually(async () =>
      expect(await footerButtons(drawer)).toEqual(['Refund', 'Add note']),
    );
  });

  await journey.step('refund the rest: refunded for good', async () => {
    await drawer.getByRole('button', { name: 'Refund', exact: true }).click();
    await dialog.waitFor();
    expect(await dialog.getByLabel('Amount').inputValue()).toBe('150.00');
    await expectTextContaining(dialog, 'The invoice status becomes Refunded.', 'moves to Lost.');
    await dialog.getByRole('button', { name: 'Record refund' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expectBadge(drawer, 'Refunded');
    await expectText(drawer.getByRole('region', { name: 'Case' }), /: Lost$/);
    await expectTextContaining(drawer.getByRole('region', { name: 'Refund' }), 'Refunded £150.00');
    const items = drawer
      .getByRole('list', { name: 'Activity, oldest first' })
      .getByRole('listitem');
    const texts = (await items.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
    expect(texts.filter((t) => t.includes('Partial refund recorded: £100.00'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('Refund recorded: £150.00'))).toHaveLength(1);
    expect(await footerButtons(drawer)).toEqual(['Add note']);
    await page.getByRole('button', { name: 'Close quote' }).click();
    await drawer.waitFor({ state: 'hidden' });
  });

  await journey.step('the invoice the credit note settled is paid', async () => {
    await page.getByRole('button', { name: `Open quote ${small.number}` }).click();
    await expectBadge(drawer, 'Paid');
    await expectText(drawer.getByRole('region', { name: 'Case' }), /: Won$/);
    await expectTextContaining(
      drawer.getByRole('list', { name: 'Activity, oldest first' }),
      "Paid in full: credits on the customer's account settle the £20.00 total.",
    );
    // No payment was marked, so there is none to mark unpaid; the credits can still be refunded.
    expect(await footerButtons(drawer)).toEqual(['Refund', 'Add note']);
    await page.getByRole('button', { name: 'Close quote' }).click();
    await drawer.waitFor({ state: 'hidden' });
  });

  await journey.step('insights: refunds by reason', async () => {
    await navigate(page, 'Insights');
    const table = page.getByRole('table', { name: 'Refunds by reason' });
    await table.waitFor();
    const rows = (await table.getByRole('row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
    // Categorised first, largest first; refunds without a category last.
    expect(rows.slice(1)).toEqual(['Service not delivered 1 £100.00', 'No category 1 £150.00']);
  });
});

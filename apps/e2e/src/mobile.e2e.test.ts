/**
 * Issue 13, browser test: the three flows on a 390 px wide phone screen (iPhone 12-15 size) in
 * Chromium. The header keeps the role and, through the burger menu, Log out; no screen scrolls
 * sideways; the action columns (Refund, Credits, the refund choice) and every button used are on
 * screen; no status badge is cut ("REF…"). The journey's screenshots (artifacts/mobile) become
 * docs/screenshots/mobile-*.png through `pnpm --filter @refunds/e2e run screenshots`.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { startApp, type RunningApp } from './support/app';
import { expectAccessible } from './support/axe';
import { Journey, launchBrowser } from './support/browser';
import { eventually, expectBadge, expectTextContaining } from './support/expect';
import { Api, SETUP } from './support/graphql';
import { expectBadgesWhole } from './support/layout';
import { choose, rowWith } from './support/ui';

const PHONE = { width: 390, height: 844 };
const owner = {
  businessName: 'Mensah & Daughters Catering',
  country: 'GH',
  currency: 'GHS',
  timezone: 'Africa/Accra',
  name: 'Adwoa Mensah',
  email: 'adwoa@mensah-catering.example',
  password: 'jollof-for-two-hundred',
};
const CUSTOMER = 'Kwabena Asante';

let app: RunningApp;
let browser: Browser;
let invoiceNumber: string;

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  const api = new Api(app.url);
  await api.signUp(owner);
  const customerId = await api.createCustomer(CUSTOMER, 'kwabena@example.com');
  const created = await api.mutate<{ quote: { id: string; number: string } }>(
    'createQuote',
    SETUP.createQuote,
    {
      input: {
        customerId,
        title: 'Wedding buffet',
        lineItems: [{ description: 'Buffet for 120 guests', quantity: '1', unitPrice: '3600.00' }],
      },
    },
  );
  invoiceNumber = created.quote.number;
  await api.mutate('sendQuote', SETUP.sendQuote, { quoteId: created.quote.id });
  await api.mutate('acceptQuote', SETUP.acceptQuote, { quoteId: created.quote.id });
  await api.mutate(
    'markQuotePaid',
    `mutation ($input: MarkPaidInput!) { markQuotePaid(input: $input) { quote { id } userErrors { code message } } }`,
    { input: { quoteId: created.quote.id } },
  );
  await api.mutate('recordCreditPurchase', SETUP.recordCreditPurchase, {
    input: { customerId, credits: '50', description: 'Tasting credits' },
  });
  await api.mutate('recordCreditSpend', SETUP.recordCreditSpend, {
    input: { customerId, credits: '20', description: 'Menu tasting' },
  });
  await api.mutate(
    'createCreditNote',
    `mutation ($input: CreateCreditNoteInput!) { createCreditNote(input: $input) { credit { id } userErrors { code message } } }`,
    {
      input: {
        customerId,
        amount: { amount: '150.00', currency: 'GHS' },
        reason: 'Dessert table arrived late',
      },
    },
  );
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Nothing on the page is wider than the screen: no sideways scrolling, nor inside a table. */
async function expectNoSidewaysScroll(page: Page, screen: string): Promise<void> {
  const found = await page.evaluate(() => ({
    pageWidth: document.documentElement.scrollWidth,
    // Table.ScrollContainer is a Mantine ScrollArea: a table wider than the screen scrolls there.
    scrollingTables: Array.from(
      document.querySelectorAll<HTMLElement>('.mantine-ScrollArea-viewport'),
    )
      .filter((el) => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
      .map((el) => el.querySelector('caption')?.textContent ?? el.className),
  }));
  expect({ screen, ...found }).toEqual({ screen, pageWidth: PHONE.width, scrollingTables: [] });
}

/** The element is fully inside the 390 px screen horizontally. */
async function expectOnScreen(locator: Locator): Promise<void> {
  await locator.waitFor();
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  expect(box).not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
}

async function check(page: Page, screen: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await expectNoSidewaysScroll(page, screen);
  await expectBadgesWhole(page);
  await expectAccessible(page, `${screen} at 390 px`);
}

/** The burger opens the menu; a link in it is followed. */
async function go(page: Page, item: string): Promise<void> {
  await page.getByRole('button', { name: 'Menu' }).click();
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await nav.getByRole('link', { name: item }).click();
  await page.getByRole('heading', { level: 1, name: item }).waitFor();
}

it('runs the three flows on a 390 px phone screen', async () => {
  const context = await browser.newContext({
    baseURL: app.url,
    viewport: PHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'en-US',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const journey = new Journey(page, 'mobile');

  await journey.step('header keeps the role, the menu has Log out', async () => {
    await page.goto('/login');
    await page.getByLabel('Email').fill(owner.email);
    await page.getByRole('textbox', { name: 'Password' }).fill(owner.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Quotes', level: 1 }).waitFor();
    const header = page.getByRole('banner');
    await expectOnScreen(header.getByTestId('role-badge-mobile'));
    // The badge shows capitals by CSS; the DOM and screen readers say "Owner".
    expect(await header.getByTestId('role-badge-mobile').textContent()).toBe('Owner');
    await page.getByRole('button', { name: 'Menu' }).click();
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await expectOnScreen(nav.getByRole('button', { name: 'Log out' }));
    await expectOnScreen(nav.getByText(owner.name));
    await page.getByRole('button', { name: 'Menu' }).click();
  });

  // Flow 1: an invoice refund.
  await journey.step('quotes list', async () => {
    const row = rowWith(page, invoiceNumber);
    await expectBadge(row, 'Paid');
    await expectOnScreen(row.locator('.mantine-Badge-root'));
    await check(page, 'quotes list');
  });

  const drawer = page.getByRole('dialog', { name: `Quote ${invoiceNumber}` });
  await journey.step('refund dialog', async () => {
    await page.getByRole('button', { name: `Open quote ${invoiceNumber}` }).click();
    await drawer.waitFor();
    await expectOnScreen(drawer.getByRole('button', { name: 'Refund', exact: true }));
    await drawer.getByRole('button', { name: 'Refund', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Refund ${invoiceNumber}` });
    await dialog.waitFor();
    await dialog.getByRole('textbox', { name: /^Reason/ }).fill('Wedding moved to next year');
    await expectOnScreen(dialog.getByRole('button', { name: 'Record refund' }));
    await check(page, 'refund dialog');
  });

  await journey.step('refunded invoice', async () => {
    const dialog = page.getByRole('dialog', { name: `Refund ${invoiceNumber}` });
    await dialog.getByRole('button', { name: 'Record refund' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expectBadge(drawer, 'Refunded');
    await expectTextContaining(drawer.getByRole('region', { name: 'Refund' }), 'Wedding moved');
    await check(page, 'refunded drawer');
    await page.getByRole('button', { name: 'Close quote' }).click();
    await drawer.waitFor({ state: 'hidden' });
    await expectBadge(rowWith(page, invoiceNumber), 'Refunded');
    await expectBadgesWhole(page);
  });

  // Flow 2: a credit refund from Transactions.
  const spend = () =>
    rowWith(page, CUSTOMER).filter({ has: page.getByRole('button', { name: 'Refund' }) });
  await journey.step('transactions', async () => {
    await go(page, 'Transactions');
    const header = page.getByRole('columnheader', { name: 'Credits' });
    await expectOnScreen(header);
    await expectOnScreen(page.getByRole('columnheader', { name: 'Actions' }));
    await expectOnScreen(spend().getByRole('button', { name: 'Refund' }));
    await check(page, 'transactions');
  });

  await journey.step('refund transaction panel', async () => {
    await spend().getByRole('button', { name: 'Refund' }).click();
    const panel = page.getByRole('dialog', { name: 'Refund transaction' });
    await panel.waitFor();
    await panel.getByLabel('Credits to refund').fill('5');
    await panel.getByRole('textbox', { name: 'Reason' }).fill('Tasting cut short');
    await expectOnScreen(panel.getByRole('button', { name: 'Refund', exact: true }));
    await check(page, 'refund transaction panel');
    await panel.getByRole('button', { name: 'Refund', exact: true }).click();
    await panel.waitFor({ state: 'hidden' });
    await eventually(async () =>
      expect(await page.getByRole('table').locator('tbody tr').count()).toBe(3),
    );
  });

  // Flow 3: a credit note refunded to a bank account from Refund O/S.
  await journey.step('customer accounts', async () => {
    await go(page, 'Customers');
    await page.getByRole('link', { name: CUSTOMER, exact: true }).click();
    await page.getByRole('heading', { name: CUSTOMER, level: 1 }).waitFor();
    await page.getByRole('link', { name: 'View accounts' }).click();
    await page.getByRole('heading', { name: `${CUSTOMER}: accounts`, level: 1 }).waitFor();
    await check(page, 'customer accounts');
  });

  await journey.step('refund o/s', async () => {
    await page.getByRole('link', { name: 'Refund O/S' }).click();
    const table = page.getByRole('table', { name: 'Outstanding credit notes and payments' });
    await table.waitFor();
    const choice = table.getByRole('radio').first();
    await expectOnScreen(choice);
    await expectOnScreen(table.getByRole('columnheader', { name: 'O/S' }));
    await choice.check();
    const addBank = page.getByRole('button', { name: 'Add bank account' });
    if (await addBank.count()) {
      await addBank.first().click();
      const dialog = page.getByRole('dialog', { name: 'Add bank account' });
      await dialog.getByLabel('Account name').fill('GCB current');
      await dialog.getByRole('button', { name: 'Add bank account' }).click();
      await dialog.waitFor({ state: 'hidden' });
    } else {
      await choose(page, 'Bank account', '', 'GCB current (GHS)');
    }
    await check(page, 'refund o/s');
  });

  await journey.step('refund recorded', async () => {
    await page.getByRole('button', { name: 'Refund Credit Note' }).click();
    const confirm = page.getByRole('dialog', { name: 'Create this refund?' });
    await expectOnScreen(confirm.getByRole('button', { name: 'Yes' }));
    await confirm.getByRole('button', { name: 'Yes' }).click();
    await page.getByRole('heading', { name: `${CUSTOMER}: accounts`, level: 1 }).waitFor();
    await page.getByTestId('account-balance').waitFor();
    await check(page, 'statement after the refund');
  });

  await context.close();
});

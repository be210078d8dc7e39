/**
 * Issue 6, browser test: the invoice-refund flow of seed 000 on the real app (the README's start
 * command's server on a fresh embedded database), driven through the screens in Chromium.
 *
 * Sign up a business in Ghana, add a customer, build a quote, send, accept, mark paid (three days
 * ago), refund it with a reason; then the drawer, the Refunded tab, the tiles, the Insights dip
 * and the customer's portal banner. A second quote refunded without a reason shows the generic
 * portal line.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { startApp, type RunningApp } from './support/app';
import { Journey, launchBrowser, newPage } from './support/browser';
import {
  eventually,
  expectCount,
  expectText,
  expectTextContaining,
  expectBadge,
  expectValue,
  textOf,
} from './support/expect';
import { choose, dayIn, navigate, type Owner, rowWith, signUp } from './support/ui';

const owner: Owner = {
  businessName: 'Osei Decorators',
  country: 'GH',
  countryLabel: 'Ghana (GH)',
  currency: 'GHS',
  timezone: 'Africa/Accra',
  name: 'Ama Owusu',
  email: 'ama@osei-decorators.example',
  password: 'paint-the-town-2026',
};
const CUSTOMER = 'Kofi Boateng';
const REASON = 'Customer cancelled the kitchen job before we started.';
/** The business's number conventions, as the SPA formats them (localeForCountry('GH')). */
const LOCALE = 'en-GH-u-nu-latn';

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

function drawerOf(page: Page): Locator {
  return page.getByRole('dialog', { name: /^Quote / });
}

/** Builds a quote in the New quote dialog and returns its number from the drawer that opens. */
async function buildQuote(
  page: Page,
  title: string,
  lines: { description: string; quantity: string; unitPrice: string; total: string }[],
  total: string,
): Promise<string> {
  await page.getByRole('button', { name: 'New quote' }).click();
  const builder = page.getByRole('dialog', { name: 'New quote' });
  await builder.waitFor();
  await choose(builder, 'Customer', 'Kofi', CUSTOMER);
  await builder.getByLabel('Title').fill(title);
  for (const [index, line] of lines.entries()) {
    const n = index + 1;
    if (n > 1) await builder.getByRole('button', { name: 'Add line item' }).click();
    await builder.getByLabel(`Description, line ${n}`).fill(line.description);
    await builder.getByLabel(`Quantity, line ${n}`).fill(line.quantity);
    await builder.getByLabel(`Unit price, line ${n}`).fill(line.unitPrice);
    await expectText(builder.getByLabel(`Line ${n} total`), line.total);
  }
  await expectText(builder.getByTestId('builder-total'), `Total: ${total}`);
  await builder.getByRole('button', { name: 'Create quote' }).click();
  const drawer = drawerOf(page);
  await drawer.waitFor();
  await expectText(drawer.getByTestId('quote-total'), total);
  const heading = await textOf(drawer.getByRole('heading', { name: /^Quote / }));
  return heading.replace(/^Quote /, '');
}

async function footerButtons(drawer: Locator): Promise<string[]> {
  const group = drawer.getByRole('group', { name: 'Quote actions' });
  await group.waitFor();
  return (await group.getByRole('button').allInnerTexts()).map((t) => t.trim());
}

async function expectStatus(drawer: Locator, status: string): Promise<void> {
  await expectBadge(drawer, status);
}

/** Send → Mark accepted → Mark paid (on `paidOn`) through the drawer footer. */
async function sendAcceptPay(page: Page, journey: Journey, number: string, paidOn: string) {
  const drawer = drawerOf(page);
  await journey.step(`send ${number}`, async () => {
    expect(await footerButtons(drawer)).toEqual(['Send', 'Void', 'Add note']);
    await drawer.getByRole('button', { name: 'Send', exact: true }).click();
    await expectStatus(drawer, 'Sent');
  });
  await journey.step(`accept ${number}`, async () => {
    await eventually(async () =>
      expect(await footerButtons(drawer)).toEqual(['Mark accepted', 'Void', 'Add note']),
    );
    await drawer.getByRole('button', { name: 'Mark accepted' }).click();
    await expectStatus(drawer, 'Accepted');
  });
  await journey.step(`mark ${number} paid dialog`, async () => {
    await eventually(async () =>
      expect(await footerButtons(drawer)).toEqual(['Mark paid', 'Void', 'Add note']),
    );
    await drawer.getByRole('button', { name: 'Mark paid' }).click();
    const dialog = page.getByRole('dialog', { name: `Mark ${number} paid` });
    await dialog.waitFor();
    await expectValue(dialog.getByLabel('Paid on'), dayIn(owner.timezone));
    await dialog.getByLabel('Paid on').fill(paidOn);
  });
  await journey.step(`${number} paid`, async () => {
    const dialog = page.getByRole('dialog', { name: `Mark ${number} paid` });
    await dialog.getByRole('button', { name: 'Record payment' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expectStatus(drawer, 'Paid');
    // Refund sits between Mark unpaid and the rest, coral (seed 000, section 3).
    await eventually(async () =>
      expect(await footerButtons(drawer)).toEqual(['Mark unpaid', 'Refund', 'Add note']),
    );
  });
}

async function expectTiles(page: Page, paid: string, invoiced: string): Promise<void> {
  await expectText(page.getByRole('region', { name: 'Invoices paid' }), `Invoices paid ${paid}`);
  await expectText(
    page.getByRole('region', { name: 'Invoiced this month' }),
    `Invoiced this month ${invoiced}`,
  );
}

async function tabNames(page: Page): Promise<string[]> {
  const list = page.getByRole('tablist', { name: 'Filter quotes by status' });
  await list.waitFor();
  // Each tab ends with its count badge ("Paid 1"): the names are the words before it.
  return (await list.getByRole('tab').allInnerTexts()).map((t) =>
    t.replace(/\s*\d+\s*$/, '').trim(),
  );
}

it('records an invoice refund and shows it in the drawer, tabs, tiles, insights and portal', async () => {
  const { page } = await newPage(browser, app.url);
  const journey = new Journey(page, 'invoice-refund');
  const threeDaysAgo = dayIn(owner.timezone, 3);

  await journey.step('sign up', async () => {
    await signUp(page, owner);
    // The owner lands on Quotes: no quotes yet, both tiles at zero, no Refunded tab.
    await page.getByRole('heading', { name: 'Quotes', level: 1 }).waitFor();
    await expectTiles(page, '0', 'GH₵0.00');
    expect(await tabNames(page)).toEqual(['All', 'Draft', 'Sent', 'Accepted', 'Paid', 'Void']);
  });

  const portalPath = await journey.step('add a customer', async () => {
    await navigate(page, 'Customers');
    await page.getByRole('button', { name: 'Add customer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add customer' });
    await dialog.getByLabel('Name').fill(CUSTOMER);
    await dialog.getByLabel('Email').fill('kofi@example.com');
    await dialog.getByRole('button', { name: 'Save customer' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = rowWith(page, CUSTOMER, 'kofi@example.com');
    await row.waitFor();
    const link = row.getByRole('link', { name: `Open portal of ${CUSTOMER}` });
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^\/c\/[^/]+$/);
    return href ?? '';
  });

  await journey.step('open the quote builder', async () => {
    await navigate(page, 'Quotes');
    await page.getByRole('heading', { name: 'Quotes', level: 1 }).waitFor();
  });

  const number = await journey.step('build a quote with line items', () =>
    buildQuote(
      page,
      'Kitchen repaint',
      [
        {
          description: 'Paint and materials',
          quantity: '2',
          unitPrice: '450.00',
          total: 'GH₵900.00',
        },
        { description: 'Labour', quantity: '1', unitPrice: '350', total: 'GH₵350.00' },
      ],
      'GH₵1,250.00',
    ),
  );

  await sendAcceptPay(page, journey, number, threeDaysAgo);

  await journey.step('tiles count the paid invoice', async () => {
    await page.getByRole('button', { name: 'Close quote' }).click();
    await drawerOf(page).waitFor({ state: 'hidden' });
    await expectTiles(page, '1', 'GH₵1,250.00');
    expect(await tabNames(page)).not.toContain('Refunded');
    const row = rowWith(page, number, CUSTOMER);
    await expectTextContaining(row, 'GH₵1,250.00');
    await expectBadge(row, 'Paid');
  });

  const dialog = page.getByRole('dialog', { name: `Refund ${number}` });
  await journey.step('refund dialog', async () => {
    await page.getByRole('button', { name: `Open quote ${number}` }).click();
    const drawer = drawerOf(page);
    await expectStatus(drawer, 'Paid');
    await expectText(drawer.getByRole('region', { name: 'Case' }), /^Case Case YS-\d{6}: Won$/);
    await drawer.getByRole('button', { name: 'Refund', exact: true }).click();
    await dialog.waitFor();
    await expectTextContaining(
      dialog,
      `Record money you sent back to ${CUSTOMER}. Up to GH₵1,250.00 of GH₵1,250.00 can still be refunded.`,
      'The invoice status becomes Refunded.',
      'moves to Lost.',
      'Automatic follow-ups stop for this invoice.',
      'This cannot be undone.',
    );
    // Where Ghanaians get money back: the business country's channels, at least one listed.
    const channels = dialog.getByRole('list', { name: 'Refund channels' }).getByRole('listitem');
    expect(await channels.count()).toBeGreaterThan(0);
    await expectTextContaining(dialog.getByRole('list', { name: 'Refund channels' }), 'MTN MoMo');
    await dialog.getByLabel('Reason', { exact: true }).fill(REASON);
  });

  await journey.step('record refund (double click records one)', async () => {
    await dialog.getByRole('button', { name: 'Record refund' }).dblclick();
    await dialog.waitFor({ state: 'hidden' });
  });

  await journey.step('drawer shows the refund', async () => {
    const drawer = drawerOf(page);
    await expectStatus(drawer, 'Refunded');
    // The case the paid invoice had won is lost now.
    await expectText(drawer.getByRole('region', { name: 'Case' }), /^Case Case YS-\d{6}: Lost$/);
    const refund = drawer.getByRole('region', { name: 'Refund' });
    await expectTextContaining(
      refund,
      'Refunded GH₵1,250.00',
      `by ${owner.name}`,
      `Reason: ${REASON}`,
    );
    // The feed, oldest first: the refund with its reason comes right after Marked paid, once.
    const items = drawer
      .getByRole('list', { name: 'Activity, oldest first' })
      .getByRole('listitem');
    const texts = (await items.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
    const paidAt = texts.findIndex((t) => t.startsWith('Marked paid'));
    const refunds = texts.filter((t) => t.startsWith('Refund recorded'));
    expect(paidAt).toBeGreaterThanOrEqual(0);
    expect(refunds).toHaveLength(1);
    expect(texts[paidAt + 1]).toContain('Refund recorded');
    expect(texts[paidAt + 1]).toContain(`Reason: ${REASON}`);
    // Refunded is terminal: only a note can be added.
    expect(await footerButtons(drawer)).toEqual(['Add note']);
  });

  await journey.step('refunded tab and tiles', async () => {
    await page.getByRole('button', { name: 'Close quote' }).click();
    await drawerOf(page).waitFor({ state: 'hidden' });
    // "Invoices paid" back to 0; "Invoiced this month" no longer counts the refunded invoice.
    await expectTiles(page, '0', 'GH₵0.00');
    await eventually(async () =>
      expect(await tabNames(page)).toEqual([
        'All',
        'Draft',
        'Sent',
        'Accepted',
        'Paid',
        'Refunded',
        'Void',
      ]),
    );
    await page.getByRole('tab', { name: 'Refunded' }).click();
    await page.getByRole('table').filter({ hasText: 'Refunded quotes' }).waitFor();
    const rows = page.getByRole('table').getByRole('row').filter({ hasText: number });
    await expectCount(rows, 1);
    await expectTextContaining(rows, number, CUSTOMER, 'GH₵1,250.00');
    await expectBadge(rows, 'Refunded');
  });

  await journey.step('paid tab no longer lists it', async () => {
    await page.getByRole('tab', { name: 'Paid' }).click();
    await page.getByText('No paid quotes.').waitFor();
  });

  await journey.step('insights shows the dip today', async () => {
    await navigate(page, 'Insights');
    const chart = page.getByRole('group', { name: /^Net revenue per day, 14 days/ });
    await chart.waitFor();
    const bars = chart.getByRole('img');
    await expectCount(bars, 14);
    const label = (date: string, amount: string) => {
      const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
      const day = new Intl.DateTimeFormat(LOCALE, {
        day: 'numeric',
        month: 'short',
        timeZone: 'UTC',
      }).format(new Date(Date.UTC(y, m - 1, d)));
      return `${day}: ${amount}`;
    };
    // Paid three days ago (+1,250.00), refunded today (−1,250.00): net zero over the window.
    await expectText(page.getByTestId('revenue-total'), 'GH₵0.00');
    const today = bars.nth(13);
    expect(await today.getAttribute('aria-label')).toBe(
      label(dayIn(owner.timezone), '-GH₵1,250.00'),
    );
    expect(await today.getAttribute('data-negative')).toBe('true');
    const paidDay = bars.nth(10);
    expect(await paidDay.getAttribute('aria-label')).toBe(label(threeDaysAgo, 'GH₵1,250.00'));
    expect(await paidDay.getAttribute('data-negative')).toBeNull();
    for (const i of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12]) {
      expect(await bars.nth(i).getAttribute('aria-label')).toMatch(/: GH₵0\.00$/);
    }
    // Focus (keyboard) and hover show a day's value in the read-out.
    await paidDay.focus();
    await expectText(page.getByTestId('revenue-readout'), label(threeDaysAgo, 'GH₵1,250.00'));
    await today.hover();
    await expectText(
      page.getByTestId('revenue-readout'),
      label(dayIn(owner.timezone), '-GH₵1,250.00'),
    );
  });

  // The customer opens their portal link in their own browser: no log-in.
  const customer = await newPage(browser, app.url, { locale: 'en-GH', timezoneId: 'Africa/Accra' });
  await journey.step('portal shows the refund banner with the reason', async () => {
    journey.use(customer.page);
    await customer.page.goto(portalPath);
    await customer.page.getByRole('heading', { name: `Hello, ${CUSTOMER}` }).waitFor();
    const card = customer.page.getByRole('article', { name: number });
    await expectTextContaining(card, number, 'GH₵1,250.00');
    await expectBadge(card, 'Refunded');
    const banner = card.getByRole('alert');
    await expectText(banner.getByRole('heading'), `Refunded by ${owner.businessName}`);
    await expectText(banner, `Refunded by ${owner.businessName} ${REASON}`);
  });

  // A second invoice, paid today and refunded without a reason.
  journey.use(page);
  await journey.step('second quote', async () => {
    await navigate(page, 'Quotes');
    await page.getByRole('heading', { name: 'Quotes', level: 1 }).waitFor();
  });
  const second = await journey.step('build the second quote', () =>
    buildQuote(
      page,
      'Call-out',
      [{ description: 'Call-out fee', quantity: '1', unitPrice: '80', total: 'GH₵80.00' }],
      'GH₵80.00',
    ),
  );
  await sendAcceptPay(page, journey, second, dayIn(owner.timezone));
  await journey.step('refund the second quote without a reason', async () => {
    const drawer = drawerOf(page);
    await drawer.getByRole('button', { name: 'Refund', exact: true }).click();
    const refundDialog = page.getByRole('dialog', { name: `Refund ${second}` });
    await refundDialog.getByRole('button', { name: 'Record refund' }).click();
    await refundDialog.waitFor({ state: 'hidden' });
    await expectStatus(drawer, 'Refunded');
    await expectTextContaining(
      drawer.getByRole('region', { name: 'Refund' }),
      'Reason: none given',
    );
  });

  await journey.step('portal shows the generic line without a reason', async () => {
    journey.use(customer.page);
    await customer.page.reload();
    const card = customer.page.getByRole('article', { name: second });
    await expectTextContaining(card, second, 'GH₵80.00');
    await expectBadge(card, 'Refunded');
    await expectText(
      card.getByRole('alert'),
      // The heading does not repeat the business above the generic line that names it.
      `Refunded Refunded by ${owner.businessName}. The funds should be on their way back to you: check your payment account.`,
    );
    // The first one still shows its reason.
    await expectTextContaining(customer.page.getByRole('article', { name: number }), REASON);
  });

  await journey.step('unknown portal token', async () => {
    await customer.page.goto('/c/not-a-real-token');
    await customer.page.getByRole('heading', { name: 'Page not found' }).waitFor();
  });
  await customer.context.close();
});

/**
 * Issue 13, browser tests: axe-core on every screen (a failure on any critical or serious
 * violation), the stale drawer that refetches after a refusal that says the invoice moved on,
 * and Escape and focus around the Refund dialog. The real app on a fresh embedded database,
 * driven in Debian's Chromium.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { startApp, type RunningApp } from './support/app';
import { expectAccessible } from './support/axe';
import { Journey, launchBrowser, newPage } from './support/browser';
import { eventually, expectBadge, expectTextContaining } from './support/expect';
import { Api, SETUP } from './support/graphql';
import { expectBadgesWhole } from './support/layout';
import { logIn, navigate, rowWith } from './support/ui';

const owner = {
  businessName: 'Zola Bakery',
  country: 'GH',
  currency: 'GHS',
  timezone: 'Africa/Accra',
  name: 'Émile Mensah',
  email: 'emile@zola-bakery.example',
  password: 'croissants-at-dawn-26',
};
const CUSTOMER = 'Émile Zola';

const SETUP_MORE = {
  markQuotePaid: `mutation ($input: MarkPaidInput!) {
    markQuotePaid(input: $input) { quote { id } userErrors { code message } }
  }`,
  recordRefund: `mutation ($input: RecordRefundInput!) {
    recordRefund(input: $input) { refund { id } userErrors { code message } }
  }`,
  createCreditNote: `mutation ($input: CreateCreditNoteInput!) {
    createCreditNote(input: $input) { credit { id } userErrors { code message } }
  }`,
} as const;

let app: RunningApp;
let browser: Browser;
let api: Api;
let customerId: string;

/** A paid invoice for the customer, made through the API; returns its id and number. */
async function paidInvoice(title: string): Promise<{ id: string; number: string }> {
  const created = await api.mutate<{ quote: { id: string; number: string } }>(
    'createQuote',
    SETUP.createQuote,
    {
      input: {
        customerId,
        title,
        lineItems: [{ description: 'Wedding cake', quantity: '1', unitPrice: '480.00' }],
      },
    },
  );
  await api.mutate('sendQuote', SETUP.sendQuote, { quoteId: created.quote.id });
  await api.mutate('acceptQuote', SETUP.acceptQuote, { quoteId: created.quote.id });
  await api.mutate('markQuotePaid', SETUP_MORE.markQuotePaid, {
    input: { quoteId: created.quote.id },
  });
  return created.quote;
}

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  api = new Api(app.url);
  await api.signUp(owner);
  customerId = await api.createCustomer(CUSTOMER, 'emile@example.com');
  await api.createCustomer('Akosua Boateng', 'akosua@example.com');
  await api.mutate('recordCreditPurchase', SETUP.recordCreditPurchase, {
    input: { customerId, credits: '100', description: 'Credit pack' },
  });
  await api.mutate('recordCreditSpend', SETUP.recordCreditSpend, {
    input: { customerId, credits: '40', description: 'Tasting session' },
  });
  await api.mutate('createCreditNote', SETUP_MORE.createCreditNote, {
    input: { customerId, amount: { amount: '25.00', currency: 'GHS' }, reason: 'Late delivery' },
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

function drawerOf(page: Page): Locator {
  return page.getByRole('dialog', { name: /^Quote / });
}

async function openQuote(page: Page, number: string): Promise<Locator> {
  await navigate(page, 'Quotes');
  await page.getByRole('button', { name: `Open quote ${number}` }).click();
  const drawer = drawerOf(page);
  await drawer.waitFor();
  await expectBadge(drawer, 'Paid');
  return drawer;
}

it('passes axe (no serious or critical violation) on every screen, dialog and drawer', async () => {
  const { page } = await newPage(browser, app.url);
  const journey = new Journey(page, 'a11y');
  const invoice = await paidInvoice('Wedding cake');
  const checked: string[] = [];
  const check = async (screen: string) => {
    await expectAccessible(page, screen);
    // At desktop width too, no badge is cut ("REF…", "DELE…").
    await expectBadgesWhole(page);
    checked.push(screen);
  };

  await journey.step('sign-up and log-in screens', async () => {
    await page.goto('/signup');
    await page.getByRole('heading', { name: 'Create your business' }).waitFor();
    await check('sign-up');
    await page.goto('/login');
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await check('log-in');
  });

  await journey.step('every screen of the main navigation', async () => {
    await logIn(page, owner.email, owner.password);
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    const labels = (await nav.getByRole('link').allInnerTexts()).map((t) => t.trim());
    expect(labels).toEqual(
      expect.arrayContaining(['Quotes', 'Insights', 'Transactions', 'Customers']),
    );
    for (const label of labels) {
      await navigate(page, label);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page.waitForLoadState('networkidle');
      await check(`${label} (${new URL(page.url()).pathname})`);
    }
  });

  await journey.step('every settings section', async () => {
    await page.goto('/settings');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    const main = page.getByRole('main');
    const hrefs = new Set<string>();
    for (const link of await main.getByRole('link').all()) {
      const href = await link.getAttribute('href');
      if (href?.startsWith('/settings/')) hrefs.add(href);
    }
    for (const href of hrefs) {
      await page.goto(href);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page.waitForLoadState('networkidle');
      await check(`settings ${href}`);
    }
  });

  await journey.step('quote drawer and its dialogs', async () => {
    const drawer = await openQuote(page, invoice.number);
    await check('quote drawer');
    await drawer.getByRole('button', { name: 'Refund' }).click();
    await page.getByRole('dialog', { name: `Refund ${invoice.number}` }).waitFor();
    await check('refund dialog');
    await page.keyboard.press('Escape');
    await drawer.getByRole('button', { name: 'Add note' }).click();
    await page.getByRole('dialog', { name: /note/i }).last().waitFor();
    await check('add note dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Close quote' }).click();
    await page.getByRole('button', { name: 'New quote' }).click();
    await page.getByRole('dialog', { name: 'New quote' }).waitFor();
    await check('quote builder');
    await page.keyboard.press('Escape');
  });

  await journey.step('transactions refund panel', async () => {
    await navigate(page, 'Transactions');
    const spend = rowWith(page, 'Tasting session');
    await spend.getByRole('button', { name: 'Refund' }).click();
    await page.getByRole('dialog', { name: 'Refund transaction' }).waitFor();
    await check('refund transaction panel');
    await page.keyboard.press('Escape');
  });

  await journey.step('customer page, accounts, dialogs and Refund O/S', async () => {
    await navigate(page, 'Customers');
    await page.getByRole('link', { name: CUSTOMER, exact: true }).click();
    await page.getByRole('heading', { name: CUSTOMER, level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    await check('customer page');
    await page.getByRole('link', { name: 'View accounts' }).click();
    await page.getByRole('heading', { name: `${CUSTOMER}: accounts`, level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    await check('customer accounts');
    for (const dialog of ['Record payment', 'Create credit note', 'Allocate credit']) {
      const button = page.getByRole('button', { name: dialog });
      if ((await button.count()) === 0) continue;
      await button.click();
      await page.getByRole('dialog', { name: dialog }).waitFor();
      await check(`${dialog} dialog`);
      await page.keyboard.press('Escape');
      await page.getByRole('dialog', { name: dialog }).waitFor({ state: 'hidden' });
    }
    await page.getByRole('link', { name: 'Refund O/S' }).click();
    await page.getByRole('table', { name: 'Outstanding credit notes and payments' }).waitFor();
    await check('Refund O/S');
  });

  await journey.step('add customer dialog', async () => {
    await navigate(page, 'Customers');
    await page.getByRole('button', { name: 'Add customer' }).click();
    await page.getByRole('dialog', { name: 'Add customer' }).waitFor();
    await check('add customer dialog');
    await page.keyboard.press('Escape');
  });

  await journey.step('customer portal and a page that does not exist', async () => {
    const portalLink = rowWith(page, CUSTOMER).getByRole('link', {
      name: `Open portal of ${CUSTOMER}`,
    });
    const href = (await portalLink.getAttribute('href')) ?? '';
    await api.mutate('recordRefund', SETUP_MORE.recordRefund, {
      input: { quoteId: invoice.id, reason: null },
    });
    const customer = await newPage(browser, app.url);
    await customer.page.goto(href);
    await customer.page.getByRole('heading', { name: `Hello, ${CUSTOMER}` }).waitFor();
    await expectAccessible(customer.page, 'portal');
    checked.push('portal');
    await customer.page.goto('/c/not-a-real-token-at-all-000000');
    await customer.page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await expectAccessible(customer.page, 'portal not found');
    checked.push('portal not found');
    await customer.context.close();
  });

  // A guard against a test that silently checks nothing.
  expect(checked.length).toBeGreaterThanOrEqual(15);
});

it('refetches a stale drawer after a refusal that says the invoice was refunded elsewhere', async () => {
  const { page } = await newPage(browser, app.url);
  const journey = new Journey(page, 'stale-drawer');
  const invoice = await paidInvoice('Birthday cake');
  const drawer = await journey.step('drawer of a paid invoice', async () => {
    await logIn(page, owner.email, owner.password);
    const opened = await openQuote(page, invoice.number);
    await expectTextContaining(opened.getByRole('region', { name: 'Case' }), 'Won');
    return opened;
  });

  await journey.step('refunded in another tab', async () => {
    const other = await newPage(browser, app.url);
    await logIn(other.page, owner.email, owner.password);
    await other.page.goto(`/quotes?quote=${encodeURIComponent(invoice.id)}`);
    const otherDrawer = drawerOf(other.page);
    await otherDrawer.getByRole('button', { name: 'Refund' }).click();
    const dialog = other.page.getByRole('dialog', { name: `Refund ${invoice.number}` });
    await dialog.getByRole('textbox', { name: /^Reason/ }).fill('Cake collapsed in transit');
    await dialog.getByRole('button', { name: 'Record refund' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expectBadge(otherDrawer, 'Refunded');
    await other.context.close();
  });

  await journey.step('Mark unpaid here is refused, and the drawer shows the truth', async () => {
    // This tab still shows Paid, Case Won: the state moved on behind it.
    await drawer.getByRole('button', { name: 'Mark unpaid' }).click();
    await drawer.getByRole('alert').waitFor();
    await expectBadge(drawer, 'Refunded');
    const refund = drawer.getByRole('region', { name: 'Refund' });
    await expectTextContaining(refund, 'Cake collapsed in transit');
    await expectTextContaining(drawer.getByRole('region', { name: 'Case' }), 'Lost');
    await expectTextContaining(
      drawer.getByRole('list', { name: 'Activity, oldest first' }),
      'Cake collapsed in transit',
    );
    await eventually(async () =>
      expect(
        (
          await drawer
            .getByRole('group', { name: 'Quote actions' })
            .getByRole('button')
            .allInnerTexts()
        ).map((t) => t.trim()),
      ).toEqual(['Add note']),
    );
  });
});

it('Escape closes only the Refund dialog; after a refund focus lands on the drawer', async () => {
  const { page } = await newPage(browser, app.url);
  const journey = new Journey(page, 'escape-and-focus');
  const invoice = await paidInvoice('Anniversary cake');
  await logIn(page, owner.email, owner.password);
  const drawer = await openQuote(page, invoice.number);
  const dialog = page.getByRole('dialog', { name: `Refund ${invoice.number}` });
  const refundButton = drawer.getByRole('button', { name: 'Refund', exact: true });

  await journey.step('Escape in the dialog leaves the drawer open', async () => {
    await refundButton.click();
    await dialog.waitFor();
    await dialog.getByRole('textbox', { name: /^Reason/ }).focus();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.waitForTimeout(300);
    expect(await drawer.isVisible()).toBe(true);
    // Focus went back to the button that opened the dialog.
    await eventually(async () =>
      expect(await refundButton.evaluate((el) => el === document.activeElement)).toBe(true),
    );
  });

  await journey.step('after the refund focus is on the drawer, not the page', async () => {
    await refundButton.click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Record refund' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expectBadge(drawer, 'Refunded');
    await eventually(async () => {
      const focus = await page.evaluate(() => ({
        tag: document.activeElement?.tagName,
        text: document.activeElement?.textContent?.trim(),
      }));
      expect(focus).toEqual({ tag: 'BUTTON', text: 'Add note' });
    });
    // One more Escape closes the drawer itself.
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
  });
});

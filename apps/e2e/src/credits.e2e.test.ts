/**
 * Issue 7, browser test: the credits flow of seed 001 on the real app in Chromium.
 *
 * A customer bought 100 credits and spent 40 on a private chat that went wrong (arranged through
 * the API: the back-office has no screen that sells or spends credits). On the Transactions
 * screen the owner refunds the spend in part, then the rest; deletes the refund that was wrong,
 * with a reason; and on the customer page corrects the balance to zero with a negative amount
 * (the money itself goes back through the payment system).
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
} from './support/expect';
import { Api, SETUP } from './support/graphql';
import { logIn, navigate, rowWith } from './support/ui';

const owner = {
  businessName: 'Velvet Chat Studio',
  country: 'US',
  currency: 'USD',
  timezone: 'America/New_York',
  name: 'Dana Reyes',
  email: 'dana@velvet-chat.example',
  password: 'no-more-broken-webcams',
};
const CUSTOMER = 'Jordan Lee';
const PARTIAL_REASON = 'Webcam was broken for the first 5 minutes of the chat.';
const WRONG_REASON = 'Refunded twice by mistake: only 15 credits were owed.';
const COMMENT = 'Customer withdraws: 75 credits paid back to their card.';

let app: RunningApp;
let browser: Browser;
let api: Api;

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  api = new Api(app.url);
  await api.signUp(owner);
  const customerId = await api.createCustomer(CUSTOMER, 'jordan@example.com');
  await api.mutate('recordCreditPurchase', SETUP.recordCreditPurchase, {
    input: { customerId, credits: '100', description: 'Credit pack' },
  });
  await api.mutate('recordCreditSpend', SETUP.recordCreditSpend, {
    input: { customerId, credits: '40', description: 'Private chat' },
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Body rows of the transactions table, newest first. */
function rows(page: Page): Locator {
  return page
    .getByRole('table')
    .filter({ hasText: 'Credit transactions, newest first' })
    .locator('tbody tr');
}

function spendRow(page: Page): Locator {
  return rows(page).filter({ hasText: 'Private chat' });
}

/** The "Refund transaction" panel's limits, as read on screen. */
async function limits(panel: Locator): Promise<Record<string, string>> {
  const table = panel.getByRole('table', { name: 'Refund limits' });
  await table.waitFor();
  const result: Record<string, string> = {};
  for (const row of await table.getByRole('row').all()) {
    const name = (await row.getByRole('rowheader').innerText()).trim();
    result[name] = (await row.getByRole('cell').innerText()).trim();
  }
  return result;
}

it('refunds a spend in part then in full, deletes a wrong refund and corrects to zero', async () => {
  const { page } = await newPage(browser, app.url);
  const journey = new Journey(page, 'credits');
  const panel = page.getByRole('dialog', { name: 'Refund transaction' });

  await journey.step('transactions newest first', async () => {
    await logIn(page, owner.email, owner.password);
    await navigate(page, 'Transactions');
    await page.getByRole('heading', { name: 'Transactions', level: 1 }).waitFor();
    await expectCount(rows(page), 2);
    await expectTextContaining(rows(page).nth(0), CUSTOMER, '-40', '60', owner.name);
    await expectBadge(rows(page).nth(0), 'Spend');
    await expectTextContaining(rows(page).nth(1), CUSTOMER, '+100', '100');
    await expectBadge(rows(page).nth(1), 'Purchase');
    // Only spends can be refunded; a purchase offers nothing.
    await expectCount(rows(page).nth(1).getByRole('button'), 0);
  });

  await journey.step('refund panel defaults to everything refundable', async () => {
    await spendRow(page).getByRole('button', { name: 'Refund' }).click();
    await panel.waitFor();
    expect(await limits(panel)).toEqual({
      'Original amount': '40',
      'Already refunded': '0',
      Refundable: '40',
    });
    await expectValue(panel.getByLabel('Credits to refund'), '40');
  });

  await journey.step('refund part of the spend', async () => {
    await panel.getByLabel('Credits to refund').fill('15');
    await panel.getByLabel(/^Reason( \*)?$/).fill(PARTIAL_REASON);
    await panel.getByRole('button', { name: 'Refund', exact: true }).click();
    await panel.waitFor({ state: 'hidden' });
    // The linked refund entry is at the top; the spend shows what was refunded so far.
    await expectCount(rows(page), 3);
    await expectTextContaining(rows(page).nth(0), '+15', '75', 'Refund of the spend of -40');
    await expectBadge(rows(page).nth(0), 'Refund');
    await expectTextContaining(spendRow(page), 'Refunded so far: 15');
  });

  await journey.step('refund panel shows what is left and refuses more', async () => {
    await spendRow(page).getByRole('button', { name: 'Refund' }).click();
    await panel.waitFor();
    await eventually(async () =>
      expect(await limits(panel)).toEqual({
        'Original amount': '40',
        'Already refunded': '15',
        Refundable: '25',
      }),
    );
    await expectValue(panel.getByLabel('Credits to refund'), '25');
    // Adjustable down only: more than is refundable is refused on the spot.
    await panel.getByLabel('Credits to refund').fill('30');
    await panel.getByRole('button', { name: 'Refund', exact: true }).click();
    await panel.getByText('At most 25 credits can still be refunded.').waitFor();
  });

  await journey.step('refund the rest', async () => {
    await panel.getByLabel('Credits to refund').fill('25');
    await panel.getByRole('button', { name: 'Refund', exact: true }).click();
    await panel.waitFor({ state: 'hidden' });
    await expectCount(rows(page), 4);
    await expectTextContaining(rows(page).nth(0), '+25', '100', 'Refund of the spend of -40');
    await expectBadge(rows(page).nth(0), 'Refund');
    await expectTextContaining(spendRow(page), 'Refunded so far: 40');
    // Fully refunded: no Refund action left on the spend.
    await expectCount(spendRow(page).getByRole('button', { name: 'Refund' }), 0);
  });

  // Before the delete, the only entry of +25 credits.
  const wrong = rows(page).filter({ hasText: '+25' });
  const confirm = page.getByRole('dialog', { name: 'Delete this refund?' });
  await journey.step('delete asks for a reason', async () => {
    await wrong.getByRole('button', { name: 'Delete' }).click();
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await confirm.getByText('Say why this entry is deleted.').waitFor();
    await confirm.getByLabel(/^Reason( \*)?$/).fill(WRONG_REASON);
  });

  await journey.step(
    'deleted refund struck through, undone by a linked reversal entry',
    async () => {
      await confirm.getByRole('button', { name: 'Delete' }).click();
      await confirm.waitFor({ state: 'hidden' });
      // The ledger is append-only: the refund stays, struck through, and a REVERSAL entry of the
      // opposite amount is added on top with who and why, so the balance-after chain stays whole.
      await expectCount(rows(page), 5);
      const reversal = rows(page).nth(0);
      await expectBadge(reversal, 'Reversal');
      await expectTextContaining(reversal, '-25', '75', WRONG_REASON, 'Reverses the refund of +25');
      const reversed = rows(page).filter({ hasText: `Reversed by ${owner.name}` });
      await expectCount(reversed, 1);
      await expectBadge(reversed, 'Reversed');
      await expectTextContaining(reversed, WRONG_REASON);
      const struck = reversed.locator('s');
      expect(await struck.count()).toBeGreaterThan(0);
      const decoration = await struck
        .filter({ hasText: '+25' })
        .evaluate((el) => getComputedStyle(el).textDecorationLine);
      expect(decoration).toContain('line-through');
      // A reversed entry cannot be reversed twice, nor can the reversal; the spend can be refunded
      // again (25 left).
      await expectCount(reversed.getByRole('button', { name: 'Delete' }), 0);
      await expectCount(reversal.getByRole('button', { name: 'Delete' }), 0);
      await expectCount(spendRow(page).getByRole('button', { name: 'Refund' }), 1);
      await expectTextContaining(spendRow(page), 'Refunded so far: 15');
    },
  );

  await journey.step('customer page shows the balance', async () => {
    await navigate(page, 'Customers');
    // The list shows the credit balance too: 100 - 40 + 15 (the deleted +25 no longer counts).
    const listed = rowWith(page, CUSTOMER);
    await expectTextContaining(listed, 'jordan@example.com', '75');
    await listed.getByRole('link', { name: CUSTOMER, exact: true }).click();
    await page.getByRole('heading', { name: CUSTOMER, level: 1 }).waitFor();
    await expectText(page.getByTestId('credit-balance'), '75 credits');
  });

  const form = page.getByRole('region', { name: "Add credits to customer's account" });
  await journey.step('correction with a negative amount', async () => {
    await form.getByRole('textbox', { name: 'Credits' }).fill('-75');
    await form.getByRole('textbox', { name: 'Comment' }).fill(COMMENT);
    await form.getByRole('button', { name: 'Add', exact: true }).click();
    await expectText(form.getByRole('status'), 'Saved. New balance: 0 credits');
  });

  await journey.step('balance zero and the recent corrections', async () => {
    await expectText(page.getByTestId('credit-balance'), '0 credits');
    const corrections = page
      .getByRole('table')
      .filter({ hasText: 'Recent corrections, newest first' })
      .locator('tbody tr');
    await expectCount(corrections, 1);
    await expectTextContaining(corrections.nth(0), '-75', '0', COMMENT, owner.name);
  });

  await journey.step('the correction is in transactions too', async () => {
    await navigate(page, 'Transactions');
    await expectCount(rows(page), 6);
    await expectTextContaining(rows(page).nth(0), CUSTOMER, '-75', '0', COMMENT);
    await expectBadge(rows(page).nth(0), 'Correction');
  });
});

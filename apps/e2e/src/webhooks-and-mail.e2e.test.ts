/**
 * Browser tests: Settings → Webhooks and Sent mail on the real app in Chromium.
 *
 * Webhooks: the owner adds an endpoint through the screen (its signing secret shown once), sees
 * it listed, sends a test event from the screen and finds it delivered in the endpoint's delivery
 * log. The endpoint is a real HTTP receiver started by the test on 127.0.0.1: the API refuses
 * private and loopback addresses unless WEBHOOKS_ALLOW_PRIVATE=true (its development and test
 * setting, see the README), which this file passes to the app it starts. The receiver checks the
 * Refunds-Signature header with the secret the screen showed.
 *
 * Sent mail: empty before anything was sent; after a credit-note refund with "notify customer"
 * (arranged through the API) it lists the notice to the customer, marked as not sent because the
 * app runs without SMTP_URL, as the e-2-e app always does.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Locator, Page } from 'playwright-core';
import { startApp, type RunningApp } from './support/app';
import { Journey, launchBrowser, newPage } from './support/browser';
import {
  eventually,
  expectBadge,
  expectCount,
  expectText,
  expectTextContaining,
} from './support/expect';
import { Api } from './support/graphql';
import { logIn, navigate, rowWith } from './support/ui';

const owner = {
  businessName: 'Mossbank Plumbing',
  country: 'GB',
  currency: 'GBP',
  timezone: 'Europe/London',
  name: 'Fiona Mossbank',
  email: 'fiona@mossbank-plumbing.example',
  password: 'washers-and-webhooks-31',
};
const CUSTOMER = 'Hamish Doyle';
const CUSTOMER_EMAIL = 'hamish@doyle.example';
const BANK = 'Lloyds Business';

/** One POST a webhook receiver got. */
interface Received {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** A real receiver on 127.0.0.1 that keeps every POST and answers 200. */
async function startReceiver(): Promise<{
  url: string;
  received: Received[];
  close: () => Promise<void>;
}> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/refunds`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let app: RunningApp;
let browser: Browser;
let api: Api;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let customerId: string;
let creditId: string;
let bankAccountId: string;

beforeAll(async () => {
  receiver = await startReceiver();
  // startApp hands the test's environment to the app; jest gives each file its own copy.
  process.env['WEBHOOKS_ALLOW_PRIVATE'] = 'true';
  delete process.env['SMTP_URL'];
  try {
    app = await startApp();
  } finally {
    delete process.env['WEBHOOKS_ALLOW_PRIVATE'];
  }
  browser = await launchBrowser();
  api = new Api(app.url);
  await api.signUp(owner);
  customerId = await api.createCustomer(CUSTOMER, CUSTOMER_EMAIL);
  const bank = await api.mutate<{ bankAccount: { id: string } }>(
    'createBankAccount',
    `mutation ($input: CreateBankAccountInput!) { createBankAccount(input: $input) { bankAccount { id } userErrors { code message } } }`,
    { input: { name: BANK, currency: 'GBP' } },
  );
  bankAccountId = bank.bankAccount.id;
  const note = await api.mutate<{ credit: { id: string } }>(
    'createCreditNote',
    `mutation ($input: CreateCreditNoteInput!) { createCreditNote(input: $input) { credit { id } userErrors { code message } } }`,
    { input: { customerId, amount: { amount: '45.50', currency: 'GBP' }, reason: 'Leak again' } },
  );
  creditId = note.credit.id;
}, 180000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await receiver?.close();
});

async function openWebhooks(page: Page): Promise<void> {
  await navigate(page, 'Settings');
  await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
  await page.getByRole('tab', { name: 'Webhooks' }).click();
  await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
}

/** What a receiver does with the Refunds-Signature header (the README's steps). */
function signedWith(secret: string, header: string, body: string): boolean {
  const fields = Object.fromEntries(header.split(',').map((part) => part.split('=', 2)));
  const timestamp = Number(fields['t']);
  if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return fields['v1'] === expected;
}

it('webhooks: an endpoint added on the screen gets a signed test event, and its log shows it delivered', async () => {
  const { page } = await newPage(browser, app.url);
  const journey = new Journey(page, 'webhooks');
  let secret = '';
  const endpoint = () => rowWith(page, receiver.url);

  await journey.step('owner opens Settings → Webhooks: no endpoints yet', async () => {
    await logIn(page, owner.email, owner.password);
    await openWebhooks(page);
    await page.getByText('No webhook endpoints').waitFor();
    expect(new URL(page.url()).pathname).toBe('/settings/webhooks');
  });

  const dialog = page.getByRole('dialog', { name: 'Add a webhook endpoint' });
  await journey.step(
    'an address that is not a URL is refused before anything is sent',
    async () => {
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      await dialog.getByLabel('URL').fill('books.example.com/hooks');
      await dialog.getByRole('button', { name: 'Add endpoint' }).click();
      await dialog.getByText('Enter the receiver’s address, starting with https://.').waitFor();
    },
  );

  await journey.step('add the endpoint: the signing secret is shown once', async () => {
    await dialog.getByLabel('URL').fill(receiver.url);
    // No event ticked: every event, as the form says.
    await dialog.getByRole('button', { name: 'Add endpoint' }).click();
    await dialog.getByText('This is the only time it is shown.').waitFor();
    secret = (await dialog.getByTestId('webhook-signing-secret').innerText()).trim();
    expect(secret).toMatch(/^whsec_\S{16,}$/);
    await dialog.getByRole('button', { name: 'Copy secret' }).waitFor();
    await dialog.getByRole('button', { name: 'I have stored it' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  await journey.step(
    'the endpoint is listed, enabled, for all events; the secret is gone',
    async () => {
      const table = page.getByRole('table').filter({ hasText: 'Webhook endpoints' });
      await expectCount(table.locator('tbody tr'), 1);
      await expectCount(rowWith(page, receiver.url, 'All events'), 1);
      await expectBadge(endpoint(), 'Enabled');
      await expectCount(page.getByTestId('webhook-signing-secret'), 0);
      await expectCount(page.getByText(secret), 0);
      // Adding an endpoint sends nothing by itself.
      expect(receiver.received).toHaveLength(0);
    },
  );

  await journey.step(
    'send a test event from the screen: the receiver gets it, signed',
    async () => {
      await endpoint().getByRole('button', { name: 'Send test event' }).click();
      await expectText(endpoint().getByRole('status'), 'Test event queued; see the delivery log.');
      // The API's delivery worker polls every 2 s: wait for the POST.
      await eventually(() => expect(receiver.received).toHaveLength(1));
      const [post] = receiver.received;
      expect(post!.path).toBe('/hooks/refunds');
      expect(post!.headers['content-type']).toBe('application/json');
      expect(post!.headers['refunds-event-type']).toBe('webhook.test');
      expect(post!.headers['refunds-delivery-id']).toMatch(/^[0-9a-f-]{36}$/);
      const signature = String(post!.headers['refunds-signature']);
      expect(signedWith(secret, signature, post!.body)).toBe(true);
      // Signed with this endpoint's secret only: a changed body or another secret does not verify.
      expect(signedWith(secret, signature, `${post!.body} `)).toBe(false);
      expect(signedWith(`${secret}x`, signature, post!.body)).toBe(false);
      const event = JSON.parse(post!.body) as { type: string; sequence: number };
      expect(event.type).toBe('webhook.test');
      expect(Number.isInteger(event.sequence)).toBe(true);
    },
  );

  await journey.step('the delivery log shows the test event delivered with HTTP 200', async () => {
    const event = JSON.parse(receiver.received[0]!.body) as { sequence: number };
    await endpoint().getByRole('button', { name: 'Delivery log' }).click();
    const log = page.getByRole('dialog', { name: 'Delivery log' });
    await expectTextContaining(log, receiver.url);
    const rows = log.getByRole('table').filter({ hasText: 'Deliveries, newest first' });
    await expectCount(rows.locator('tbody tr'), 1);
    const delivery = rows.locator('tbody tr').first();
    // Opened right after the test event: the log follows the delivery until the worker has
    // written the receiver's answer (it may still show PENDING when it opens).
    await expectBadge(delivery, 'DELIVERED');
    const headers = (await rows.getByRole('columnheader').allInnerTexts()).map((h) => h.trim());
    const cells = (await delivery.getByRole('cell').allInnerTexts()).map((c) =>
      c.replace(/\s+/g, ' ').trim(),
    );
    const column = (name: string) => cells[headers.indexOf(name)];
    expect(column('Event')).toBe(`#${event.sequence} webhook.test`);
    expect(column('Attempts')).toBe('1');
    expect(column('Answer')).toMatch(/^HTTP 200 in \d+ ms$/);
    expect(column('When')).toMatch(/\d/);
    await delivery.getByRole('button', { name: 'Resend' }).waitFor();
    await log.getByRole('button', { name: 'Close' }).click();
    await log.waitFor({ state: 'hidden' });
    // Nothing else was sent: one event, one POST.
    expect(receiver.received).toHaveLength(1);
  });
});

it('sent mail: empty at first, then the refund notice to the customer, marked not sent without SMTP', async () => {
  const { page } = await newPage(browser, app.url);
  const journey = new Journey(page, 'sent-mail');
  const rows: Locator = page
    .getByRole('table')
    .filter({ hasText: 'E-mail, newest first' })
    .locator('tbody tr');

  await journey.step('Sent mail is empty before anything was sent', async () => {
    await logIn(page, owner.email, owner.password);
    await navigate(page, 'Sent mail');
    await page.getByRole('heading', { name: 'Sent mail', level: 1 }).waitFor();
    await page.getByText('No e-mail yet').waitFor();
    await expectCount(page.getByRole('table'), 0);
    await expectCount(page.getByText('Some mail was not sent'), 0);
  });

  await journey.step('a credit note is refunded with "notify customer"', async () => {
    await api.mutate(
      'refundCreditNote',
      `mutation ($input: RefundCreditNoteInput!) {
        refundCreditNote(input: $input) { refund { number } userErrors { code message } }
      }`,
      {
        input: {
          creditId,
          bankAccountId,
          reference: 'Boiler part never fitted',
          notifyCustomer: true,
        },
      },
    );
    // The delivery worker decides a queued mail's fate within a poll (2 s); without SMTP_URL it
    // keeps it. Wait for that, then look as a person would, by reloading the screen.
    await eventually(async () => {
      const data = await api.request<{ sentMail: { nodes: Array<{ status: string }> } }>(
        `{ sentMail(first: 5) { nodes { status } } }`,
      );
      expect(data.sentMail.nodes.map((m) => m.status)).toEqual(['KEPT']);
    });
  });

  await journey.step('the notice is listed: to the customer, the amount, not sent', async () => {
    await page.reload();
    await page.getByRole('heading', { name: 'Sent mail', level: 1 }).waitFor();
    await expectCount(rows, 1);
    const notice = rows.first();
    const headers = (
      await page
        .getByRole('table')
        .filter({ hasText: 'E-mail, newest first' })
        .getByRole('columnheader')
        .allInnerTexts()
    ).map((h) => h.trim());
    expect(headers).toEqual(['To', 'Subject and message', 'Status', 'Written']);
    await expectText(notice.getByRole('cell').nth(0), CUSTOMER_EMAIL);
    await expectTextContaining(
      notice.getByRole('cell').nth(1),
      `${owner.businessName}: your refund of £45.50`,
      `Hello ${CUSTOMER},`,
      'We have refunded £45.50 for your credit note.',
    );
    // Kept, not sent: the screen must not claim it went out.
    await expectBadge(notice, 'Not sent (no SMTP)');
    await expectTextContaining(
      notice.getByRole('cell').nth(2),
      'Kept: no SMTP server is configured (SMTP_URL).',
    );
    expect(await notice.getByRole('cell').nth(3).innerText()).not.toContain('Sent');
    await expectTextContaining(
      page.getByRole('alert').filter({ hasText: 'Some mail was not sent' }),
      'No SMTP server is configured (SMTP_URL)',
    );
  });

  await journey.step('the whole message opens, with the reason and the portal link', async () => {
    await rows.first().getByRole('button', { name: 'Show message' }).click();
    await expectTextContaining(
      rows.first().getByRole('cell').nth(1),
      'Reason: Boiler part never fitted',
      'See it on your page: ',
      `— ${owner.businessName}`,
    );
    await rows.first().getByRole('button', { name: 'Hide message' }).waitFor();
  });
});

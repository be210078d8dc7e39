import { createCustomer, type SignedUp, type TestApi, startTestApi } from '../test/harness';
import { type SmtpSink, startSmtpSink } from './test-receivers';
import { DeliveryWorker } from './delivery.worker';

type Gql = any;

const DAY = 24 * 60 * 60 * 1000;
const step = (name: string, args: string) =>
  `mutation ($id: ID!) { ${name}(${args}) { quote { id status } userErrors { code message } } }`;
const CREATE = `mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id number } userErrors { code message } } }`;
const PAID = `mutation ($id: ID!) { markQuotePaid(input: { quoteId: $id }) { quote { status } userErrors { code message } } }`;
const REFUND = `mutation ($id: ID!) { recordRefund(input: { quoteId: $id, reason: "Cleaner did not come" }) { quote { status } userErrors { code message } } }`;
const SENT_MAIL = `{ sentMail(first: 50) { nodes { kind to subject text html status note sentAt } } }`;

let api: TestApi;
let smtp: SmtpSink;

beforeAll(async () => {
  smtp = await startSmtpSink();
  process.env.SMTP_URL = smtp.url;
  process.env.PUBLIC_URL = 'https://refunds.example';
  api = await startTestApi();
});

afterAll(async () => {
  await api.close();
  await smtp.close();
});

async function ok(result: Promise<{ data: Gql; errors?: unknown }>, field: string): Promise<Gql> {
  const { data, errors } = await result;
  if (!data?.[field] || data[field].userErrors?.length) {
    throw new Error(`${field}: ${JSON.stringify({ data, errors })}`);
  }
  return data[field];
}

async function acceptedInvoice(owner: SignedUp): Promise<{ id: string; number: string }> {
  const customerId = await createCustomer(api, owner, 'Kofi Mensah');
  const created = await ok(
    api.gql<Gql>(
      CREATE,
      {
        input: {
          customerId,
          lineItems: [{ description: 'Deep clean', quantity: '1', unitPrice: '250.00' }],
        },
      },
      owner.token,
    ),
    'createQuote',
  );
  const id = created.quote.id as string;
  await ok(api.gql<Gql>(step('sendQuote', 'quoteId: $id'), { id }, owner.token), 'sendQuote');
  await ok(api.gql<Gql>(step('acceptQuote', 'quoteId: $id'), { id }, owner.token), 'acceptQuote');
  return { id, number: created.quote.number };
}

describe('follow-up nudges by e-mail', () => {
  it('go out through SMTP, and none due after a refund is ever sent', async () => {
    const owner = await api.signUp({ businessName: 'Ama Cleaning Co' });
    const invoice = await acceptedInvoice(owner);
    const start = api.clock.now().getTime();

    // Day 2: the first nudge is due, queued by the follow-up worker and sent by the delivery worker.
    api.clock.set(new Date(start + 2 * DAY + 1000));
    expect(await api.services.followUps.runDue()).toMatchObject({ sent: 1 });
    await api.services.delivery.runDue();
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.raw).toContain(`Subject: Ama Cleaning Co: Invoice ${invoice.number}`);
    expect(smtp.messages[0]!.raw).toContain('https://refunds.example/c/');

    // Day 5: the second nudge is queued, but before it is delivered the invoice is paid and
    // refunded. The delivery worker asks the quote again and drops it.
    api.clock.set(new Date(start + 5 * DAY + 1000));
    expect(await api.services.followUps.runDue()).toMatchObject({ sent: 1 });
    await ok(api.gql<Gql>(PAID, { id: invoice.id }, owner.token), 'markQuotePaid');
    await ok(api.gql<Gql>(REFUND, { id: invoice.id }, owner.token), 'recordRefund');
    await api.services.delivery.runDue();

    // Day 10 and later: the third nudge was cancelled with the payment; nothing is sent.
    api.clock.set(new Date(start + 30 * DAY));
    expect(await api.services.followUps.runDue()).toMatchObject({ sent: 0 });
    await api.services.delivery.runDue();
    const nudges = smtp.messages.filter((m) => m.raw.includes(`Invoice ${invoice.number}`));
    expect(nudges).toHaveLength(1);

    // (Read through the service: a month later the owner's session has expired.)
    const mail = await api.services.outbound.mail(owner.businessId, { first: 50 });
    const followUps = mail.nodes.filter((m) => m.kind === 'FOLLOW_UP');
    expect(followUps.map((m) => m.status)).toEqual(['CANCELLED', 'SENT']);
    expect(followUps[0]!.note).toMatch(/^Not sent: the quote is (REFUNDED|PAID)/);
    expect(followUps[1]!.text).toContain('Hello Kofi Mensah,');
    expect(followUps[1]!.html).toContain('Ama Cleaning Co');
  });

  it('without SMTP, mail is kept and shown, never marked sent', async () => {
    // A process with no SMTP_URL: its delivery worker has no transport and keeps the mail.
    const keeping = new DeliveryWorker(
      api.services,
      { ...api.services.outbound.settings, smtpUrl: undefined },
      null,
    );
    const owner = await api.signUp({ businessName: 'No Smtp Ltd' });
    const customerId = await createCustomer(api, owner);
    const created = await ok(
      api.gql<Gql>(
        CREATE,
        {
          input: {
            customerId,
            lineItems: [{ description: 'Windows', quantity: '1', unitPrice: '80.00' }],
          },
        },
        owner.token,
      ),
      'createQuote',
    );
    const id = created.quote.id as string;
    await ok(api.gql<Gql>(step('sendQuote', 'quoteId: $id'), { id }, owner.token), 'sendQuote');
    api.clock.advance(2 * DAY + 1000);
    const before = smtp.messages.length;
    expect(await api.services.followUps.runDue()).toMatchObject({ sent: 1 });
    expect(await keeping.runDue()).toMatchObject({ settled: 1, delivered: 0 });
    expect(smtp.messages).toHaveLength(before);
    const mail = await api.gql<Gql>(SENT_MAIL, {}, owner.token);
    expect(mail.data.sentMail.nodes).toEqual([
      expect.objectContaining({
        kind: 'FOLLOW_UP',
        status: 'KEPT',
        sentAt: null,
        note: 'Kept: no SMTP server is configured (SMTP_URL).',
      }),
    ]);
  });
});

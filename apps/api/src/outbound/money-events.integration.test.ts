import { type SignedUp, type TestApi, createCustomer, startTestApi } from '../test/harness';
import {
  type SmtpSink,
  type WebhookReceiver,
  startSmtpSink,
  startWebhookReceiver,
} from './test-receivers';
import { SIGNATURE_HEADER, verifySignature } from './webhook-signature';

type Gql = any;

/** Every money movement and status change writes an event: walked here through the public API. */

let api: TestApi;
let smtp: SmtpSink;
let receiver: WebhookReceiver;

beforeAll(async () => {
  smtp = await startSmtpSink();
  process.env.WEBHOOKS_ALLOW_PRIVATE = 'true';
  process.env.SMTP_URL = smtp.url;
  process.env.PUBLIC_URL = 'https://refunds.example';
  api = await startTestApi();
  receiver = await startWebhookReceiver();
});

afterAll(async () => {
  await api.close();
  await receiver.close();
  await smtp.close();
});

async function ok(token: string, query: string, variables: Record<string, unknown> = {}) {
  const result = await api.gql<Gql>(query, variables, token);
  const field = result.data && Object.values(result.data)[0];
  if (!field || (field as Gql).userErrors?.length) {
    throw new Error(JSON.stringify(result));
  }
  return field as Gql;
}

async function eventsOf(token: string): Promise<Gql[]> {
  const nodes: Gql[] = [];
  let after: string | null = null;
  for (;;) {
    const page: { data: Gql } = await api.gql<Gql>(
      `query ($after: String) { events(first: 100, after: $after) {
        nodes { id sequence type payload } pageInfo { hasNextPage endCursor } } }`,
      { after },
      token,
    );
    nodes.push(...page.data.events.nodes);
    if (!page.data.events.pageInfo.hasNextPage) return nodes;
    after = page.data.events.pageInfo.endCursor;
  }
}

async function paidInvoice(owner: SignedUp, customerId: string, price = '250.00') {
  const created = await ok(
    owner.token,
    `mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id number } userErrors { code } } }`,
    {
      input: {
        customerId,
        lineItems: [{ description: 'Deep clean', quantity: '1', unitPrice: price }],
      },
    },
  );
  const id = created.quote.id as string;
  for (const step of ['sendQuote', 'acceptQuote']) {
    await ok(
      owner.token,
      `mutation ($id: ID!) { ${step}(quoteId: $id) { quote { id } userErrors { code } } }`,
      { id },
    );
  }
  await ok(
    owner.token,
    `mutation ($id: ID!) { markQuotePaid(input: { quoteId: $id }) { quote { id } userErrors { code } } }`,
    { id },
  );
  return { id, number: created.quote.number as string };
}

describe('a refund, outward', () => {
  it('produces the event, a webhook with a verifiable signature and the customer’s e-mail', async () => {
    const owner = await api.signUp({ businessName: 'Ama Cleaning Co' });
    const endpoint = await ok(
      owner.token,
      `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) {
        endpoint { id } signingSecret userErrors { code } } }`,
      { input: { url: receiver.url, eventTypes: ['quote.refunded', 'quote.partially_refunded'] } },
    );
    const customerId = await createCustomer(api, owner, 'Kofi Mensah');
    const invoice = await paidInvoice(owner, customerId);
    const refund = await ok(
      owner.token,
      `mutation ($input: RecordRefundInput!) { recordRefund(input: $input) {
        refund { id } userErrors { code } } }`,
      {
        input: {
          quoteId: invoice.id,
          amount: '100.00',
          reason: 'Cleaner came late',
          notifyCustomer: true,
        },
      },
    );

    const events = await eventsOf(owner.token);
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.type)).toEqual([
      'quote.sent',
      'quote.accepted',
      'quote.paid',
      'quote.partially_refunded',
    ]);
    const refunded = JSON.parse(events.at(-1)!.payload);
    expect(refunded).toMatchObject({
      type: 'quote.partially_refunded',
      businessId: owner.businessId,
      actor: { kind: 'MEMBER', id: owner.memberId },
      data: {
        quoteId: invoice.id,
        refundId: refund.refund.id,
        customerId,
        amount: { amount: '100.00', currency: 'GHS' },
        refunded: { amount: '100.00', currency: 'GHS' },
        reason: 'Cleaner came late',
      },
    });

    await api.services.delivery.runDue();
    // Only the subscribed type went to the endpoint, signed.
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(delivery!.body).toBe(events.at(-1)!.payload);
    expect(
      verifySignature(
        String(delivery!.headers[SIGNATURE_HEADER]),
        endpoint.signingSecret,
        delivery!.body,
        Math.floor(api.clock.now().getTime() / 1000),
      ),
    ).toBe(true);

    // The customer's e-mail went out over SMTP: the message the "Sent mail" screen shows.
    await api.services.delivery.runDue();
    const mail = await api.gql<Gql>(
      `{ sentMail(first: 10) { nodes { id kind to subject text html status } } }`,
      {},
      owner.token,
    );
    const notice = mail.data.sentMail.nodes.find((m: Gql) => m.kind === 'REFUND_NOTICE');
    expect(notice).toMatchObject({
      status: 'SENT',
      subject: 'Ama Cleaning Co: your refund of GH₵100.00',
    });
    expect(notice.to).toMatch(/^customer-.*@example\.com$/);
    expect(notice.text).toContain('Hello Kofi Mensah,');
    expect(notice.text).toContain(`We have refunded GH₵100.00 for invoice ${invoice.number}.`);
    expect(notice.text).toContain('Reason: Cleaner came late');
    expect(notice.text).toMatch(/https:\/\/refunds\.example\/c\/\S+/);
    expect(notice.html).toContain('Ama Cleaning Co');
    const delivered = smtp.messages.filter((m) =>
      m.raw.includes(`<${notice.id}@refunds-backoffice>`),
    );
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.to).toEqual([notice.to]);
  });
});

describe('every money movement and status change', () => {
  it('writes one event each, in order, through credits, accounts and access too', async () => {
    const owner = await api.signUp();
    const customerId = await createCustomer(api, owner);
    const invoice = await paidInvoice(owner, customerId, '80.00');
    await ok(
      owner.token,
      `mutation ($id: ID!) { markQuoteUnpaid(quoteId: $id) { quote { id } userErrors { code } } }`,
      { id: invoice.id },
    );
    await ok(
      owner.token,
      `mutation ($id: ID!) { voidQuote(quoteId: $id) { quote { id } userErrors { code } } }`,
      { id: invoice.id },
    );

    const purchase = await ok(
      owner.token,
      `mutation ($input: RecordCreditInput!) { recordCreditPurchase(input: $input) { transaction { id } userErrors { code } } }`,
      { input: { customerId, credits: '10' } },
    );
    const spend = await ok(
      owner.token,
      `mutation ($input: RecordCreditInput!) { recordCreditSpend(input: $input) { transaction { id } userErrors { code } } }`,
      { input: { customerId, credits: '4' } },
    );
    const creditRefund = await ok(
      owner.token,
      `mutation ($input: RefundTransactionInput!) { refundTransaction(input: $input) { transaction { id } userErrors { code } } }`,
      { input: { transactionId: spend.transaction.id, credits: '1', notifyCustomer: true } },
    );
    await ok(
      owner.token,
      `mutation ($input: AdjustBalanceInput!) { adjustBalance(input: $input) { transaction { id } userErrors { code } } }`,
      { input: { customerId, credits: '2', comment: 'Goodwill' } },
    );
    await ok(
      owner.token,
      `mutation ($input: DeleteTransactionInput!) { deleteTransaction(input: $input) { transaction { id } userErrors { code } } }`,
      { input: { transactionId: creditRefund.transaction.id, reason: 'Entered twice' } },
    );
    expect(purchase.transaction.id).toBeTruthy();

    const bank = await ok(
      owner.token,
      `mutation { createBankAccount(input: { name: "Main", currency: "GHS" }) { bankAccount { id } userErrors { code } } }`,
    );
    const note = await ok(
      owner.token,
      `mutation ($input: CreateCreditNoteInput!) { createCreditNote(input: $input) { credit { id } userErrors { code } } }`,
      { input: { customerId, amount: { amount: '50.00', currency: 'GHS' } } },
    );
    // An invoice settled by the credit note: PAID by credits, then the allocation.
    const third = await ok(
      owner.token,
      `mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id } userErrors { code } } }`,
      {
        input: {
          customerId,
          lineItems: [{ description: 'Windows', quantity: '1', unitPrice: '30.00' }],
        },
      },
    );
    for (const step of ['sendQuote', 'acceptQuote']) {
      await ok(
        owner.token,
        `mutation ($id: ID!) { ${step}(quoteId: $id) { quote { id } userErrors { code } } }`,
        { id: third.quote.id },
      );
    }
    await ok(
      owner.token,
      `mutation ($input: AllocateCreditInput!) { allocateCredit(input: $input) { credit { id } userErrors { code } } }`,
      { input: { creditId: note.credit.id, quoteId: third.quote.id, amount: '30.00' } },
    );
    const second = await paidInvoice(owner, customerId, '30.00');
    await ok(
      owner.token,
      `mutation ($input: RecordPaymentInput!) { recordPayment(input: $input) { credit { id } userErrors { code } } }`,
      { input: { customerId, amount: { amount: '20.00', currency: 'GHS' } } },
    );
    expect(second.id).toBeTruthy();
    await ok(
      owner.token,
      `mutation ($input: RefundCreditNoteInput!) { refundCreditNote(input: $input) { refund { id } userErrors { code } } }`,
      {
        input: {
          creditId: note.credit.id,
          bankAccountId: bank.bankAccount.id,
          amount: '10.00',
          reference: 'Bank transfer 991',
          notifyCustomer: true,
        },
      },
    );

    const member = await ok(
      owner.token,
      `mutation { createMember(input: { name: "Kwame", email: "kwame-${Date.now()}@example.com", role: AGENT, password: "a long enough password" }) { member { id } userErrors { code } } }`,
    );
    await ok(
      owner.token,
      `mutation ($input: ChangeMemberRoleInput!) { changeMemberRole(input: $input) { member { id } userErrors { code } } }`,
      { input: { memberId: member.member.id, role: 'VIEWER' } },
    );
    await ok(
      owner.token,
      `mutation ($id: ID!) { removeMember(memberId: $id) { member { id } userErrors { code } } }`,
      { id: member.member.id },
    );
    const key = await ok(
      owner.token,
      `mutation { createApiKey(input: { name: "Books", scopes: [READ] }) { apiKey { id } secret userErrors { code } } }`,
    );
    await ok(
      owner.token,
      `mutation ($id: ID!) { revokeApiKey(id: $id) { apiKey { id } userErrors { code } } }`,
      { id: key.apiKey.id },
    );

    const events = await eventsOf(owner.token);
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.type)).toEqual([
      'quote.sent',
      'quote.accepted',
      'quote.paid',
      'quote.unpaid',
      'quote.voided',
      'credit.purchased',
      'credit.spent',
      'credit.refunded',
      'balance.adjusted',
      'credit.reversed',
      'credit_note.created',
      'quote.sent',
      'quote.accepted',
      'quote.paid',
      'credit_note.allocated',
      'quote.sent',
      'quote.accepted',
      'quote.paid',
      'payment.recorded',
      'credit_note.refunded',
      'member.added',
      'member.role_changed',
      'member.removed',
      'api_key.created',
      'api_key.revoked',
    ]);
    const creditRefunded = JSON.parse(events.find((e) => e.type === 'credit.refunded')!.payload);
    expect(creditRefunded.data).toMatchObject({
      customerId,
      transactionId: creditRefund.transaction.id,
      refundOfId: spend.transaction.id,
      credits: '1',
    });
    const noteRefunded = JSON.parse(events.find((e) => e.type === 'credit_note.refunded')!.payload);
    expect(noteRefunded.data).toMatchObject({
      customerId,
      creditId: note.credit.id,
      amount: { amount: '10.00', currency: 'GHS' },
    });
    const settled = JSON.parse(events.find((e) => e.type === 'credit_note.allocated')!.payload);
    expect(settled.data).toMatchObject({
      creditId: note.credit.id,
      quoteId: third.quote.id,
      amount: { amount: '30.00', currency: 'GHS' },
    });
    // Both refunds told the customer (queued with the refund, in its transaction).
    const mail = await api.gql<Gql>(
      `{ sentMail(first: 10) { nodes { kind subject text status } } }`,
      {},
      owner.token,
    );
    // (Both were written at the same instant: their order is not the point.)
    const notices = mail.data.sentMail.nodes.map((m: Gql) => [m.kind, m.subject, m.status]);
    expect(notices).toHaveLength(2);
    expect(notices).toEqual(
      expect.arrayContaining([
        ['REFUND_NOTICE', 'Ama Cleaning Co: your refund of GH₵10.00', 'QUEUED'],
        ['REFUND_NOTICE', 'Ama Cleaning Co: your refund of 1 credits', 'QUEUED'],
      ]),
    );
    expect(
      mail.data.sentMail.nodes.find((m: Gql) => m.subject.endsWith('GH₵10.00')).text,
    ).toContain('Reason: Bank transfer 991');

    // A refused change writes nothing.
    const before = events.length;
    const refused = await api.gql<Gql>(
      `mutation ($input: RecordCreditInput!) { recordCreditSpend(input: $input) { transaction { id } userErrors { code } } }`,
      { input: { customerId, credits: '1000' } },
      owner.token,
    );
    expect(refused.data.recordCreditSpend.userErrors[0].code).toBe('INSUFFICIENT_BALANCE');
    expect(await eventsOf(owner.token)).toHaveLength(before);
  });
});

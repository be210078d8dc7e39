import {
  addMember,
  createCustomer,
  type SignedUp,
  type TestApi,
  startTestApi,
} from '../test/harness';
import { WRITE_PATHS } from '../test/write-paths';

/** GraphQL documents and small steps shared by this flow's integration tests. */
const QUOTE_FIELDS = `
  id number title status createdAt paidAt followUpsActive
  total { amount currency }
  customer { id name }
  case { id number status dealValue { amount currency } customer { id } }
  lineItems { description quantity unitPrice { amount currency } total { amount currency } }
  refund { id amount { amount currency } reason recordedAt recordedBy { id name } }
  activity { id at kind actorName message reason }`;

const CREATE_QUOTE = `mutation ($input: CreateQuoteInput!) {
  createQuote(input: $input) { quote { ${QUOTE_FIELDS} } userErrors { code field message } }
}`;
const SEND = `mutation ($id: ID!) { sendQuote(quoteId: $id) { quote { ${QUOTE_FIELDS} } userErrors { code field message } } }`;
const ACCEPT = `mutation ($id: ID!) { acceptQuote(quoteId: $id) { quote { ${QUOTE_FIELDS} } userErrors { code field message } } }`;
const MARK_PAID = `mutation ($input: MarkPaidInput!) { markQuotePaid(input: $input) { quote { ${QUOTE_FIELDS} } userErrors { code field message } } }`;
const MARK_UNPAID = `mutation ($id: ID!) { markQuoteUnpaid(quoteId: $id) { quote { ${QUOTE_FIELDS} } userErrors { code field message } } }`;
const VOID = `mutation ($id: ID!) { voidQuote(quoteId: $id) { quote { ${QUOTE_FIELDS} } userErrors { code field message } } }`;
const NOTE = `mutation ($id: ID!, $body: String!) { addQuoteNote(quoteId: $id, body: $body) { quote { ${QUOTE_FIELDS} } userErrors { code field message } } }`;
const REFUND = `mutation ($input: RecordRefundInput!) {
  recordRefund(input: $input) {
    refund { id amount { amount currency } reason recordedAt recordedBy { id name } }
    quote { ${QUOTE_FIELDS} }
    userErrors { code field message }
  }
}`;
const QUOTE = `query ($id: ID!) { quote(id: $id) { ${QUOTE_FIELDS} } }`;
const STATS = `{ quoteStats { invoicesPaidCount invoicedThisMonth { amount currency } tabs } }`;
const REVENUE = `query ($days: Int) { revenue(days: $days) { total { amount currency } days { date net { amount currency } } } }`;
const LIST = `query ($tab: QuoteTab, $first: Int, $after: String) {
  quotes(tab: $tab, first: $first, after: $after) { nodes { id number status } pageInfo { hasNextPage endCursor } }
}`;
const PORTAL = `query ($token: String!) {
  portal(token: $token) {
    businessName customerName creditBalance
    quotes { number status total { amount currency } refundBanner { message reason } }
  }
}`;

type Gql = any;

const DAY = 24 * 60 * 60 * 1000;

interface Tenant {
  owner: SignedUp;
  customerId: string;
}

async function tenant(
  api: TestApi,
  overrides: Parameters<TestApi['signUp']>[0] = {},
): Promise<Tenant> {
  const owner = await api.signUp(overrides);
  return { owner, customerId: await createCustomer(api, owner) };
}

/** Creates a quote and walks it to `until` through the API; returns its id. */
async function quoteIn(
  api: TestApi,
  t: Tenant,
  until: 'DRAFT' | 'SENT' | 'ACCEPTED' | 'PAID' | 'REFUNDED' | 'VOID',
  options: {
    lineItems?: Array<{ description: string; quantity: string; unitPrice: string }>;
    paidAt?: string;
  } = {},
): Promise<string> {
  const created = await api.gql<Gql>(
    CREATE_QUOTE,
    {
      input: {
        customerId: t.customerId,
        lineItems: options.lineItems ?? [
          { description: 'Deep clean', quantity: '1', unitPrice: '250.00' },
        ],
      },
    },
    t.owner.token,
  );
  const id = created.data?.createQuote.quote?.id as string | undefined;
  if (!id) throw new Error(`createQuote failed: ${JSON.stringify(created)}`);
  if (until === 'DRAFT') return id;
  if (until === 'VOID') {
    await expectOk(api.gql<Gql>(VOID, { id }, t.owner.token), 'voidQuote');
    return id;
  }
  await expectOk(api.gql<Gql>(SEND, { id }, t.owner.token), 'sendQuote');
  if (until === 'SENT') return id;
  await expectOk(api.gql<Gql>(ACCEPT, { id }, t.owner.token), 'acceptQuote');
  if (until === 'ACCEPTED') return id;
  await expectOk(
    api.gql<Gql>(
      MARK_PAID,
      { input: { quoteId: id, paidAt: options.paidAt ?? null } },
      t.owner.token,
    ),
    'markQuotePaid',
  );
  if (until === 'PAID') return id;
  await expectOk(api.gql<Gql>(REFUND, { input: { quoteId: id } }, t.owner.token), 'recordRefund');
  return id;
}

async function expectOk(
  request: Promise<{ data: Gql; errors?: unknown }>,
  field: string,
): Promise<void> {
  const result = await request;
  const payload = result.data?.[field];
  if (!payload || payload.userErrors.length > 0) {
    throw new Error(`${field} failed: ${JSON.stringify(result)}`);
  }
}

const NOW = new Date('2026-03-14T12:00:00.000Z');

describe.each(WRITE_PATHS)('quotes and invoice refunds (issue 3) (refunds: %s)', (writePath) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ now: NOW, groupCommit: writePath === 'group commit' });
  });
  afterAll(() => api.close());
  beforeEach(() => api.clock.set(NOW));

  describe('createQuote', () => {
    it('prices lines exactly in the business currency and opens a numbered case', async () => {
      const t = await tenant(api);
      const result = await api.gql<Gql>(
        CREATE_QUOTE,
        {
          input: {
            customerId: t.customerId,
            title: '  Kitchen refit ',
            lineItems: [
              { description: 'Labour', quantity: '1.5', unitPrice: '80.00' },
              { description: 'Screws', quantity: '3', unitPrice: '0.10' },
              { description: 'Sealant', quantity: '0.333', unitPrice: '3.00' },
            ],
          },
        },
        t.owner.token,
      );
      const quote = result.data.createQuote.quote;
      expect(result.data.createQuote.userErrors).toEqual([]);
      expect(quote).toMatchObject({
        number: 'Q-000001',
        title: 'Kitchen refit',
        status: 'DRAFT',
        paidAt: null,
        followUpsActive: false,
        total: { amount: '121.30', currency: 'GHS' },
        customer: { id: t.customerId },
        case: { number: 'YS-000001', status: 'AWAITING_CUSTOMER', dealValue: null },
        refund: null,
      });
      expect(quote.lineItems).toEqual([
        {
          description: 'Labour',
          quantity: '1.5',
          unitPrice: { amount: '80.00', currency: 'GHS' },
          total: { amount: '120.00', currency: 'GHS' },
        },
        {
          description: 'Screws',
          quantity: '3',
          unitPrice: { amount: '0.10', currency: 'GHS' },
          total: { amount: '0.30', currency: 'GHS' },
        },
        {
          description: 'Sealant',
          quantity: '0.333',
          unitPrice: { amount: '3.00', currency: 'GHS' },
          total: { amount: '1.00', currency: 'GHS' },
        },
      ]);
      expect(quote.activity).toEqual([
        expect.objectContaining({ kind: 'CREATED', actorName: 'Ama Owusu', reason: null }),
      ]);

      // A second quote opens YS-000002; one given a caseId joins that case.
      const second = await api.gql<Gql>(
        CREATE_QUOTE,
        {
          input: {
            customerId: t.customerId,
            lineItems: [{ description: 'x', quantity: '1', unitPrice: '5.00' }],
          },
        },
        t.owner.token,
      );
      expect(second.data.createQuote.quote.case.number).toBe('YS-000002');
      expect(second.data.createQuote.quote.number).toBe('Q-000002');
      const linked = await api.gql<Gql>(
        CREATE_QUOTE,
        {
          input: {
            customerId: t.customerId,
            caseId: quote.case.id,
            lineItems: [{ description: 'x', quantity: '1', unitPrice: '5.00' }],
          },
        },
        t.owner.token,
      );
      expect(linked.data.createQuote.quote.case).toMatchObject({
        id: quote.case.id,
        number: 'YS-000001',
      });
    });

    it('numbers cases per business', async () => {
      const other = await tenant(api);
      const id = await quoteIn(api, other, 'DRAFT');
      const result = await api.gql<Gql>(QUOTE, { id }, other.owner.token);
      expect(result.data.quote.case.number).toBe('YS-000001');
      expect(result.data.quote.number).toBe('Q-000001');
    });

    it('refuses bad amounts, unknown customers and foreign cases with userErrors', async () => {
      const t = await tenant(api);
      const otherCustomer = await createCustomer(api, t.owner, 'Esi Boateng');
      const input = (extra: object) => ({
        input: {
          customerId: t.customerId,
          lineItems: [{ description: 'x', quantity: '1', unitPrice: '5.00' }],
          ...extra,
        },
      });
      const tooPrecise = await api.gql<Gql>(
        CREATE_QUOTE,
        input({ lineItems: [{ description: 'x', quantity: '1', unitPrice: '5.005' }] }),
        t.owner.token,
      );
      expect(tooPrecise.data.createQuote).toMatchObject({
        quote: null,
        userErrors: [{ code: 'INVALID_AMOUNT', field: ['input', 'lineItems', '0', 'unitPrice'] }],
      });
      const zero = await api.gql<Gql>(
        CREATE_QUOTE,
        input({ lineItems: [{ description: 'x', quantity: '0', unitPrice: '5.00' }] }),
        t.owner.token,
      );
      expect(zero.data.createQuote.userErrors[0]).toMatchObject({
        code: 'INVALID_AMOUNT',
        field: ['input', 'lineItems', '0', 'quantity'],
      });
      const unknown = await api.gql<Gql>(
        CREATE_QUOTE,
        input({ customerId: '00000000-0000-4000-8000-000000000000' }),
        t.owner.token,
      );
      expect(unknown.data.createQuote.userErrors[0]).toMatchObject({
        code: 'NOT_FOUND',
        field: ['input', 'customerId'],
      });
      const malformed = await api.gql<Gql>(
        CREATE_QUOTE,
        input({ customerId: 'nope' }),
        t.owner.token,
      );
      expect(malformed.data.createQuote.userErrors[0].code).toBe('NOT_FOUND');

      const firstId = await quoteIn(api, t, 'DRAFT');
      const first = await api.gql<Gql>(QUOTE, { id: firstId }, t.owner.token);
      const foreignCase = await api.gql<Gql>(
        CREATE_QUOTE,
        input({ customerId: otherCustomer, caseId: first.data.quote.case.id }),
        t.owner.token,
      );
      expect(foreignCase.data.createQuote.userErrors[0]).toMatchObject({
        code: 'INVALID_STATE',
        field: ['input', 'caseId'],
      });

      // Another business's customer behaves exactly like one that does not exist.
      const stranger = await tenant(api);
      const theirs = await api.gql<Gql>(
        CREATE_QUOTE,
        input({ customerId: stranger.customerId }),
        t.owner.token,
      );
      expect(theirs.data.createQuote.userErrors[0]).toMatchObject({
        code: 'NOT_FOUND',
        field: ['input', 'customerId'],
      });
    });

    it('refuses malformed input as BAD_USER_INPUT', async () => {
      const t = await tenant(api);
      for (const lineItems of [
        [],
        [{ description: '', quantity: '1', unitPrice: '5.00' }],
        [{ description: 'x', quantity: '1', unitPrice: '1e3' }],
        [{ description: 'x', quantity: '1', unitPrice: 5 }],
      ]) {
        const result = await api.gql<Gql>(
          CREATE_QUOTE,
          { input: { customerId: t.customerId, lineItems } },
          t.owner.token,
        );
        expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      }
    });
  });

  describe('the lifecycle', () => {
    it('walks DRAFT → SENT → ACCEPTED → PAID, wins the case, and can mark unpaid', async () => {
      const t = await tenant(api);
      const id = await quoteIn(api, t, 'DRAFT');
      const sent = await api.gql<Gql>(SEND, { id }, t.owner.token);
      expect(sent.data.sendQuote.quote).toMatchObject({ status: 'SENT', followUpsActive: true });
      const accepted = await api.gql<Gql>(ACCEPT, { id }, t.owner.token);
      expect(accepted.data.acceptQuote.quote).toMatchObject({
        status: 'ACCEPTED',
        followUpsActive: true,
      });

      api.clock.advance(60_000);
      const paid = await api.gql<Gql>(MARK_PAID, { input: { quoteId: id } }, t.owner.token);
      expect(paid.data.markQuotePaid.userErrors).toEqual([]);
      expect(paid.data.markQuotePaid.quote).toMatchObject({
        status: 'PAID',
        paidAt: new Date(NOW.getTime() + 60_000).toISOString(),
        followUpsActive: false,
        case: { status: 'WON', dealValue: { amount: '250.00', currency: 'GHS' } },
      });

      const unpaid = await api.gql<Gql>(MARK_UNPAID, { id }, t.owner.token);
      expect(unpaid.data.markQuoteUnpaid.quote).toMatchObject({
        status: 'ACCEPTED',
        paidAt: null,
        followUpsActive: true,
      });
      expect(unpaid.data.markQuoteUnpaid.quote.activity.map((e: Gql) => e.kind)).toEqual([
        'CREATED',
        'SENT',
        'ACCEPTED',
        'MARKED_PAID',
        'MARKED_UNPAID',
      ]);
    });

    it('refuses every other transition with INVALID_STATE and a sentence', async () => {
      const t = await tenant(api);
      const draft = await quoteIn(api, t, 'DRAFT');
      const paid = await quoteIn(api, t, 'PAID');
      const voided = await quoteIn(api, t, 'VOID');
      const refunded = await quoteIn(api, t, 'REFUNDED');
      const cases: Array<[string, string, Record<string, unknown>, string]> = [
        [ACCEPT, 'acceptQuote', { id: draft }, 'Send the quote'],
        [MARK_PAID, 'markQuotePaid', { input: { quoteId: draft } }, 'accepted'],
        [MARK_UNPAID, 'markQuoteUnpaid', { id: draft }, 'Only a paid invoice'],
        [VOID, 'voidQuote', { id: paid }, 'record a refund'],
        [SEND, 'sendQuote', { id: voided }, 'void'],
        [MARK_UNPAID, 'markQuoteUnpaid', { id: refunded }, 'refund is final'],
        [MARK_PAID, 'markQuotePaid', { input: { quoteId: refunded } }, 'refunded'],
        [VOID, 'voidQuote', { id: refunded }, 'refunded'],
        [SEND, 'sendQuote', { id: paid }, 'already accepted'],
      ];
      for (const [document, field, variables, hint] of cases) {
        const result = await api.gql<Gql>(document, variables, t.owner.token);
        expect(result.data[field].quote).toBeNull();
        expect(result.data[field].userErrors).toHaveLength(1);
        expect(result.data[field].userErrors[0].code).toBe('INVALID_STATE');
        expect(result.data[field].userErrors[0].message).toContain(hint);
      }
    });

    it('voids quotes not yet paid and stops their follow-ups', async () => {
      const t = await tenant(api);
      const accepted = await quoteIn(api, t, 'ACCEPTED');
      const result = await api.gql<Gql>(VOID, { id: accepted }, t.owner.token);
      expect(result.data.voidQuote.quote).toMatchObject({ status: 'VOID', followUpsActive: false });
      expect(result.data.voidQuote.quote.activity.at(-1).kind).toBe('VOIDED');
    });

    it('takes a backdated paidAt and refuses one in the future', async () => {
      const t = await tenant(api);
      const id = await quoteIn(api, t, 'ACCEPTED');
      const future = await api.gql<Gql>(
        MARK_PAID,
        { input: { quoteId: id, paidAt: new Date(NOW.getTime() + 1000).toISOString() } },
        t.owner.token,
      );
      expect(future.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const backdated = new Date(NOW.getTime() - 5 * DAY).toISOString();
      const paid = await api.gql<Gql>(
        MARK_PAID,
        { input: { quoteId: id, paidAt: backdated } },
        t.owner.token,
      );
      expect(paid.data.markQuotePaid.quote.paidAt).toBe(backdated);
    });

    it('adds notes to the feed, refusing blank ones', async () => {
      const t = await tenant(api);
      const id = await quoteIn(api, t, 'REFUNDED');
      const note = await api.gql<Gql>(
        NOTE,
        { id, body: ' Refunded half by MoMo; the rest kept. ' },
        t.owner.token,
      );
      expect(note.data.addQuoteNote.quote.activity.at(-1)).toMatchObject({
        kind: 'NOTE_ADDED',
        message: 'Refunded half by MoMo; the rest kept.',
        actorName: 'Ama Owusu',
      });
      const blank = await api.gql<Gql>(NOTE, { id, body: '   ' }, t.owner.token);
      expect(blank.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const missing = await api.gql<Gql>(
        NOTE,
        { id: '00000000-0000-4000-8000-000000000000', body: 'x' },
        t.owner.token,
      );
      expect(missing.data.addQuoteNote.userErrors[0]).toMatchObject({
        code: 'NOT_FOUND',
        field: ['quoteId'],
      });
    });

    it('treats another business’s quote exactly like one that does not exist', async () => {
      const t = await tenant(api);
      const stranger = await tenant(api);
      const theirs = await quoteIn(api, stranger, 'PAID');
      expect((await api.gql<Gql>(QUOTE, { id: theirs }, t.owner.token)).data.quote).toBeNull();
      for (const [document, field, variables] of [
        [SEND, 'sendQuote', { id: theirs }],
        [MARK_UNPAID, 'markQuoteUnpaid', { id: theirs }],
        [REFUND, 'recordRefund', { input: { quoteId: theirs } }],
        [MARK_PAID, 'markQuotePaid', { input: { quoteId: theirs } }],
      ] as const) {
        const result = await api.gql<Gql>(document, variables, t.owner.token);
        expect(result.data[field].userErrors[0].code).toBe('NOT_FOUND');
      }
      // ... and nothing changed on their side.
      expect(
        (await api.gql<Gql>(QUOTE, { id: theirs }, stranger.owner.token)).data.quote.status,
      ).toBe('PAID');
    });
  });

  describe('recordRefund', () => {
    it('refunds the whole invoice: REFUNDED, case LOST, follow-ups off, feed after Marked paid', async () => {
      const t = await tenant(api);
      const id = await quoteIn(api, t, 'PAID', {
        lineItems: [{ description: 'Move-out clean', quantity: '2', unitPrice: '625.00' }],
      });
      api.clock.advance(3_600_000);
      const result = await api.gql<Gql>(
        REFUND,
        { input: { quoteId: id, reason: ' customer cancelled ' } },
        t.owner.token,
      );
      const payload = result.data.recordRefund;
      expect(payload.userErrors).toEqual([]);
      expect(payload.refund).toMatchObject({
        amount: { amount: '1250.00', currency: 'GHS' },
        reason: 'customer cancelled',
        recordedAt: new Date(NOW.getTime() + 3_600_000).toISOString(),
        recordedBy: { id: t.owner.memberId, name: 'Ama Owusu' },
      });
      expect(payload.quote).toMatchObject({
        status: 'REFUNDED',
        followUpsActive: false,
        case: { status: 'LOST', dealValue: { amount: '1250.00', currency: 'GHS' } },
        refund: { id: payload.refund.id },
      });
      const kinds = payload.quote.activity.map((e: Gql) => e.kind);
      expect(kinds).toEqual(['CREATED', 'SENT', 'ACCEPTED', 'MARKED_PAID', 'REFUND_RECORDED']);
      expect(payload.quote.activity.at(-1)).toMatchObject({
        reason: 'customer cancelled',
        message: 'Refund recorded: GH₵1,250.00.',
      });
      const rows = await api.db.manager.query(
        `SELECT count(*)::int AS n FROM quote_refunds WHERE quote_id = $1`,
        [id],
      );
      expect(rows[0].n).toBe(1);
    });

    it('leaves a case that is not WON alone', async () => {
      const t = await tenant(api);
      const id = await quoteIn(api, t, 'PAID');
      const before = await api.gql<Gql>(QUOTE, { id }, t.owner.token);
      // The owner archived the case by hand after it was won (the inbox flow, simulated here).
      await api.db.manager.query(`UPDATE cases SET status = 'ARCHIVED' WHERE id = $1`, [
        before.data.quote.case.id,
      ]);
      const result = await api.gql<Gql>(REFUND, { input: { quoteId: id } }, t.owner.token);
      expect(result.data.recordRefund.quote.case.status).toBe('ARCHIVED');
      expect(result.data.recordRefund.refund.reason).toBeNull();
    });

    it('refuses an unpaid quote (QUOTE_NOT_PAID), a second refund (ALREADY_REFUNDED) and unknown ids', async () => {
      const t = await tenant(api);
      for (const status of ['DRAFT', 'SENT', 'ACCEPTED', 'VOID'] as const) {
        const id = await quoteIn(api, t, status);
        const result = await api.gql<Gql>(REFUND, { input: { quoteId: id } }, t.owner.token);
        expect(result.data.recordRefund).toMatchObject({ refund: null, quote: null });
        expect(result.data.recordRefund.userErrors[0].code).toBe('QUOTE_NOT_PAID');
      }
      const refunded = await quoteIn(api, t, 'REFUNDED');
      const again = await api.gql<Gql>(REFUND, { input: { quoteId: refunded } }, t.owner.token);
      expect(again.data.recordRefund.userErrors[0].code).toBe('ALREADY_REFUNDED');
      const unknown = await api.gql<Gql>(
        REFUND,
        { input: { quoteId: 'not-an-id' } },
        t.owner.token,
      );
      expect(unknown.data.recordRefund.userErrors[0]).toMatchObject({
        code: 'NOT_FOUND',
        field: ['input', 'quoteId'],
      });
      const long = await api.gql<Gql>(
        REFUND,
        { input: { quoteId: refunded, reason: 'x'.repeat(1001) } },
        t.owner.token,
      );
      expect(long.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('forty racing refunds of one invoice give exactly one refund; the others ALREADY_REFUNDED', async () => {
      const t = await tenant(api);
      const id = await quoteIn(api, t, 'PAID');
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          api.gql<Gql>(REFUND, { input: { quoteId: id, reason: `attempt ${i}` } }, t.owner.token),
        ),
      );
      const ok = results.filter((r) => r.data?.recordRefund?.refund);
      const codes = results.flatMap(
        (r) => r.data?.recordRefund?.userErrors.map((e: Gql) => e.code) ?? ['GRAPHQL_ERROR'],
      );
      expect(ok).toHaveLength(1);
      expect(ok[0]!.data.recordRefund.refund.amount).toEqual({ amount: '250.00', currency: 'GHS' });
      expect(codes).toEqual(Array(39).fill('ALREADY_REFUNDED'));
      const [row] = await api.db.manager.query(
        `SELECT count(*)::int AS n, sum(amount_minor)::text AS total FROM quote_refunds WHERE quote_id = $1`,
        [id],
      );
      expect(row).toEqual({ n: 1, total: '25000' });
      const feed = await api.gql<Gql>(QUOTE, { id }, t.owner.token);
      expect(
        feed.data.quote.activity.filter((e: Gql) => e.kind === 'REFUND_RECORDED'),
      ).toHaveLength(1);
    });

    it('replays an idempotent refund, also when the repeats race, and refuses the key with other input', async () => {
      const t = await tenant(api);
      const id = await quoteIn(api, t, 'PAID');
      const input = { quoteId: id, reason: 'duplicate payment', idempotencyKey: 'refund-1' };
      const results = await Promise.all(
        Array.from({ length: 10 }, () => api.gql<Gql>(REFUND, { input }, t.owner.token)),
      );
      const refundIds = new Set(results.map((r) => r.data.recordRefund.refund?.id));
      expect(refundIds.size).toBe(1);
      expect([...refundIds][0]).toBeTruthy();
      expect(results.every((r) => r.data.recordRefund.userErrors.length === 0)).toBe(true);
      const later = await api.gql<Gql>(REFUND, { input }, t.owner.token);
      expect(later.data.recordRefund.refund.id).toBe([...refundIds][0]);
      expect(later.data.recordRefund.quote.status).toBe('REFUNDED');
      const reused = await api.gql<Gql>(
        REFUND,
        { input: { ...input, reason: 'another reason' } },
        t.owner.token,
      );
      expect(reused.data.recordRefund.userErrors[0]).toMatchObject({
        code: 'IDEMPOTENCY_KEY_REUSED',
        field: ['input', 'idempotencyKey'],
      });
      const [row] = await api.db.manager.query(
        `SELECT count(*)::int AS n FROM quote_refunds WHERE quote_id = $1`,
        [id],
      );
      expect(row.n).toBe(1);
    });

    it('replays an idempotent markQuotePaid', async () => {
      const t = await tenant(api);
      const id = await quoteIn(api, t, 'ACCEPTED');
      const input = {
        quoteId: id,
        paidAt: new Date(NOW.getTime() - DAY).toISOString(),
        idempotencyKey: 'pay-1',
      };
      const first = await api.gql<Gql>(MARK_PAID, { input }, t.owner.token);
      const again = await api.gql<Gql>(MARK_PAID, { input }, t.owner.token);
      expect(first.data.markQuotePaid.quote.status).toBe('PAID');
      expect(again.data.markQuotePaid).toMatchObject({
        userErrors: [],
        quote: { id, status: 'PAID', paidAt: input.paidAt },
      });
      const paidEvents = again.data.markQuotePaid.quote.activity.filter(
        (e: Gql) => e.kind === 'MARKED_PAID',
      );
      expect(paidEvents).toHaveLength(1);
      const reused = await api.gql<Gql>(
        MARK_PAID,
        { input: { ...input, paidAt: null } },
        t.owner.token,
      );
      expect(reused.data.markQuotePaid.userErrors[0].code).toBe('IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('reading', () => {
    it('quoteStats before and after a refund', async () => {
      const t = await tenant(api);
      await quoteIn(api, t, 'DRAFT');
      await quoteIn(api, t, 'ACCEPTED', {
        lineItems: [{ description: 'a', quantity: '1', unitPrice: '100.00' }],
      });
      const paid = await quoteIn(api, t, 'PAID', {
        lineItems: [{ description: 'b', quantity: '1', unitPrice: '250.00' }],
      });
      await quoteIn(api, t, 'PAID', {
        lineItems: [{ description: 'c', quantity: '2', unitPrice: '20.50' }],
      });
      await quoteIn(api, t, 'VOID');
      const before = await api.gql<Gql>(STATS, {}, t.owner.token);
      expect(before.data.quoteStats).toEqual({
        invoicesPaidCount: 2,
        invoicedThisMonth: { amount: '391.00', currency: 'GHS' },
        tabs: ['ALL', 'DRAFT', 'SENT', 'ACCEPTED', 'PAID', 'VOID'],
      });
      await api.gql<Gql>(REFUND, { input: { quoteId: paid } }, t.owner.token);
      const after = await api.gql<Gql>(STATS, {}, t.owner.token);
      expect(after.data.quoteStats).toEqual({
        invoicesPaidCount: 1,
        invoicedThisMonth: { amount: '141.00', currency: 'GHS' },
        tabs: ['ALL', 'DRAFT', 'SENT', 'ACCEPTED', 'PAID', 'REFUNDED', 'VOID'],
      });
      // Next month, nothing was issued yet; the paid invoice still counts as paid.
      api.clock.set(new Date('2026-04-01T00:30:00Z'));
      const nextMonth = await api.gql<Gql>(STATS, {}, t.owner.token);
      expect(nextMonth.data.quoteStats).toMatchObject({
        invoicesPaidCount: 1,
        invoicedThisMonth: { amount: '0.00' },
      });
    });

    it('revenue: 14 days, a backdated payment on its date and a refund today as a dip', async () => {
      const t = await tenant(api);
      const backdated = new Date(NOW.getTime() - 5 * DAY).toISOString();
      const refunded = await quoteIn(api, t, 'PAID', { paidAt: backdated });
      await quoteIn(api, t, 'PAID', {
        lineItems: [{ description: 'b', quantity: '1', unitPrice: '40.00' }],
        paidAt: new Date(NOW.getTime() - 2 * DAY).toISOString(),
      });
      // Paid 20 days ago: outside the window.
      await quoteIn(api, t, 'PAID', { paidAt: new Date(NOW.getTime() - 20 * DAY).toISOString() });
      await api.gql<Gql>(REFUND, { input: { quoteId: refunded } }, t.owner.token);

      const result = await api.gql<Gql>(REVENUE, {}, t.owner.token);
      const days = result.data.revenue.days;
      expect(days).toHaveLength(14);
      expect(days[0].date).toBe('2026-03-01');
      expect(days[13].date).toBe('2026-03-14');
      const net = Object.fromEntries(days.map((d: Gql) => [d.date, d.net.amount]));
      expect(net['2026-03-09']).toBe('250.00');
      expect(net['2026-03-12']).toBe('40.00');
      expect(net['2026-03-14']).toBe('-250.00');
      expect(days.filter((d: Gql) => d.net.amount !== '0.00')).toHaveLength(3);
      expect(result.data.revenue.total).toEqual({ amount: '40.00', currency: 'GHS' });

      const week = await api.gql<Gql>(REVENUE, { days: 3 }, t.owner.token);
      expect(week.data.revenue.days.map((d: Gql) => d.date)).toEqual([
        '2026-03-12',
        '2026-03-13',
        '2026-03-14',
      ]);
      expect(week.data.revenue.total.amount).toBe('-210.00');
      for (const bad of [0, 367]) {
        const refused = await api.gql<Gql>(REVENUE, { days: bad }, t.owner.token);
        expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      }
    });

    it('revenue days are days in the business timezone', async () => {
      const t = await tenant(api, { country: 'US', currency: 'USD', timezone: 'America/New_York' });
      // 02:00Z on the 14th is the evening of the 13th in New York.
      api.clock.set(new Date('2026-03-14T15:00:00Z'));
      await quoteIn(api, t, 'PAID', { paidAt: '2026-03-14T02:00:00.000Z' });
      const result = await api.gql<Gql>(REVENUE, { days: 2 }, t.owner.token);
      expect(result.data.revenue.days).toEqual([
        { date: '2026-03-13', net: { amount: '250.00', currency: 'USD' } },
        { date: '2026-03-14', net: { amount: '0.00', currency: 'USD' } },
      ]);
    });

    it('lists quotes newest first with keyset pages and tabs', async () => {
      const t = await tenant(api);
      const ids: string[] = [];
      for (const status of ['DRAFT', 'PAID', 'DRAFT', 'REFUNDED', 'SENT'] as const) {
        api.clock.advance(1000);
        ids.push(await quoteIn(api, t, status));
      }
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const page: Gql = await api.gql<Gql>(LIST, { first: 2, after }, t.owner.token);
        seen.push(...page.data.quotes.nodes.map((q: Gql) => q.id));
        after = page.data.quotes.pageInfo.hasNextPage ? page.data.quotes.pageInfo.endCursor : null;
      } while (after);
      expect(seen).toEqual([...ids].reverse());
      const drafts = await api.gql<Gql>(LIST, { tab: 'DRAFT' }, t.owner.token);
      expect(drafts.data.quotes.nodes.map((q: Gql) => q.id)).toEqual([ids[2], ids[0]]);
      const refunded = await api.gql<Gql>(LIST, { tab: 'REFUNDED' }, t.owner.token);
      expect(refunded.data.quotes.nodes.map((q: Gql) => q.status)).toEqual(['REFUNDED']);
      const bad = await api.gql<Gql>(LIST, { after: 'garbage' }, t.owner.token);
      expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('the portal', () => {
    async function portalToken(t: Tenant): Promise<string> {
      const result = await api.gql<Gql>(
        `query ($id: ID!) { customer(id: $id) { portalPath } }`,
        { id: t.customerId },
        t.owner.token,
      );
      return (result.data.customer.portalPath as string).replace('/c/', '');
    }

    it("shows only that customer's sent quotes, with the refund banner both ways, without a login", async () => {
      const t = await tenant(api);
      await quoteIn(api, t, 'DRAFT');
      const withReason = await quoteIn(api, t, 'PAID');
      const blank = await quoteIn(api, t, 'PAID');
      await quoteIn(api, t, 'ACCEPTED');
      await api.gql<Gql>(
        REFUND,
        { input: { quoteId: withReason, reason: 'Service could not be delivered' } },
        t.owner.token,
      );
      await api.gql<Gql>(REFUND, { input: { quoteId: blank, reason: '   ' } }, t.owner.token);
      // Another customer of the same business: never on this portal.
      const otherCustomer = await createCustomer(api, t.owner, 'Esi Boateng');
      await quoteIn(api, { owner: t.owner, customerId: otherCustomer }, 'PAID');

      const result = await api.gql<Gql>(PORTAL, { token: await portalToken(t) });
      expect(result.errors).toBeUndefined();
      const portal = result.data.portal;
      expect(portal).toMatchObject({
        businessName: 'Ama Cleaning Co',
        customerName: 'Kofi Mensah',
        creditBalance: '0',
      });
      expect(portal.quotes.map((q: Gql) => q.status).sort()).toEqual([
        'ACCEPTED',
        'REFUNDED',
        'REFUNDED',
      ]);
      const byNumber = Object.fromEntries(portal.quotes.map((q: Gql) => [q.number, q]));
      const quoteNumber = async (id: string) =>
        (await api.gql<Gql>(QUOTE, { id }, t.owner.token)).data.quote.number;
      expect(byNumber[await quoteNumber(withReason)].refundBanner).toEqual({
        message: 'Service could not be delivered',
        reason: 'Service could not be delivered',
      });
      const generic = byNumber[await quoteNumber(blank)].refundBanner;
      expect(generic.reason).toBeNull();
      expect(generic.message).toMatch(/Refunded by Ama Cleaning Co/);
      expect(generic.message).toMatch(/check your payment account/);
      expect(portal.quotes.find((q: Gql) => q.status === 'ACCEPTED').refundBanner).toBeNull();
    });

    it('is null for an unknown token', async () => {
      const result = await api.gql<Gql>(PORTAL, { token: 'x'.repeat(43) });
      expect(result.data.portal).toBeNull();
      expect((await api.gql<Gql>(PORTAL, { token: 'short' })).data.portal).toBeNull();
    });
  });

  describe('who may do this', () => {
    it('AGENT and VIEWER get FORBIDDEN on every quote query and mutation; no token is UNAUTHENTICATED', async () => {
      const t = await tenant(api);
      const id = await quoteIn(api, t, 'PAID');
      const calls: Array<[string, Record<string, unknown>]> = [
        [LIST, {}],
        [QUOTE, { id }],
        [STATS, {}],
        [REVENUE, {}],
        [
          CREATE_QUOTE,
          {
            input: {
              customerId: t.customerId,
              lineItems: [{ description: 'x', quantity: '1', unitPrice: '1.00' }],
            },
          },
        ],
        [SEND, { id }],
        [ACCEPT, { id }],
        [MARK_PAID, { input: { quoteId: id } }],
        [MARK_UNPAID, { id }],
        [VOID, { id }],
        [NOTE, { id, body: 'x' }],
        [REFUND, { input: { quoteId: id } }],
      ];
      for (const role of ['AGENT', 'VIEWER']) {
        const token = await addMember(api, t.owner, role);
        for (const [document, variables] of calls) {
          const result = await api.gql<Gql>(document, variables, token);
          expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        }
      }
      for (const [document, variables] of calls) {
        const result = await api.gql<Gql>(document, variables);
        expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      }
      // Nothing moved.
      const after = await api.gql<Gql>(QUOTE, { id }, t.owner.token);
      expect(after.data.quote.status).toBe('PAID');
      expect(after.data.quote.refund).toBeNull();
    });

    it('MANAGER may record a refund, and is named in the feed', async () => {
      const t = await tenant(api);
      const id = await quoteIn(api, t, 'PAID');
      const manager = await addMember(api, t.owner, 'MANAGER');
      const result = await api.gql<Gql>(REFUND, { input: { quoteId: id } }, manager);
      expect(result.data.recordRefund.refund.recordedBy.name).toBe('MANAGER person');
      expect(result.data.recordRefund.quote.activity.at(-1).actorName).toBe('MANAGER person');
    });
  });

  describe('follow-ups', () => {
    const outbox = (quoteId: string) =>
      api.db.manager.query(
        `SELECT subject, body FROM follow_up_outbox WHERE quote_id = $1 ORDER BY created_at`,
        [quoteId],
      );

    it('nudges a sent quote at 2, 5 and 10 days, then an unpaid invoice, and stops once paid', async () => {
      const t = await tenant(api);
      const id = await quoteIn(api, t, 'SENT');
      const worker = api.services.followUps;

      // The worker serves every business: assertions are about this quote's outbox.
      await worker.runDue({ now: new Date(NOW.getTime() + 2 * DAY - 1) });
      expect(await outbox(id)).toHaveLength(0);
      api.clock.set(new Date(NOW.getTime() + 2 * DAY));
      expect((await worker.runDue()).sent).toBeGreaterThanOrEqual(1);
      expect(await outbox(id)).toHaveLength(1);
      await worker.runDue();
      expect(await outbox(id)).toHaveLength(1); // never the same nudge twice

      // Accepting replaces the "accept" nudges by "pay" nudges counted from the acceptance.
      await api.gql<Gql>(ACCEPT, { id }, t.owner.token);
      // Accepted at day 2: the payment nudges are due at days 4, 7 and 12.
      await worker.runDue({ now: new Date(NOW.getTime() + 12 * DAY - 1) });
      expect(await outbox(id)).toHaveLength(3);
      api.clock.set(new Date(NOW.getTime() + 12 * DAY));
      await worker.runDue();
      expect(await outbox(id)).toHaveLength(4);
      const quote = await api.gql<Gql>(QUOTE, { id }, t.owner.token);
      expect(quote.data.quote.followUpsActive).toBe(false); // all three went out
      expect(
        quote.data.quote.activity.filter((e: Gql) => e.kind === 'FOLLOW_UP_SENT'),
      ).toHaveLength(4);
      expect((await outbox(id)).map((m: Gql) => m.subject)).toEqual([
        expect.stringMatching(/^Quote Q-/),
        expect.stringMatching(/^Invoice Q-/),
        expect.stringMatching(/^Invoice Q-/),
        expect.stringMatching(/^Invoice Q-/),
      ]);
    });

    it('paying, voiding or refunding cancels what is pending', async () => {
      const t = await tenant(api);
      const paid = await quoteIn(api, t, 'PAID');
      const voided = await quoteIn(api, t, 'SENT');
      await api.gql<Gql>(VOID, { id: voided }, t.owner.token);
      const refunded = await quoteIn(api, t, 'REFUNDED');
      await api.services.followUps.runDue({ now: new Date(NOW.getTime() + 60 * DAY) });
      for (const id of [paid, voided, refunded]) {
        expect(await outbox(id)).toHaveLength(0);
        const quote = await api.gql<Gql>(QUOTE, { id }, t.owner.token);
        expect(quote.data.quote.followUpsActive).toBe(false);
      }
    });

    it('a payment racing the worker never leaves a nudge after the payment', async () => {
      const t = await tenant(api);
      const ids = await Promise.all(Array.from({ length: 5 }, () => quoteIn(api, t, 'ACCEPTED')));
      api.clock.set(new Date(NOW.getTime() + 3 * DAY));
      await Promise.all([
        api.services.followUps.runDue(),
        ...ids.map((id) => api.gql<Gql>(MARK_PAID, { input: { quoteId: id } }, t.owner.token)),
      ]);
      for (const id of ids) {
        const quote = await api.gql<Gql>(QUOTE, { id }, t.owner.token);
        expect(quote.data.quote.status).toBe('PAID');
        const kinds = quote.data.quote.activity.map((e: Gql) => e.kind);
        // A nudge, if one went out, went out before the payment was recorded.
        expect(kinds.indexOf('FOLLOW_UP_SENT')).toBeLessThan(kinds.indexOf('MARKED_PAID'));
        expect(kinds.filter((k: string) => k === 'FOLLOW_UP_SENT').length).toBeLessThanOrEqual(1);
        const [pending] = await api.db.manager.query(
          `SELECT count(*)::int AS n FROM quote_follow_ups WHERE quote_id = $1 AND status = 'PENDING'`,
          [id],
        );
        expect(pending.n).toBe(0);
      }
    });
  });
});

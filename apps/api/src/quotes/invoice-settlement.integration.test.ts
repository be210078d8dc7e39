import { createCustomer, type SignedUp, type TestApi, startTestApi } from '../test/harness';
import { WRITE_PATHS } from '../test/write-paths';

/**
 * Issue 11, the invoice half: one settlement rule whichever flow records the money, Mark paid and
 * Mark unpaid as ledger entries, revenue counting cash once, partial refunds (and their races),
 * reason categories, and the portal's refund fields.
 */
type Gql = any;

const ERRORS = `userErrors { code field message }`;
const QUOTE_FIELDS = `id status paidAt followUpsActive total { amount currency }
  outstanding { amount } paidAmount { amount } refundedAmount { amount } refundableAmount { amount }
  case { status }
  refund { id amount { amount } }
  refunds { id amount { amount currency } reason reasonCategory recordedAt }
  activity { kind message reason }`;
const QUOTE = `query ($id: ID!) { quote(id: $id) { ${QUOTE_FIELDS} } }`;
const MARK_PAID = `mutation ($input: MarkPaidInput!) { markQuotePaid(input: $input) { quote { ${QUOTE_FIELDS} } ${ERRORS} } }`;
const MARK_UNPAID = `mutation ($id: ID!) { markQuoteUnpaid(quoteId: $id) { quote { ${QUOTE_FIELDS} } ${ERRORS} } }`;
const REFUND = `mutation ($input: RecordRefundInput!) {
  recordRefund(input: $input) { refund { id amount { amount } reasonCategory } quote { ${QUOTE_FIELDS} } ${ERRORS} } }`;
const CREDIT_NOTE = `mutation ($input: CreateCreditNoteInput!) { createCreditNote(input: $input) { credit { id } ${ERRORS} } }`;
const PAYMENT = `mutation ($input: RecordPaymentInput!) { recordPayment(input: $input) { credit { id } ${ERRORS} } }`;
const ALLOCATE = `mutation ($input: AllocateCreditInput!) { allocateCredit(input: $input) { credit { id outstanding { amount } } ${ERRORS} } }`;
const STATEMENT = `query ($customerId: ID!) { customerAccount(customerId: $customerId) {
  balance { amount } statement(first: 100) { nodes { kind description debit { amount } credit { amount } balance { amount } } } } }`;
const REVENUE = `{ revenue(days: 14) { total { amount } days { date net { amount } } } }`;
const STATS = `{ quoteStats { invoicesPaidCount } }`;
const BY_REASON = `query ($days: Int) { refundsByReason(days: $days) { reason count amount { amount currency } } }`;

const NOW = new Date('2026-03-14T12:00:00.000Z');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe.each(WRITE_PATHS)(
  'one settlement rule, partial refunds and the portal (issue 11) (refunds: %s)',
  (writePath) => {
    let api: TestApi;
    let owner: SignedUp;

    const gql = async (query: string, variables: Record<string, unknown> = {}) => {
      const result = await api.gql<Gql>(query, variables, owner.token);
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data;
    };

    /** A GBP invoice of `total`, created, sent and accepted, for a new customer. */
    async function invoice(total: string, name = 'Kofi Mensah') {
      const customerId = await createCustomer(api, owner, name);
      const created = await gql(
        `mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id } ${ERRORS} } }`,
        {
          input: {
            customerId,
            lineItems: [
              { description: 'Deep clean', quantity: '1', unitPrice: total },
              { description: 'Windows', quantity: '2', unitPrice: '0' },
            ],
          },
        },
      );
      const id = created.createQuote.quote.id as string;
      for (const step of ['sendQuote', 'acceptQuote']) {
        const moved = await gql(`mutation ($id: ID!) { ${step}(quoteId: $id) { ${ERRORS} } }`, {
          id,
        });
        expect(moved[step].userErrors).toEqual([]);
      }
      return { id, customerId };
    }

    async function paidInvoice(total: string, name?: string) {
      const found = await invoice(total, name);
      const paid = await gql(MARK_PAID, { input: { quoteId: found.id } });
      expect(paid.markQuotePaid.userErrors).toEqual([]);
      return found;
    }

    beforeAll(async () => {
      api = await startTestApi({ now: NOW, groupCommit: writePath === 'group commit' });
      owner = await api.signUp({ country: 'GB', currency: 'GBP', timezone: 'Europe/London' });
    });
    afterAll(() => api.close());
    beforeEach(() => api.clock.set(NOW));

    describe('an invoice settled by the accounts flow', () => {
      it('a £20 invoice paid by a credit note is PAID, and Mark paid is then refused', async () => {
        const { id, customerId } = await invoice('20.00', 'Settled by a note');
        const before = (await gql(STATS)).quoteStats.invoicesPaidCount;
        const note = await gql(CREDIT_NOTE, {
          input: { customerId, amount: { amount: '25.00', currency: 'GBP' }, reason: 'Goodwill' },
        });
        api.clock.advance(MINUTE);
        const allocated = await gql(ALLOCATE, {
          input: { creditId: note.createCreditNote.credit.id, quoteId: id, amount: '20.00' },
        });
        expect(allocated.allocateCredit.userErrors).toEqual([]);

        const quote = (await gql(QUOTE, { id })).quote;
        expect(quote).toMatchObject({
          status: 'PAID',
          paidAt: new Date(NOW.getTime() + MINUTE).toISOString(),
          followUpsActive: false,
          outstanding: { amount: '0.00' },
          // No payment was marked: the SPA reads this to leave "Mark unpaid" out.
          paidAmount: { amount: '0.00' },
          refundableAmount: { amount: '20.00' },
          case: { status: 'WON' },
        });
        expect(quote.activity.at(-1)).toMatchObject({
          kind: 'SETTLED',
          message: "Paid in full: credits on the customer's account settle the £20.00 total.",
        });
        expect((await gql(STATS)).quoteStats.invoicesPaidCount).toBe(before + 1);

        const again = await gql(MARK_PAID, { input: { quoteId: id } });
        expect(again.markQuotePaid.userErrors[0]).toMatchObject({ code: 'INVALID_STATE' });
        // A credit note is not cash: revenue does not count the invoice it settles (ACCOUNTING.md).
        const [payments] = await api.db.manager.query(
          `SELECT count(*)::int AS n FROM quote_payments WHERE quote_id = $1`,
          [id],
        );
        expect(payments.n).toBe(0);
        const unpaid = await gql(MARK_UNPAID, { id });
        expect(unpaid.markQuoteUnpaid.userErrors[0]).toMatchObject({ code: 'INVALID_STATE' });
      });

      it('revenue counts cash once: an account payment when it settles the invoice, a credit note never', async () => {
        const start = (await gql(REVENUE)).revenue.total.amount;
        const byNote = await invoice('20.00', 'Cash once A');
        const note = await gql(CREDIT_NOTE, {
          input: { customerId: byNote.customerId, amount: { amount: '20.00', currency: 'GBP' } },
        });
        await gql(ALLOCATE, {
          input: { creditId: note.createCreditNote.credit.id, quoteId: byNote.id, amount: '20.00' },
        });
        expect((await gql(REVENUE)).revenue.total.amount).toBe(start);

        const byPayment = await invoice('30.00', 'Cash once B');
        const payment = await gql(PAYMENT, {
          input: {
            customerId: byPayment.customerId,
            amount: { amount: '45.00', currency: 'GBP' },
            quoteId: byPayment.id,
          },
        });
        expect(payment.recordPayment.userErrors).toEqual([]);
        expect((await gql(QUOTE, { id: byPayment.id })).quote.status).toBe('PAID');
        // The £15 overpayment stays on account, not in revenue.
        expect(Number((await gql(REVENUE)).revenue.total.amount)).toBe(Number(start) + 30);
      });
    });

    describe('Mark paid and Mark unpaid are ledger entries', () => {
      it('Mark paid shows on the statement; Mark unpaid adds a reversing entry and never edits it', async () => {
        const { id, customerId } = await invoice('80.00', 'Ledger entries');
        const start = Number((await gql(REVENUE)).revenue.total.amount);
        const note = await gql(CREDIT_NOTE, {
          input: { customerId, amount: { amount: '30.00', currency: 'GBP' } },
        });
        api.clock.advance(MINUTE);
        await gql(ALLOCATE, {
          input: { creditId: note.createCreditNote.credit.id, quoteId: id, amount: '30.00' },
        });
        api.clock.advance(MINUTE);
        const paid = await gql(MARK_PAID, { input: { quoteId: id } });
        expect(paid.markQuotePaid.quote).toMatchObject({
          status: 'PAID',
          outstanding: { amount: '0.00' },
          paidAmount: { amount: '50.00' },
        });
        // Only the £50 still owed arrived as cash.
        expect(paid.markQuotePaid.quote.activity.at(-1).message).toBe(
          'Marked paid: £50.00 received.',
        );
        expect(Number((await gql(REVENUE)).revenue.total.amount)).toBe(start + 50);

        api.clock.advance(DAY);
        const unpaid = await gql(MARK_UNPAID, { id });
        expect(unpaid.markQuoteUnpaid.userErrors).toEqual([]);
        expect(unpaid.markQuoteUnpaid.quote).toMatchObject({
          status: 'ACCEPTED',
          paidAt: null,
          outstanding: { amount: '50.00' },
          paidAmount: { amount: '0.00' },
        });
        // The reversal is its own dated movement: today's revenue dips by what yesterday gained.
        const revenue = (await gql(REVENUE)).revenue;
        expect(Number(revenue.total.amount)).toBe(start);
        expect(revenue.days.at(-1).net.amount).toBe('-50.00');

        const rows = await api.db.manager.query(
          `SELECT kind, amount_minor::text AS amount, reverses_id IS NOT NULL AS links
           FROM quote_payments WHERE quote_id = $1 ORDER BY recorded_at`,
          [id],
        );
        expect(rows).toEqual([
          { kind: 'PAYMENT', amount: '5000', links: false },
          { kind: 'REVERSAL', amount: '5000', links: true },
        ]);
        const account = (await gql(STATEMENT, { customerId })).customerAccount;
        expect(
          account.statement.nodes.map((l: Gql) => [
            l.kind,
            l.description,
            l.debit?.amount ?? null,
            l.credit?.amount ?? null,
            l.balance.amount,
          ]),
        ).toEqual([
          ['INVOICE', null, '80.00', null, '80.00'],
          ['CREDIT_NOTE', null, null, '30.00', '50.00'],
          ['ALLOCATION', 'Allocated 30.00 GBP', null, null, '50.00'],
          ['PAYMENT', 'Invoice marked paid', null, '50.00', '0.00'],
          ['PAYMENT', 'Payment reversed: invoice marked unpaid', '50.00', null, '50.00'],
        ]);
        expect(account.balance.amount).toBe('50.00');

        // Paid again: a new payment entry, and the audit log has both actions with the amounts.
        api.clock.advance(MINUTE);
        const again = await gql(MARK_PAID, { input: { quoteId: id } });
        expect(again.markQuotePaid.quote.status).toBe('PAID');
        const audit = await api.db.manager.query(
          `SELECT action, changes FROM audit_entries
          WHERE subject_id = $1 AND action LIKE 'INVOICE_%' ORDER BY at`,
          [id],
        );
        expect(audit.map((a: Gql) => a.action)).toEqual([
          'INVOICE_MARKED_PAID',
          'INVOICE_MARKED_UNPAID',
          'INVOICE_MARKED_PAID',
        ]);
        expect(audit[1].changes).toContainEqual({
          field: 'outstanding',
          before: '0.00',
          after: '50.00',
        });
      });
    });

    describe('partial refunds', () => {
      it('refunds in parts: stays PAID until the refunds reach the total, then REFUNDED for good', async () => {
        // Sixteen days on: the 14-day revenue window holds this invoice's movements only.
        api.clock.set(new Date(NOW.getTime() + 16 * DAY));
        const { id, customerId } = await paidInvoice('250.00', 'Partial refunds');
        const start = Number((await gql(REVENUE)).revenue.total.amount);
        expect(start).toBe(250);
        api.clock.advance(DAY);
        const first = await gql(REFUND, {
          input: {
            quoteId: id,
            amount: '100.00',
            reason: 'One room skipped',
            reasonCategory: 'NOT_DELIVERED',
          },
        });
        expect(first.recordRefund.userErrors).toEqual([]);
        expect(first.recordRefund.refund).toMatchObject({
          amount: { amount: '100.00' },
          reasonCategory: 'NOT_DELIVERED',
        });
        expect(first.recordRefund.quote).toMatchObject({
          status: 'PAID',
          refundedAmount: { amount: '100.00' },
          refundableAmount: { amount: '150.00' },
          refund: null,
          case: { status: 'WON' },
        });
        expect(first.recordRefund.quote.activity.at(-1)).toMatchObject({
          kind: 'REFUND_RECORDED',
          message:
            'Partial refund recorded: £100.00 of £250.00 (£100.00 refunded so far, £150.00 still refundable).',
          reason: 'One room skipped',
        });

        const tooMuch = await gql(REFUND, { input: { quoteId: id, amount: '150.01' } });
        expect(tooMuch.recordRefund.userErrors).toEqual([
          {
            code: 'AMOUNT_EXCEEDS_REFUNDABLE',
            field: ['input', 'amount'],
            message: 'Only £150.00 of this invoice can still be refunded. Refund at most that.',
          },
        ]);
        for (const amount of ['0', '-1.00', '1.001']) {
          const bad = await api.gql<Gql>(REFUND, { input: { quoteId: id, amount } }, owner.token);
          const code =
            bad.data?.recordRefund?.userErrors[0]?.code ?? bad.errors?.[0]?.extensions?.code;
          expect(['INVALID_AMOUNT', 'BAD_USER_INPUT']).toContain(code);
        }

        api.clock.advance(DAY);
        const rest = await gql(REFUND, { input: { quoteId: id, reasonCategory: 'CANCELLED' } });
        expect(rest.recordRefund.refund.amount.amount).toBe('150.00');
        const quote = rest.recordRefund.quote;
        expect(quote).toMatchObject({
          status: 'REFUNDED',
          refundedAmount: { amount: '250.00' },
          refundableAmount: { amount: '0.00' },
          refund: { id: rest.recordRefund.refund.id, amount: { amount: '150.00' } },
          case: { status: 'LOST' },
          followUpsActive: false,
        });
        expect(quote.refunds.map((r: Gql) => [r.amount.amount, r.reasonCategory])).toEqual([
          ['100.00', 'NOT_DELIVERED'],
          ['150.00', 'CANCELLED'],
        ]);
        expect(quote.activity.filter((e: Gql) => e.kind === 'REFUND_RECORDED')).toHaveLength(2);
        // Each refund is in the audit log with the refunded amount before and after, and its reason.
        const audit = await api.db.manager.query(
          `SELECT changes, reason FROM audit_entries
          WHERE subject_id = $1 AND action = 'REFUND_RECORDED' ORDER BY at`,
          [id],
        );
        expect(audit.map((a: Gql) => [a.changes, a.reason])).toEqual([
          [
            [
              { field: 'status', before: 'PAID', after: 'PAID' },
              { field: 'refunded', before: '0.00', after: '100.00' },
            ],
            'One room skipped',
          ],
          [
            [
              { field: 'status', before: 'PAID', after: 'REFUNDED' },
              { field: 'refunded', before: '100.00', after: '250.00' },
            ],
            null,
          ],
        ]);
        const after = await gql(REFUND, { input: { quoteId: id, amount: '1.00' } });
        expect(after.recordRefund.userErrors[0].code).toBe('ALREADY_REFUNDED');

        // Revenue subtracts each refund on its own day.
        const revenue = (await gql(REVENUE)).revenue;
        expect(Number(revenue.total.amount)).toBe(start - 250);
        expect(revenue.days.slice(-2).map((d: Gql) => d.net.amount)).toEqual([
          '-100.00',
          '-150.00',
        ]);
        // Each refund cancels its part of the invoice on the statement and pays it out.
        const account = (await gql(STATEMENT, { customerId })).customerAccount;
        expect(account.statement.nodes.map((l: Gql) => l.kind)).toEqual([
          'INVOICE',
          'PAYMENT',
          'CREDIT_NOTE',
          'REFUND',
          'CREDIT_NOTE',
          'REFUND',
        ]);
        expect(account.balance.amount).toBe('0.00');

        // Money paid out from the customer's account counts by its reason too.
        const bank = await gql(
          `mutation { createBankAccount(input: { name: "Barclays", currency: "GBP" }) { bankAccount { id } } }`,
        );
        const note = await gql(CREDIT_NOTE, {
          input: { customerId, amount: { amount: '120.00', currency: 'GBP' } },
        });
        const paidOut = await gql(
          `mutation ($input: RefundCreditNoteInput!) { refundCreditNote(input: $input) { ${ERRORS} } }`,
          {
            input: {
              creditId: note.createCreditNote.credit.id,
              bankAccountId: bank.createBankAccount.bankAccount.id,
              reasonCategory: 'CANCELLED',
            },
          },
        );
        expect(paidOut.refundCreditNote.userErrors).toEqual([]);
        const byReason = (await gql(BY_REASON, { days: 14 })).refundsByReason;
        expect(byReason).toEqual([
          { reason: 'CANCELLED', count: 2, amount: { amount: '270.00', currency: 'GBP' } },
          { reason: 'NOT_DELIVERED', count: 1, amount: { amount: '100.00', currency: 'GBP' } },
        ]);
      });

      it('twenty racing partial refunds of one invoice never refund more than was paid', async () => {
        const { id } = await paidInvoice('100.00', 'Racing refunds');
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            api.gql<Gql>(
              REFUND,
              { input: { quoteId: id, amount: '30.00', reason: `attempt ${i}` } },
              owner.token,
            ),
          ),
        );
        const codes = results.map((r) =>
          r.data?.recordRefund?.refund
            ? 'OK'
            : (r.data?.recordRefund?.userErrors[0]?.code ?? 'ERR'),
        );
        expect(codes.filter((c) => c === 'OK')).toHaveLength(3);
        expect(codes.filter((c) => c !== 'OK')).toEqual(
          Array(17).fill('AMOUNT_EXCEEDS_REFUNDABLE'),
        );
        const [row] = await api.db.manager.query(
          `SELECT count(*)::int AS n, sum(amount_minor)::text AS total FROM quote_refunds WHERE quote_id = $1`,
          [id],
        );
        expect(row).toEqual({ n: 3, total: '9000' });
        const rest = await gql(REFUND, { input: { quoteId: id } });
        expect(rest.recordRefund.refund.amount.amount).toBe('10.00');
        expect(rest.recordRefund.quote.status).toBe('REFUNDED');
      });
    });

    describe('money written one way', () => {
      it('shows feed entries written in the old "345.50 GBP … 2026-03-14" style as new ones are', async () => {
        const { id } = await paidInvoice('345.50', 'Old feed');
        await api.db.manager.query(
          `INSERT INTO quote_activity (id, business_id, quote_id, kind, at, message)
         VALUES (gen_random_uuid(), $1, $2, 'MARKED_PAID', $3,
                 'Marked paid: 345.50 GBP received on 2026-03-09.'),
                (gen_random_uuid(), $1, $2, 'NOTE_ADDED', $3, 'Customer said 345.50 GBP by card')`,
          [owner.businessId, id, new Date(NOW.getTime() + MINUTE)],
        );
        const feed = (await gql(QUOTE, { id })).quote.activity.map((e: Gql) => e.message);
        expect(feed).toEqual([
          'Quote created for £345.50.',
          'Quote sent to the customer.',
          'Quote accepted: it is now an invoice.',
          'Marked paid: £345.50 received.',
          'Marked paid: £345.50 received on 9 Mar 2026.',
          // A person's words are theirs.
          'Customer said 345.50 GBP by card',
        ]);
      });
    });

    describe('the portal', () => {
      it('shows the line items, how much came back and when, for a partly refunded invoice', async () => {
        const { id, customerId } = await paidInvoice('345.50', 'Portal customer');
        api.clock.advance(DAY);
        await gql(REFUND, { input: { quoteId: id, amount: '100.00', reason: 'One room skipped' } });
        const path = (
          await gql(`query ($id: ID!) { customer(id: $id) { portalPath } }`, { id: customerId })
        ).customer.portalPath as string;
        const portal = await api.gql<Gql>(
          `query ($token: String!) { portal(token: $token) { businessCountry quotes {
           number status total { amount } refundedAmount { amount currency } refundedAt
           lineItems { description quantity total { amount } } refundBanner { message reason } } } }`,
          { token: path.replace('/c/', '') },
        );
        expect(portal.errors).toBeUndefined();
        expect(portal.data.portal.businessCountry).toBe('GB');
        expect(portal.data.portal.quotes).toEqual([
          expect.objectContaining({
            status: 'PAID',
            refundedAmount: { amount: '100.00', currency: 'GBP' },
            refundedAt: new Date(NOW.getTime() + DAY).toISOString(),
            lineItems: [
              { description: 'Deep clean', quantity: '1', total: { amount: '345.50' } },
              { description: 'Windows', quantity: '2', total: { amount: '0.00' } },
            ],
            refundBanner: {
              message: expect.stringMatching(
                /refunded £100\.00 of £345\.50 on 15 Mar 2026\. One room skipped$/,
              ),
              reason: 'One room skipped',
            },
          }),
        ]);
      });
    });
  },
);

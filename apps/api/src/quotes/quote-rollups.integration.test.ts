import { createCustomer, type SignedUp, type TestApi, startTestApi } from '../test/harness';
import { WRITE_PATHS } from '../test/write-paths';

/**
 * Issue 15: the quotes flow's kept totals (quotes.paid_minor / refunded_minor /
 * cash_allocated_minor, quote_status_counts, quote_invoiced_months, quote_revenue_days) equal
 * what the ledger entries give, computed here with SQL straight from the entries, after a mixed
 * run of every writer — payments (backdated too), Mark unpaid, partial and full refunds, racing
 * refunds of one invoice and of many, account payments and credit notes allocated, a void that
 * releases an account payment — across several business-local days; and so does the rebuild
 * function the migration backfilled with.
 */
type Gql = any;

const ERRORS = `userErrors { code field message }`;
const NOW = new Date('2026-03-14T03:30:00.000Z'); // still the 13th in New York
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Each kept total, and the same figure from the entries, for one business. */
const CHECKS: Array<{ name: string; kept: string; entries: string }> = [
  {
    name: 'quotes kept ledger totals',
    kept: `SELECT id::text AS k, paid_minor::text AS a, refunded_minor::text AS b,
                  cash_allocated_minor::text AS c
             FROM quotes WHERE business_id = $1`,
    entries: `SELECT q.id::text AS k,
         COALESCE((SELECT SUM(CASE p.kind WHEN 'PAYMENT' THEN p.amount_minor ELSE -p.amount_minor END)
                     FROM quote_payments p WHERE p.quote_id = q.id), 0)::text AS a,
         COALESCE((SELECT SUM(r.amount_minor) FROM quote_refunds r WHERE r.quote_id = q.id), 0)::text AS b,
         (CASE WHEN q.status IN ('ACCEPTED', 'PAID', 'REFUNDED') THEN
            COALESCE((SELECT SUM(a.amount_minor) FROM account_allocations a
                        JOIN account_credits c ON c.id = a.credit_id AND c.kind = 'PAYMENT'
                       WHERE a.quote_id = q.id), 0) ELSE 0 END)::text AS c
       FROM quotes q WHERE q.business_id = $1`,
  },
  {
    name: 'quote_status_counts',
    kept: `SELECT status AS k, quotes::text AS a FROM quote_status_counts
            WHERE business_id = $1 AND quotes <> 0`,
    entries: `SELECT status AS k, count(*)::text AS a FROM quotes WHERE business_id = $1 GROUP BY status`,
  },
  {
    name: 'quote_invoiced_months',
    kept: `SELECT month AS k, invoiced_minor::text AS a FROM quote_invoiced_months
            WHERE business_id = $1 AND invoiced_minor <> 0`,
    entries: `SELECT to_char(q.accepted_at AT TIME ZONE b.timezone, 'YYYY-MM') AS k,
                     SUM(q.total_minor)::text AS a
                FROM quotes q JOIN businesses b ON b.id = q.business_id
               WHERE q.business_id = $1 AND q.status IN ('ACCEPTED', 'PAID')
               GROUP BY 1`,
  },
  {
    name: 'quote_revenue_days',
    kept: `SELECT to_char(day, 'YYYY-MM-DD') AS k, SUM(received_minor)::text AS a,
                  SUM(refunded_minor)::text AS b
             FROM quote_revenue_days WHERE business_id = $1
            GROUP BY day HAVING SUM(received_minor) <> 0 OR SUM(refunded_minor) <> 0`,
    entries: `SELECT to_char((m.at AT TIME ZONE b.timezone)::date, 'YYYY-MM-DD') AS k,
                     SUM(m.received)::text AS a, SUM(m.refunded)::text AS b
                FROM (SELECT business_id, paid_at AS at,
                             CASE kind WHEN 'PAYMENT' THEN amount_minor ELSE -amount_minor END AS received,
                             0 AS refunded
                        FROM quote_payments
                      UNION ALL
                      SELECT a.business_id, a.created_at, a.amount_minor, 0
                        FROM account_allocations a
                        JOIN account_credits c ON c.id = a.credit_id AND c.kind = 'PAYMENT'
                        JOIN quotes q ON q.id = a.quote_id AND q.status IN ('ACCEPTED', 'PAID', 'REFUNDED')
                      UNION ALL
                      SELECT business_id, recorded_at, 0, amount_minor FROM quote_refunds) m
                JOIN businesses b ON b.id = m.business_id
               WHERE m.business_id = $1
               GROUP BY 1 HAVING SUM(m.received) <> 0 OR SUM(m.refunded) <> 0`,
  },
];

describe.each(WRITE_PATHS)(
  'kept quote totals equal the entries (issue 15) (refunds: %s)',
  (writePath) => {
    let api: TestApi;
    let owner: SignedUp;

    const gql = async (query: string, variables: Record<string, unknown> = {}) => {
      const result = await api.gql<Gql>(query, variables, owner.token);
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data;
    };
    const ok = (payload: { userErrors: unknown[] }) => expect(payload.userErrors).toEqual([]);

    async function invoice(total: string, customerId?: string) {
      const customer = customerId ?? (await createCustomer(api, owner));
      const created = await gql(
        `mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id } ${ERRORS} } }`,
        {
          input: {
            customerId: customer,
            lineItems: [{ description: 'Deep clean', quantity: '1', unitPrice: total }],
          },
        },
      );
      const id = created.createQuote.quote.id as string;
      for (const step of ['sendQuote', 'acceptQuote']) {
        ok(
          (await gql(`mutation ($id: ID!) { ${step}(quoteId: $id) { ${ERRORS} } }`, { id }))[step],
        );
      }
      return { id, customerId: customer };
    }
    const markPaid = async (quoteId: string, paidAt?: Date) =>
      ok(
        (
          await gql(
            `mutation ($input: MarkPaidInput!) { markQuotePaid(input: $input) { ${ERRORS} } }`,
            { input: { quoteId, paidAt: paidAt?.toISOString() } },
          )
        ).markQuotePaid,
      );
    const refund = (quoteId: string, amount?: string) =>
      api.gql<Gql>(
        `mutation ($input: RecordRefundInput!) { recordRefund(input: $input) {
         refund { id amount { amount } } quote { status refundedAmount { amount } refundableAmount { amount } }
         ${ERRORS} } }`,
        { input: { quoteId, amount } },
        owner.token,
      );
    const step = async (name: string, quoteId: string) =>
      ok(
        (await gql(`mutation ($id: ID!) { ${name}(quoteId: $id) { ${ERRORS} } }`, { id: quoteId }))[
          name
        ],
      );

    async function expectKeptEqualsEntries() {
      for (const check of CHECKS) {
        const sorted = (rows: Array<Record<string, string>>) =>
          rows.map((row) => JSON.stringify(row)).sort();
        const kept = await api.db.manager.query(check.kept, [owner.businessId]);
        const entries = await api.db.manager.query(check.entries, [owner.businessId]);
        // Never an empty comparison: the run above gives every total something to hold.
        expect({ check: check.name, some: entries.length > 0 }).toEqual({
          check: check.name,
          some: true,
        });
        expect({ check: check.name, rows: sorted(kept) }).toEqual({
          check: check.name,
          rows: sorted(entries),
        });
      }
    }

    beforeAll(async () => {
      api = await startTestApi({ now: NOW, groupCommit: writePath === 'group commit' });
      owner = await api.signUp({ country: 'US', currency: 'USD', timezone: 'America/New_York' });
    });
    afterAll(() => api.close());

    it('after a mixed run with races, every kept total equals its entries, and the rebuild agrees', async () => {
      // Drafts, a void, and quotes left SENT.
      const draftCustomer = await createCustomer(api, owner);
      await gql(
        `mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id } } }`,
        {
          input: {
            customerId: draftCustomer,
            lineItems: [{ description: 'x', quantity: '1', unitPrice: '5.00' }],
          },
        },
      );
      const voided = await invoice('12.00');
      await step('voidQuote', voided.id);

      // Paid today, paid backdated by two days, partly and fully refunded.
      const a = await invoice('100.00');
      await markPaid(a.id);
      const b = await invoice('80.00');
      await markPaid(b.id, new Date(NOW.getTime() - 50 * HOUR));
      api.clock.advance(2 * HOUR); // past midnight in New York: a new business day
      expect((await refund(a.id, '10.00')).data.recordRefund.userErrors).toEqual([]);
      expect((await refund(b.id)).data.recordRefund.quote.status).toBe('REFUNDED');

      // Marked paid by mistake, then unpaid (a reversal), then paid again.
      const c = await invoice('40.00');
      await markPaid(c.id);
      api.clock.advance(MINUTE);
      await step('markQuoteUnpaid', c.id);
      api.clock.advance(MINUTE);
      await markPaid(c.id);

      // Settled by an account payment (cash) and by a credit note (not cash).
      const d = await invoice('30.00');
      ok(
        (
          await gql(
            `mutation ($input: RecordPaymentInput!) { recordPayment(input: $input) { ${ERRORS} } }`,
            {
              input: {
                customerId: d.customerId,
                amount: { amount: '45.00', currency: 'USD' },
                quoteId: d.id,
              },
            },
          )
        ).recordPayment,
      );
      const e = await invoice('25.00');
      const note = await gql(
        `mutation ($input: CreateCreditNoteInput!) { createCreditNote(input: $input) { credit { id } ${ERRORS} } }`,
        { input: { customerId: e.customerId, amount: { amount: '25.00', currency: 'USD' } } },
      );
      ok(
        (
          await gql(
            `mutation ($input: AllocateCreditInput!) { allocateCredit(input: $input) { ${ERRORS} } }`,
            {
              input: { creditId: note.createCreditNote.credit.id, quoteId: e.id, amount: '10.00' },
            },
          )
        ).allocateCredit,
      );
      await markPaid(e.id);
      // A partial account payment on an invoice that is then voided: revenue lets it go again.
      const f = await invoice('60.00');
      ok(
        (
          await gql(
            `mutation ($input: RecordPaymentInput!) { recordPayment(input: $input) { ${ERRORS} } }`,
            {
              input: {
                customerId: f.customerId,
                amount: { amount: '20.00', currency: 'USD' },
                quoteId: f.id,
              },
            },
          )
        ).recordPayment,
      );
      api.clock.advance(HOUR);
      await step('voidQuote', f.id);

      // Races: 20 refunds of $30 on one $100 invoice (exactly 3 fit), and one refund on each of
      // eight invoices at once (they share the business's kept rows).
      const raced = await invoice('100.00');
      await markPaid(raced.id);
      const many = [];
      for (let i = 0; i < 8; i++) {
        const one = await invoice('50.00');
        await markPaid(one.id);
        many.push(one.id);
      }
      api.clock.advance(HOUR);
      const results = await Promise.all([
        ...Array.from({ length: 20 }, () => refund(raced.id, '30.00')),
        ...many.map((id, i) => refund(id, i % 2 === 0 ? undefined : '5.00')),
      ]);
      const racedOk = results
        .slice(0, 20)
        .filter((r) => r.data?.recordRefund?.refund && r.data.recordRefund.userErrors.length === 0);
      expect(racedOk).toHaveLength(3);
      expect(results.slice(20).every((r) => r.data?.recordRefund?.userErrors.length === 0)).toBe(
        true,
      );
      // The payload of each success says what was refunded so far, from its own transaction.
      const soFar = racedOk.map((r) => r.data.recordRefund.quote.refundedAmount.amount).sort();
      expect(soFar).toEqual(['30.00', '60.00', '90.00']);

      await expectKeptEqualsEntries();

      // The read side: revenue and the header agree with the entries too.
      const revenue = (
        await gql(`{ revenue(days: 7) { total { amount } days { date net { amount } } } }`)
      ).revenue;
      const expectedDays: Array<{ k: string; a: string; b: string }> = await api.db.manager.query(
        CHECKS[3]!.entries,
        [owner.businessId],
      );
      const net = (k: string) => {
        const day = expectedDays.find((row) => row.k === k);
        return day ? (Number(day.a) - Number(day.b)) / 100 : 0;
      };
      for (const day of revenue.days) expect(Number(day.net.amount)).toBeCloseTo(net(day.date), 2);
      const stats = (await gql(`{ quoteStats { invoicesPaidCount tabCounts { tab count } } }`))
        .quoteStats;
      const [paid] = await api.db.manager.query(
        `SELECT count(*)::int AS n FROM quotes WHERE business_id = $1 AND status = 'PAID'`,
        [owner.businessId],
      );
      expect(stats.invoicesPaidCount).toBe(paid.n);
      const all = stats.tabCounts.find((t: { tab: string }) => t.tab === 'ALL').count;
      const [count] = await api.db.manager.query(
        `SELECT count(*)::int AS n FROM quotes WHERE business_id = $1`,
        [owner.businessId],
      );
      expect(all).toBe(count.n);

      // The rebuild (the migration's backfill, and the lead's after a bulk load) gives the same.
      const snapshot = async () =>
        Promise.all(CHECKS.map((c) => api.db.manager.query(c.kept, [owner.businessId])));
      const before = await snapshot();
      await api.db.manager.query(`SELECT quote_rollups_rebuild($1)`, [owner.businessId]);
      const sortRows = (sets: Array<Array<Record<string, string>>>) =>
        sets.map((rows) => rows.map((row) => JSON.stringify(row)).sort());
      expect(sortRows(await snapshot())).toEqual(sortRows(before));
      await expectKeptEqualsEntries();
    }, 120_000);
  },
);

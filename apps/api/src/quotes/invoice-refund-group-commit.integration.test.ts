import { invoiceRefundBatchAlone, invoiceRefundBatchSize } from '../platform/observability/metrics';
import { groupCommitCounts } from '../test/write-paths';
import { createCustomer, type SignedUp, startTestApi, type TestApi } from '../test/harness';

type Gql = any;

const REFUND = `mutation ($input: RecordRefundInput!) {
  recordRefund(input: $input) {
    refund { id amount { amount currency } }
    quote { id status followUpsActive case { status } }
    userErrors { code }
  }
}`;

const batches = () => groupCommitCounts(invoiceRefundBatchSize, invoiceRefundBatchAlone);

/**
 * The invoice refund group commit (invoice-refund.batch.ts) on PostgreSQL: racing refunds of
 * several invoices of two businesses are written several to a transaction, and what they leave is
 * what each alone would have left. The same refunds one by one and racing are covered on both
 * paths in quotes, invoice-settlement and quote-rollups.
 */
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;

onPostgres('the invoice refund group commit', () => {
  let api: TestApi;
  let businesses: SignedUp[];

  beforeAll(async () => {
    api = await startTestApi({ groupCommit: true });
    businesses = [await api.signUp(), await api.signUp()];
  });
  afterAll(() => api.close());

  const query = <T = any>(text: string, params: unknown[]): Promise<T[]> =>
    api.db.manager.query(text, params);

  const gql = async (business: SignedUp, text: string, variables: Record<string, unknown>) => {
    const result = await api.gql<Gql>(text, variables, business.token);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data;
  };

  /** A paid invoice of 100.00 (a case WON, follow-ups planned until it was paid). */
  async function paidInvoice(business: SignedUp, customerId: string): Promise<string> {
    const created = await gql(
      business,
      `mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id } } }`,
      {
        input: {
          customerId,
          lineItems: [{ description: 'Support', quantity: '1', unitPrice: '100.00' }],
        },
      },
    );
    const quoteId = created.createQuote.quote.id as string;
    for (const step of ['sendQuote', 'acceptQuote']) {
      await gql(business, `mutation ($id: ID!) { ${step}(quoteId: $id) { userErrors { code } } }`, {
        id: quoteId,
      });
    }
    await gql(
      business,
      `mutation ($input: MarkPaidInput!) { markQuotePaid(input: $input) { userErrors { code } } }`,
      { input: { quoteId } },
    );
    return quoteId;
  }

  it('writes racing refunds of two businesses together, each exactly as alone', async () => {
    // Each business: two customers with two paid invoices of 100.00 each (four per business).
    const invoices = (
      await Promise.all(
        businesses.flatMap((business) =>
          [0, 1].map(async (i) => {
            const customerId = await createCustomer(api, business, `Customer ${i}`);
            return [
              { business, customerId, quoteId: await paidInvoice(business, customerId) },
              { business, customerId, quoteId: await paidInvoice(business, customerId) },
            ];
          }),
        ),
      )
    ).flat();
    const eventsBefore = new Map<string, number>();
    for (const business of businesses) {
      const [row] = await query(`SELECT count(*)::int AS n FROM events WHERE business_id = $1`, [
        business.businessId,
      ]);
      eventsBefore.set(business.businessId, row.n);
    }
    const before = await batches();

    // Per invoice: twelve refunds of 10.00 with their own keys (only ten fit in what was paid),
    // and the first key sent three times: all race.
    const requests = invoices.flatMap((invoice, n) =>
      Array.from({ length: 14 }, (_, i) => ({
        invoice,
        input: {
          quoteId: invoice.quoteId,
          amount: '10.00',
          reasonCategory: 'GOODWILL',
          idempotencyKey: `gc-${n}-${i < 3 ? 0 : i - 2}`,
        },
      })),
    );
    const results = await Promise.all(
      requests.map(async (request) => ({
        request,
        answer: (await gql(request.invoice.business, REFUND, { input: request.input }))
          .recordRefund,
      })),
    );

    const after = await batches();
    expect(after.failed).toBe(before.failed);
    // Batches formed: fewer transactions than refunds (one invoice's refunds queue on its lock,
    // so the ones that arrive meanwhile are written together).
    expect(after.count - before.count).toBeLessThan(after.useCases - before.useCases);

    for (const [n, invoice] of invoices.entries()) {
      const mine = results.filter((r) => r.request.invoice === invoice);
      // The repeated key: one refund, the same answer three times.
      const repeated = mine.filter((r) => r.request.input.idempotencyKey === `gc-${n}-0`);
      expect(new Set(repeated.map((r) => r.answer.refund?.id)).size).toBe(1);
      expect(repeated[0]!.answer.refund).not.toBeNull();
      // Ten distinct refunds of 10.00; the other two are refused, never over what was paid.
      const written = new Set(mine.flatMap((r) => (r.answer.refund ? [r.answer.refund.id] : [])));
      expect(written.size).toBe(10);
      const refused = mine.filter((r) => r.answer.refund === null);
      expect(refused).toHaveLength(2);
      for (const r of refused) expect(r.answer.userErrors[0].code).toMatch(/REFUND|REFUNDED/);

      const [quote] = await query(
        `SELECT q.status, q.refunded_minor::text AS kept, q.follow_ups_active, c.status AS case_status,
                (SELECT SUM(amount_minor)::text FROM quote_refunds r WHERE r.quote_id = q.id) AS entries,
                (SELECT count(*)::int FROM quote_activity a
                  WHERE a.quote_id = q.id AND a.kind = 'REFUND_RECORDED') AS feed,
                (SELECT count(*)::int FROM audit_entries e
                  WHERE e.subject_id = q.id::text AND e.action = 'REFUND_RECORDED') AS audit,
                (SELECT count(*)::int FROM quote_follow_ups f
                  WHERE f.quote_id = q.id AND f.status = 'PENDING') AS pending
           FROM quotes q LEFT JOIN cases c ON c.id = q.case_id WHERE q.id = $1`,
        [invoice.quoteId],
      );
      expect(quote).toEqual({
        status: 'REFUNDED',
        kept: '10000',
        entries: '10000',
        follow_ups_active: false,
        case_status: 'LOST',
        feed: 10,
        audit: 10,
        pending: 0,
      });
      // The key of a refused refund was released: the same request again is answered afresh
      // (ALREADY_REFUNDED now), not replayed.
      const again = await gql(invoice.business, REFUND, { input: refused[0]!.request.input });
      expect(again.recordRefund.userErrors[0].code).toBe('ALREADY_REFUNDED');
    }

    for (const business of businesses) {
      // One event per refund, numbered without gaps in the business.
      const events = await query(
        `SELECT sequence::int AS sequence, type FROM events WHERE business_id = $1 ORDER BY sequence`,
        [business.businessId],
      );
      expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
      const refundsOfBusiness = results.filter(
        (r) => r.request.invoice.business === business && r.answer.refund,
      );
      const distinct = new Set(refundsOfBusiness.map((r) => r.answer.refund.id)).size;
      expect(events.length - eventsBefore.get(business.businessId)!).toBe(distinct);
      // Every refund's stored response names its refund.
      const [keys] = await query(
        `SELECT count(*) FILTER (WHERE response IS NOT NULL)::int AS answered, count(*)::int AS all
           FROM idempotency_keys WHERE business_id = $1 AND operation = 'recordRefund'`,
        [business.businessId],
      );
      expect(keys).toEqual({ answered: distinct, all: distinct });
    }

    // The customers' statements: two lines per refund (the credit note and the refund), each
    // line's balance the one before plus its own, the kept balance the last line's; and the
    // rebuild from the entries gives the same lines.
    for (const { business, customerId } of invoices.filter((_, i) => i % 2 === 0)) {
      const lines = await query(
        `SELECT kind, COALESCE(debit_minor, 0) - COALESCE(credit_minor, 0) AS delta,
                balance_minor::text AS balance
           FROM statement_lines WHERE business_id = $1 AND customer_id = $2
          ORDER BY date, rank, src`,
        [business.businessId, customerId],
      );
      expect(lines.filter((l) => l.kind === 'REFUND')).toHaveLength(20);
      expect(lines.filter((l) => l.kind === 'CREDIT_NOTE')).toHaveLength(20);
      let running = 0n;
      for (const line of lines) {
        running += BigInt(line.delta);
        expect(line.balance).toBe(running.toString());
      }
      const [kept] = await query(
        `SELECT balance_minor::text AS balance FROM account_balances
          WHERE business_id = $1 AND customer_id = $2`,
        [business.businessId, customerId],
      );
      expect(kept.balance).toBe(running.toString());
      const snapshot = () =>
        query(
          `SELECT * FROM statement_lines WHERE business_id = $1 AND customer_id = $2
            ORDER BY date, rank, src`,
          [business.businessId, customerId],
        );
      const projected = await snapshot();
      await query(`SELECT account_projection_rebuild($1, $2)`, [business.businessId, customerId]);
      expect(await snapshot()).toEqual(projected);
    }

    // The kept totals equal the entries: refunds per business-local day, and the status counts.
    for (const business of businesses) {
      const [revenue] = await query(
        `SELECT (SELECT COALESCE(SUM(refunded_minor), 0)::text FROM quote_revenue_days
                  WHERE business_id = $1) AS kept,
                (SELECT COALESCE(SUM(amount_minor), 0)::text FROM quote_refunds
                  WHERE business_id = $1) AS entries`,
        [business.businessId],
      );
      expect(revenue.kept).toBe(revenue.entries);
      const counts = await query(
        `SELECT k.status, k.quotes::int AS kept,
                (SELECT count(*)::int FROM quotes q
                  WHERE q.business_id = k.business_id AND q.status = k.status) AS entries
           FROM quote_status_counts k WHERE k.business_id = $1`,
        [business.businessId],
      );
      for (const row of counts) expect(row.kept).toBe(row.entries);
      expect(counts.find((row) => row.status === 'REFUNDED')?.kept).toBe(4);
    }
  }, 120_000);
});

import { accountRefundBatchAlone, accountRefundBatchSize } from '../platform/observability/metrics';
import { createCustomer, type SignedUp, startTestApi, type TestApi } from '../test/harness';
import { groupCommitCounts } from '../test/write-paths';

type Gql = any;

const REFUND = `mutation ($input: RefundCreditNoteInput!) {
  refundCreditNote(input: $input) {
    refund { id number amount { amount } credit { outstanding { amount } } }
    userErrors { code }
  }
}`;

const batches = () => groupCommitCounts(accountRefundBatchSize, accountRefundBatchAlone);

/**
 * The credit note refund group commit (account-refund.batch.ts) on PostgreSQL: racing refunds of
 * several credit notes of two businesses are written several to a transaction, numbered without
 * gaps, and what they leave is what each alone would have left. The same refunds one by one and
 * racing are covered on both paths in accounts, account-trail and flat-accounts.
 */
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;

onPostgres('the credit note refund group commit', () => {
  let api: TestApi;
  let businesses: Array<{ owner: SignedUp; bankAccountId: string }>;

  beforeAll(async () => {
    api = await startTestApi({ groupCommit: true });
    businesses = [];
    for (let i = 0; i < 2; i++) {
      const owner = await api.signUp({ country: 'GB', currency: 'GBP', timezone: 'Europe/London' });
      const bank = await gql(
        owner,
        `mutation { createBankAccount(input: { name: "Main", currency: "GBP" }) { bankAccount { id } } }`,
        {},
      );
      businesses.push({ owner, bankAccountId: bank.createBankAccount.bankAccount.id });
    }
  });
  afterAll(() => api.close());

  const query = <T = any>(text: string, params: unknown[]): Promise<T[]> =>
    api.db.manager.query(text, params);

  async function gql(owner: SignedUp, text: string, variables: Record<string, unknown>) {
    const result = await api.gql<Gql>(text, variables, owner.token);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data;
  }

  it('writes racing refunds of two businesses together, numbered without gaps, each as alone', async () => {
    // Each business: two customers with two credit notes of 100.00; one refund first, alone (a
    // business's first RF number creates its counter row, outside any batch).
    const credits = (
      await Promise.all(
        businesses.flatMap((business) =>
          [0, 1].map(async (i) => {
            const customerId = await createCustomer(api, business.owner, `Customer ${i}`);
            return Promise.all(
              [0, 1].map(async () => {
                const data = await gql(
                  business.owner,
                  `mutation ($input: CreateCreditNoteInput!) { createCreditNote(input: $input) { credit { id } } }`,
                  { input: { customerId, amount: { amount: '100.00', currency: 'GBP' } } },
                );
                return {
                  business,
                  customerId,
                  creditId: data.createCreditNote.credit.id as string,
                };
              }),
            );
          }),
        ),
      )
    ).flat();
    for (const business of businesses) {
      const first = credits.find((credit) => credit.business === business)!;
      const data = await gql(business.owner, REFUND, {
        input: { creditId: first.creditId, bankAccountId: business.bankAccountId, amount: '10.00' },
      });
      expect(data.refundCreditNote.refund.number).toBe('RF-000001');
    }
    const before = await batches();

    // Per credit note: twelve refunds of 10.00 with their own keys (only ten fit, or nine after
    // the first refund), and the first key sent three times: all race.
    const requests = credits.flatMap((credit, n) =>
      Array.from({ length: 14 }, (_, i) => ({
        credit,
        input: {
          creditId: credit.creditId,
          bankAccountId: credit.business.bankAccountId,
          amount: '10.00',
          reasonCategory: 'GOODWILL',
          idempotencyKey: `gc-${n}-${i < 3 ? 0 : i - 2}`,
        },
      })),
    );
    const results = await Promise.all(
      requests.map(async (request) => ({
        request,
        answer: (await gql(request.credit.business.owner, REFUND, { input: request.input }))
          .refundCreditNote,
      })),
    );

    const after = await batches();
    expect(after.failed).toBe(before.failed);
    expect(after.count - before.count).toBeLessThan(after.useCases - before.useCases);

    for (const [n, credit] of credits.entries()) {
      const mine = results.filter((r) => r.request.credit === credit);
      const repeated = mine.filter((r) => r.request.input.idempotencyKey === `gc-${n}-0`);
      expect(new Set(repeated.map((r) => r.answer.refund?.id)).size).toBe(1);
      expect(repeated[0]!.answer.refund).not.toBeNull();
      const fits = businesses.some((b) => credits.find((c) => c.business === b) === credit)
        ? 9
        : 10;
      const written = new Set(mine.flatMap((r) => (r.answer.refund ? [r.answer.refund.id] : [])));
      expect(written.size).toBe(fits);
      for (const r of mine.filter((r) => r.answer.refund === null)) {
        expect(r.answer.userErrors[0].code).toBe('AMOUNT_EXCEEDS_OUTSTANDING');
      }
      const [totals] = await query(
        `SELECT t.refunded_minor::text AS kept,
                (SELECT SUM(amount_minor)::text FROM account_refunds r WHERE r.credit_id = t.credit_id) AS entries
           FROM account_credit_totals t WHERE t.credit_id = $1`,
        [credit.creditId],
      );
      expect(totals).toEqual({ kept: '10000', entries: '10000' });
    }

    for (const { owner } of businesses) {
      // RF numbers: one per refund, RF-000001 up without a gap or a repeat.
      const refunds = await query(
        `SELECT number FROM account_refunds WHERE business_id = $1 ORDER BY number`,
        [owner.businessId],
      );
      expect(refunds.map((r) => r.number)).toEqual(
        refunds.map((_, i) => `RF-${String(i + 1).padStart(6, '0')}`),
      );
      expect(refunds).toHaveLength(40);
      // The audit entry and the event of each refund name its number; events have no gaps.
      const audited = await query(
        `SELECT count(*)::int AS n FROM audit_entries e
           JOIN account_refunds r ON e.changes @> jsonb_build_array(
                  jsonb_build_object('field', 'refund', 'after', r.number))
          WHERE e.business_id = $1 AND e.action = 'ACCOUNT_REFUNDED' AND r.business_id = $1`,
        [owner.businessId],
      );
      expect(audited[0].n).toBe(40);
      const events = await query(
        `SELECT sequence::int AS sequence, payload::jsonb -> 'data' ->> 'number' AS number, type
           FROM events WHERE business_id = $1 ORDER BY sequence`,
        [owner.businessId],
      );
      expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
      const refundEvents = events.filter((e) => e.type === 'credit_note.refunded');
      expect(refundEvents.map((e) => e.number).sort()).toEqual(refunds.map((r) => r.number));
    }

    // The customers' statements stay a running sum, equal to the rebuild from the entries.
    for (const { business, customerId } of credits.filter((_, i) => i % 2 === 0)) {
      const snapshot = () =>
        query(
          `SELECT * FROM statement_lines WHERE business_id = $1 AND customer_id = $2
            ORDER BY date, rank, src`,
          [business.owner.businessId, customerId],
        );
      const lines = await snapshot();
      let running = 0n;
      for (const line of lines) {
        running += BigInt(line.debit_minor ?? 0) - BigInt(line.credit_minor ?? 0);
        expect(line.balance_minor).toBe(running.toString());
      }
      expect(running).toBe(0n); // every credit note refunded in full
      await query(`SELECT account_projection_rebuild($1, $2)`, [
        business.owner.businessId,
        customerId,
      ]);
      expect(await snapshot()).toEqual(lines);
    }
  }, 120_000);
});

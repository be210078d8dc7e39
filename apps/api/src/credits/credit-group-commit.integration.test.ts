import { randomUUID } from 'node:crypto';
import { creditBatchAlone, creditBatchSize } from '../platform/observability/metrics';
import { groupCommitCounts } from '../test/write-paths';
import { createCustomer, type SignedUp, startTestApi, type TestApi } from '../test/harness';

const ENTRY = `transaction { id kind credits balanceAfter } userErrors { code }`;
const SPEND = `mutation ($input: RecordCreditInput!) { recordCreditSpend(input: $input) { ${ENTRY} } }`;
const PURCHASE = `mutation ($input: RecordCreditInput!) { recordCreditPurchase(input: $input) { ${ENTRY} } }`;
const ADJUST = `mutation ($input: AdjustBalanceInput!) { adjustBalance(input: $input) { ${ENTRY} } }`;
const REFUND = `mutation ($input: RefundTransactionInput!) { refundTransaction(input: $input) { ${ENTRY} } }`;

const batches = () => groupCommitCounts(creditBatchSize, creditBatchAlone);

/**
 * The group commit (credit.batch.ts) on PostgreSQL: concurrent credit mutations of two businesses
 * are written several to a transaction, and what they leave is what each alone would have left.
 * The same mutations one by one and racing are covered, on both paths, in credits.integration.
 */
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;

onPostgres('the credit group commit', () => {
  let api: TestApi;
  let businesses: SignedUp[];

  beforeAll(async () => {
    api = await startTestApi({ groupCommit: true });
    businesses = [await api.signUp(), await api.signUp()];
  });
  afterAll(() => api.close());

  const query = <T = any>(text: string, params: unknown[]): Promise<T[]> =>
    api.db.manager.query(text, params);

  it('writes racing use cases of two businesses together, each exactly as alone', async () => {
    // Each business: three customers with 1,000 credits and a spend of 100 to refund (a first
    // wallet is created alone, outside any batch).
    const setUp = await Promise.all(
      businesses.flatMap((business) =>
        [0, 1, 2].map(async (i) => {
          const customerId = await createCustomer(api, business, `Customer ${i}`);
          await api.gql(PURCHASE, { input: { customerId, credits: '1000' } }, business.token);
          const spend = await api.gql<any>(
            SPEND,
            { input: { customerId, credits: '100' } },
            business.token,
          );
          return { business, customerId, spendId: spend.data.recordCreditSpend.transaction.id };
        }),
      ),
    );
    const before = await batches();

    // 84 racing requests: spends, corrections and 1-credit refunds, half of them under a key,
    // and each keyed request sent twice at once (the repeat must replay, not write again).
    const requests = setUp.flatMap(({ business, customerId, spendId }, c) =>
      Array.from({ length: 7 }, (_, i) => {
        const key = i % 2 === 0 ? `batch-${c}-${i}-${randomUUID()}` : undefined;
        const [document, field, input] =
          i % 3 === 0
            ? [SPEND, 'recordCreditSpend', { customerId, credits: '3' }]
            : i % 3 === 1
              ? [ADJUST, 'adjustBalance', { customerId, credits: '-2', comment: `fix ${i}` }]
              : [REFUND, 'refundTransaction', { transactionId: spendId, credits: '1' }];
        const send = () =>
          api.gql<any>(
            document,
            { input: { ...input, ...(key ? { idempotencyKey: key } : {}) } },
            business.token,
          );
        return { key, field, sent: key ? [send(), send()] : [send()] };
      }),
    );
    for (const request of requests) {
      const answers = await Promise.all(request.sent);
      const ids = answers.map((answer) => {
        expect(answer.errors).toBeUndefined();
        expect(answer.data[request.field].userErrors).toEqual([]);
        return answer.data[request.field].transaction.id;
      });
      // A repeat of a key returns the entry the first one wrote.
      expect(new Set(ids).size).toBe(1);
    }

    // Batches formed: fewer transactions than use cases.
    const after = await batches();
    expect(after.useCases - before.useCases).toBeGreaterThanOrEqual(42);
    expect(after.count - before.count).toBeLessThan(after.useCases - before.useCases);
    expect(after.failed).toBe(before.failed);

    for (const { business, customerId, spendId } of setUp) {
      const entries = await query<{ kind: string; credits: string; balance_after: string }>(
        `SELECT kind, credits::text, balance_after::text FROM credit_transactions
          WHERE customer_id = $1 ORDER BY seq`,
        [customerId],
      );
      // Purchase, spend, then 7 use cases: 3 spends of 3, 2 corrections of -2, 2 refunds of 1.
      expect(entries).toHaveLength(9);
      let running = 0n;
      for (const entry of entries) {
        running += BigInt(entry.credits);
        expect(BigInt(entry.balance_after)).toBe(running); // the chain has no gap
      }
      expect(running).toBe(1000n - 100n - 9n - 4n + 2n);
      const [wallet] = await query(
        `SELECT balance::text FROM credit_wallets WHERE customer_id = $1`,
        [customerId],
      );
      expect(wallet.balance).toBe(running.toString());
      const [total] = await query(
        `SELECT refunded_credits::text FROM credit_spend_totals WHERE spend_id = $1`,
        [spendId],
      );
      expect(total.refunded_credits).toBe('2');
      expect(business.businessId).toBeDefined();
    }

    for (const business of businesses) {
      // One audit entry and one event per entry, and the events numbered 1..n without a gap,
      // each payload carrying its own number.
      const [counts] = await query(
        `SELECT (SELECT count(*)::int FROM credit_transactions WHERE business_id = $1) AS entries,
                (SELECT count(*)::int FROM audit_entries
                  WHERE business_id = $1 AND subject_type = 'CreditTransaction') AS audited,
                (SELECT count(*)::int FROM events
                  WHERE business_id = $1
                    AND payload::jsonb -> 'data' ->> 'transactionId' IS NOT NULL) AS events`,
        [business.businessId],
      );
      expect(counts).toEqual({ entries: 27, audited: 27, events: 27 });
      const events = await query<{ sequence: string; payload_sequence: string }>(
        `SELECT e.sequence::text, (e.payload::jsonb ->> 'sequence') AS payload_sequence
           FROM events e WHERE e.business_id = $1 ORDER BY e.sequence`,
        [business.businessId],
      );
      events.forEach((event, i) => {
        expect(event.sequence).toBe(String(i + 1));
        expect(event.payload_sequence).toBe(event.sequence);
      });
      const [counter] = await query(
        `SELECT value::text FROM business_counters WHERE business_id = $1 AND name = 'event'`,
        [business.businessId],
      );
      expect(counter.value).toBe(String(events.length));
    }

    // Every key stored the response its replay returns; none is left without one.
    const keyed = requests.filter((request) => request.key).length;
    const [keys] = await query(
      `SELECT count(*)::int AS stored, count(response)::int AS answered FROM idempotency_keys
        WHERE key LIKE 'batch-%'`,
      [],
    );
    expect(keys).toEqual({ stored: keyed, answered: keyed });
  });

  it('answers a refusal in a batch alone and frees its key; the others commit', async () => {
    const [business] = businesses;
    const customerId = await createCustomer(api, business!, 'Ama Owusu');
    await api.gql(PURCHASE, { input: { customerId, credits: '10' } }, business!.token);
    const failedBefore = (await batches()).failed;
    // 10 racing spends of 3 under keys: 3 fit, 7 are refused, whichever way they are batched.
    const keys = Array.from({ length: 10 }, () => randomUUID());
    const answers = await Promise.all(
      keys.map((idempotencyKey) =>
        api.gql<any>(
          SPEND,
          { input: { customerId, credits: '3', idempotencyKey } },
          business!.token,
        ),
      ),
    );
    const codes = answers.map((a) => a.data.recordCreditSpend.userErrors[0]?.code ?? 'OK');
    expect((await batches()).failed).toBe(failedBefore);
    expect(codes.filter((c) => c === 'OK')).toHaveLength(3);
    expect(codes.filter((c) => c === 'INSUFFICIENT_BALANCE')).toHaveLength(7);
    const refusedKeys = keys.filter((_, i) => codes[i] !== 'OK');
    const [held] = await query(
      `SELECT count(*)::int AS n FROM idempotency_keys WHERE business_id = $1 AND key = ANY ($2)`,
      [business!.businessId, refusedKeys],
    );
    expect(held.n).toBe(0);
    // A refused key, retried once there is money, runs its work.
    await api.gql(PURCHASE, { input: { customerId, credits: '3' } }, business!.token);
    const retried = await api.gql<any>(
      SPEND,
      { input: { customerId, credits: '3', idempotencyKey: refusedKeys[0] } },
      business!.token,
    );
    expect(retried.data.recordCreditSpend.userErrors).toEqual([]);
    expect(retried.data.recordCreditSpend.transaction.balanceAfter).toBe('1');
  });
});

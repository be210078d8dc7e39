import { randomUUID } from 'node:crypto';
import { createCustomer, type SignedUp, startTestApi, type TestApi } from '../test/harness';

const ENTRY = `id kind credits description createdAt balanceAfter refundedCredits refundableCredits
  deleted deletedAt deleteReason deletedBy { id } createdBy { id name }
  refundOf { id kind credits refundedCredits refundableCredits deleted }
  reasonCategory reversedBy { id kind credits } reverses { id deleted refundedCredits }
  customer { id name creditBalance }`;
const PAYLOAD = `transaction { ${ENTRY} } reversal { ${ENTRY} } customer { id name creditBalance }
  userErrors { code field message }`;
const DOCUMENT = {
  recordCreditPurchase: `mutation ($input: RecordCreditInput!) { recordCreditPurchase(input: $input) { ${PAYLOAD} } }`,
  recordCreditSpend: `mutation ($input: RecordCreditInput!) { recordCreditSpend(input: $input) { ${PAYLOAD} } }`,
  refundTransaction: `mutation ($input: RefundTransactionInput!) { refundTransaction(input: $input) { ${PAYLOAD} } }`,
  adjustBalance: `mutation ($input: AdjustBalanceInput!) { adjustBalance(input: $input) { ${PAYLOAD} } }`,
  deleteTransaction: `mutation ($input: DeleteTransactionInput!) { deleteTransaction(input: $input) { ${PAYLOAD} } }`,
};
type Mutation = keyof typeof DOCUMENT;
const LIST = `query ($customerId: ID, $first: Int) {
  creditTransactions(customerId: $customerId, first: $first) { nodes { ${ENTRY} } }
}`;
const CUSTOMER = `query ($id: ID!) { customer(id: $id) { id name creditBalance } }`;

/** What each spend's counting refunds add up to, summed from the ledger entries themselves. */
const SUMMED_FROM_ENTRIES = `
  SELECT s.id AS spend_id,
         COALESCE((SELECT SUM(r.credits) FROM credit_transactions r
                    WHERE r.refund_of_id = s.id
                      AND NOT EXISTS (SELECT 1 FROM credit_transactions v WHERE v.reverses_id = r.id)),
                  0)::text AS refunded
    FROM credit_transactions s
   WHERE s.business_id = $1 AND s.kind = 'SPEND'
   ORDER BY s.id`;
const KEPT = `
  SELECT s.id AS spend_id, COALESCE(k.refunded_credits, 0)::text AS refunded
    FROM credit_transactions s LEFT JOIN credit_spend_totals k ON k.spend_id = s.id
   WHERE s.business_id = $1 AND s.kind = 'SPEND'
   ORDER BY s.id`;

describe('credit_spend_totals: the refunded-so-far of each spend, kept beside the ledger', () => {
  let api: TestApi;
  let owner: SignedUp;

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.signUp();
  });
  afterAll(() => api.close());

  async function mutate(mutation: Mutation, input: Record<string, unknown>): Promise<any> {
    const response = await api.gql<any>(DOCUMENT[mutation], { input }, owner.token);
    expect(response.errors).toBeUndefined();
    return response.data[mutation];
  }

  async function expectKeptEqualsEntries(businessId: string) {
    const summed = await api.db.manager.query(SUMMED_FROM_ENTRIES, [businessId]);
    const kept = await api.db.manager.query(KEPT, [businessId]);
    expect(kept).toEqual(summed);
    return new Map<string, bigint>(
      summed.map((row: { spend_id: string; refunded: string }) => [
        row.spend_id,
        BigInt(row.refunded),
      ]),
    );
  }

  it('equals the entries after racing refunds, reversals of refunds and replays', async () => {
    const customerId = await createCustomer(api, owner);
    await mutate('recordCreditPurchase', { customerId, credits: '1000' });
    const spends: string[] = [];
    for (let i = 0; i < 3; i++) {
      spends.push(
        (await mutate('recordCreditSpend', { customerId, credits: '20' })).transaction.id,
      );
    }
    // Round 1: 45 racing refunds of 1 or 2 credits over three 20-credit spends; some with a key
    // that a racing repeat also sends.
    const keyed = Array.from({ length: 5 }, () => randomUUID());
    const round1 = await Promise.all(
      Array.from({ length: 45 }, (_, i) =>
        mutate('refundTransaction', {
          transactionId: spends[i % 3],
          credits: String(1 + (i % 2)),
          ...(i < 10 ? { idempotencyKey: keyed[i % 5] } : {}),
        }),
      ),
    );
    const refunds = [
      ...new Set(
        round1.filter((p) => p.userErrors.length === 0).map((p) => p.transaction.id as string),
      ),
    ];
    let kept = await expectKeptEqualsEntries(owner.businessId);
    for (const spend of spends) expect(kept.get(spend)! <= 20n).toBe(true);
    expect([...kept.values()].reduce((a, b) => a + b, 0n) > 0n).toBe(true);

    // Round 2: reversals of half of those refunds (each sent twice, racing) and new refunds.
    const undone = refunds.filter((_, i) => i % 2 === 0);
    const round2 = await Promise.all([
      ...undone.flatMap((id) => [
        mutate('deleteTransaction', { transactionId: id, reason: 'wrong refund' }),
        mutate('deleteTransaction', { transactionId: id, reason: 'wrong refund' }),
      ]),
      ...Array.from({ length: 30 }, (_, i) =>
        mutate('refundTransaction', { transactionId: spends[i % 3], credits: '1' }),
      ),
    ]);
    const reversals = round2
      .slice(0, undone.length * 2)
      .filter((p) => p.userErrors.length === 0).length;
    expect(reversals).toBe(undone.length);
    kept = await expectKeptEqualsEntries(owner.businessId);
    for (const spend of spends) expect(kept.get(spend)! <= 20n).toBe(true);

    // The API shows the kept totals.
    const list = await api.gql<any>(LIST, { customerId, first: 100 }, owner.token);
    for (const node of list.data.creditTransactions.nodes.filter((n: any) => n.kind === 'SPEND')) {
      expect(node.refundedCredits).toBe(kept.get(node.id)!.toString());
      expect(node.refundableCredits).toBe((20n - kept.get(node.id)!).toString());
    }
  });

  it('rebuilds from the entries with the migration statement (what a bulk load runs)', async () => {
    const kept = await api.db.manager.query(
      `SELECT spend_id, refunded_credits::text FROM credit_spend_totals WHERE business_id = $1 ORDER BY spend_id`,
      [owner.businessId],
    );
    expect(kept.length).toBeGreaterThan(0);
    await api.db.transaction(async (tx) => {
      await tx.query(`DELETE FROM credit_spend_totals WHERE business_id = $1`, [owner.businessId]);
      await tx.query(
        `INSERT INTO credit_spend_totals (spend_id, business_id, refunded_credits)
         SELECT r.refund_of_id, r.business_id, SUM(r.credits)
           FROM credit_transactions r
          WHERE r.refund_of_id IS NOT NULL AND r.business_id = $1
            AND NOT EXISTS (SELECT 1 FROM credit_transactions v WHERE v.reverses_id = r.id)
          GROUP BY r.refund_of_id, r.business_id`,
        [owner.businessId],
      );
    });
    const rebuilt = await api.db.manager.query(
      `SELECT spend_id, refunded_credits::text FROM credit_spend_totals WHERE business_id = $1 ORDER BY spend_id`,
      [owner.businessId],
    );
    // A spend whose refunds were all reversed keeps a 0 row; the rebuild has none for it.
    expect(rebuilt).toEqual(kept.filter((row: any) => row.refunded_credits !== '0'));
    await expectKeptEqualsEntries(owner.businessId);
  });

  describe("a mutation's payload, built from the transaction, is what a fresh read shows", () => {
    async function fresh(customerId: string, id: string | undefined) {
      if (id === undefined) return null;
      const list = await api.gql<any>(LIST, { customerId, first: 100 }, owner.token);
      return list.data.creditTransactions.nodes.find((n: any) => n.id === id) ?? null;
    }

    async function expectFresh(payload: any, customerId: string) {
      expect(payload.userErrors).toEqual([]);
      expect(payload.transaction).not.toBeNull();
      expect(payload.transaction).toEqual(await fresh(customerId, payload.transaction.id));
      expect(payload.reversal).toEqual(await fresh(customerId, payload.reversal?.id));
      const customer = await api.gql<any>(CUSTOMER, { id: customerId }, owner.token);
      expect(payload.customer).toEqual(customer.data.customer);
    }

    it('for every credit mutation, first run and replay alike', async () => {
      const customerId = await createCustomer(api, owner, 'Ama Owusu');
      const key = () => randomUUID();
      const purchase = { customerId, credits: '50', description: 'Pack', idempotencyKey: key() };
      const bought = await mutate('recordCreditPurchase', purchase);
      await expectFresh(bought, customerId);
      const spendInput = { customerId, credits: '30', idempotencyKey: key() };
      const spend = await mutate('recordCreditSpend', spendInput);
      await expectFresh(spend, customerId);
      const refundInput = {
        transactionId: spend.transaction.id,
        credits: '4',
        reason: 'Dropped call',
        reasonCategory: 'NOT_DELIVERED',
        idempotencyKey: key(),
      };
      const refund = await mutate('refundTransaction', refundInput);
      expect(refund.transaction.refundOf).toMatchObject({
        refundedCredits: '4',
        refundableCredits: '26',
      });
      await expectFresh(refund, customerId);
      // Without a key too (the statement without the stored response).
      await expectFresh(
        await mutate('refundTransaction', { transactionId: spend.transaction.id, credits: '1' }),
        customerId,
      );
      const adjustInput = { customerId, credits: '-3', comment: 'Fix', idempotencyKey: key() };
      await expectFresh(await mutate('adjustBalance', adjustInput), customerId);
      const deleteInput = {
        transactionId: refund.transaction.id,
        reason: 'Refunded the wrong chat',
        reasonCategory: 'OTHER',
        idempotencyKey: key(),
      };
      const deleted = await mutate('deleteTransaction', deleteInput);
      expect(deleted.transaction).toMatchObject({ id: refund.transaction.id, deleted: true });
      expect(deleted.reversal).toMatchObject({ kind: 'REVERSAL', credits: '-4' });
      await expectFresh(deleted, customerId);
      // Replays read the entries as they are now.
      for (const [mutation, input] of [
        ['recordCreditSpend', spendInput],
        ['refundTransaction', refundInput],
        ['deleteTransaction', deleteInput],
      ] as const) {
        const replay = await mutate(mutation, input);
        await expectFresh(replay, customerId);
      }
      await expectKeptEqualsEntries(owner.businessId);
    });
  });
});

import { randomUUID } from 'node:crypto';
import { createCustomer, type SignedUp, startTestApi, type TestApi } from '../test/harness';
import { WRITE_PATHS } from '../test/write-paths';

const PAYLOAD = `transaction { id kind credits refundedCredits refundOf { id refundedCredits } }
  userErrors { code }`;

/**
 * What a credit mutation costs the database: the statements inside its transaction, and that no
 * statement sums refunds (the refunded total is kept), however many refunds the spend has; with
 * the group commit on PostgreSQL, and each use case alone.
 */
describe.each(WRITE_PATHS)('the SQL of a credit mutation (%s)', (writePath) => {
  let api: TestApi;
  let owner: SignedUp;
  const grouped = writePath === 'group commit';

  beforeAll(async () => {
    api = await startTestApi({ groupCommit: grouped });
    owner = await api.signUp();
  });
  afterAll(() => api.close());

  /** The statements sent while answering one request, in order. */
  async function statementsOf(
    query: string,
    variables: Record<string, unknown>,
  ): Promise<{ sql: string[]; data: any }> {
    const logger = api.db.dataSource.logger;
    const original = logger.logQuery.bind(logger);
    const sql: string[] = [];
    logger.logQuery = (text, parameters, runner) => {
      sql.push(text.trim());
      original(text, parameters, runner);
    };
    try {
      const result = await api.gql<any>(query, variables, owner.token);
      expect(result.errors).toBeUndefined();
      return { sql, data: result.data };
    } finally {
      logger.logQuery = original;
    }
  }

  /** The statements between the transaction's start and its COMMIT. */
  function inTransaction(sql: string[]): string[] {
    const start = sql.findIndex((text) => /^(START TRANSACTION|BEGIN)/i.test(text));
    const end = sql.findIndex((text) => /^COMMIT/i.test(text));
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    return sql.slice(start + 1, end);
  }

  const mutate = async (field: string, inputType: string, input: Record<string, unknown>) =>
    statementsOf(`mutation ($input: ${inputType}!) { ${field}(input: $input) { ${PAYLOAD} } }`, {
      input,
    });

  /** A new customer who bought `bought` credits and spent `spent` of them in one entry. */
  async function purchaseAndSpend(bought: string, spent: string) {
    const customerId = await createCustomer(api, owner);
    await mutate('recordCreditPurchase', 'RecordCreditInput', { customerId, credits: bought });
    const spend = await mutate('recordCreditSpend', 'RecordCreditInput', {
      customerId,
      credits: spent,
    });
    return { customerId, spendId: spend.data.recordCreditSpend.transaction.id as string };
  }

  it('refunds in 2 round trips with a key (claim and lock, then the read under it; write), none summing refunds', async () => {
    const { spendId } = await purchaseAndSpend('5000', '4000');
    // Many earlier refunds, written as the product writes them.
    for (let i = 0; i < 30; i++) {
      await mutate('refundTransaction', 'RefundTransactionInput', {
        transactionId: spendId,
        credits: '1',
      });
    }
    const refund = await mutate('refundTransaction', 'RefundTransactionInput', {
      transactionId: spendId,
      credits: '2',
      idempotencyKey: randomUUID(),
    });
    expect(refund.data.refundTransaction.transaction.refundOf.refundedCredits).toBe('32');
    const inside = inTransaction(refund.sql);
    // Two round trips: the claim and lock with the read under the lock behind it; the write
    // with COMMIT behind it. Alone, the claim is folded into the lock; a batch claims its keys
    // in a statement of their own, sent in the same round trip.
    if (grouped) {
      expect(inside).toHaveLength(4);
      expect(inside[0]).toMatch(/^INSERT INTO idempotency_keys[\s\S]*unnest/);
      expect(inside[1]).toMatch(/FROM credit_wallets w[\s\S]*FOR UPDATE OF w$/);
      expect(inside[2]).toMatch(
        /FROM credit_transactions t[\s\S]*WHERE t\.id = ANY \(\$1::uuid\[\]\)$/,
      );
    } else {
      expect(inside).toHaveLength(3);
      expect(inside[0]).toMatch(/INSERT INTO idempotency_keys[\s\S]*FOR UPDATE OF w/);
      expect(inside[1]).toMatch(/FROM credit_transactions t[\s\S]*WHERE t\.id = \$1::uuid$/);
    }
    // The write stores the key's response (alone an UPDATE, in a batch an upsert of its row).
    expect(inside.at(-1)).toMatch(
      /INSERT INTO credit_transactions[\s\S]*INSERT INTO events[\s\S]*(UPDATE|INSERT INTO) idempotency_keys/,
    );
    // No statement adds up entries' credits (a batch adds up only its own refunds of a spend).
    expect(refund.sql.some((text) => /\bSUM\s*\(\s*(\w+\.)?credits\b/i.test(text))).toBe(false);
    // After the commit only what the query asked beyond the entry: the spend it refunds.
    const after = refund.sql.slice(refund.sql.findIndex((text) => /^COMMIT/i.test(text)) + 1);
    expect(after.filter((text) => /credit_transactions/.test(text))).toHaveLength(1);

    // Without a key: lock and read, write.
    const plain = await mutate('refundTransaction', 'RefundTransactionInput', {
      transactionId: spendId,
      credits: '1',
    });
    expect(inTransaction(plain.sql)).toHaveLength(3);
  });

  it('spends, buys and corrects in 2 round trips with a key (claim and lock; write)', async () => {
    const customerId = await createCustomer(api, owner);
    await mutate('recordCreditPurchase', 'RecordCreditInput', { customerId, credits: '50' });
    for (const [field, inputType, input] of [
      ['recordCreditPurchase', 'RecordCreditInput', { customerId, credits: '5' }],
      ['recordCreditSpend', 'RecordCreditInput', { customerId, credits: '5' }],
      ['adjustBalance', 'AdjustBalanceInput', { customerId, credits: '-1', comment: 'fix' }],
    ] as const) {
      const { sql, data } = await mutate(field, inputType, {
        ...input,
        idempotencyKey: randomUUID(),
      });
      expect(data[field].userErrors).toEqual([]);
      // A batch sends its claim and its lock as two statements in one round trip.
      expect(inTransaction(sql)).toHaveLength(grouped ? 3 : 2);
    }
  });

  it('reads the entry again when another refund committed while the lock waited', async () => {
    const { customerId, spendId } = await purchaseAndSpend('100', '10');
    /** Another refund of 5, written as the product writes one: entry, totals, wallet. */
    const otherRefund = async (query: (sql: string, params: unknown[]) => Promise<unknown>) => {
      await query(
        `INSERT INTO credit_transactions (id, business_id, customer_id, kind, credits,
                                          balance_after, refund_of_id, created_at)
         VALUES ($1, $2, $3, 'REFUND', 5, 95, $4, now())`,
        [randomUUID(), owner.businessId, customerId, spendId],
      );
      await query(
        `INSERT INTO credit_spend_totals (spend_id, business_id, refunded_credits) VALUES ($1, $2, 5)`,
        [spendId, owner.businessId],
      );
      await query(`UPDATE credit_wallets SET balance = 95 WHERE customer_id = $1`, [customerId]);
    };
    const refundSix = () =>
      mutate('refundTransaction', 'RefundTransactionInput', {
        transactionId: spendId,
        credits: '6',
        idempotencyKey: randomUUID(),
      });
    let refused: any;
    if (api.db.kind === 'postgres') {
      // The other refund holds the wallet while this one starts: its lock statement's snapshot
      // predates the other's commit, so only a read after the lock sees the 5 refunded.
      const runner = api.db.dataSource.createQueryRunner();
      await runner.connect();
      try {
        await runner.startTransaction();
        await runner.query(`SELECT 1 FROM credit_wallets WHERE customer_id = $1 FOR UPDATE`, [
          customerId,
        ]);
        const pending = refundSix();
        for (let i = 0; i < 200; i++) {
          const [waiting] = await api.db.manager.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          if (waiting.n > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        await otherRefund((text, params) => runner.query(text, params));
        await runner.commitTransaction();
        refused = await pending;
      } finally {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        await runner.release();
      }
    } else {
      // One session: nothing interleaves; the other refund simply comes first.
      await otherRefund((text, params) => api.db.manager.query(text, params));
      refused = await refundSix();
    }
    expect(refused.data.refundTransaction.userErrors[0]?.code).toBe('AMOUNT_EXCEEDS_REFUNDABLE');
    const [kept] = await api.db.manager.query(
      `SELECT refunded_credits::text AS refunded FROM credit_spend_totals WHERE spend_id = $1`,
      [spendId],
    );
    expect(kept.refunded).toBe('5');
  });
});

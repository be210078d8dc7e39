import {
  addMember,
  createCustomer,
  type GqlResponse,
  type SignedUp,
  startTestApi,
  type TestApi,
} from '../test/harness';
import { WRITE_PATHS } from '../test/write-paths';

const ENTRY = `id kind credits description createdAt balanceAfter refundedCredits refundableCredits
  deleted deletedAt deleteReason deletedBy { id } createdBy { id name }
  refundOf { id kind credits refundedCredits refundableCredits }
  reasonCategory reversedBy { id } reverses { id deleted }
  customer { id creditBalance }`;
const PAYLOAD = `transaction { ${ENTRY} } reversal { ${ENTRY} } customer { id creditBalance }
  userErrors { code field message }`;

const PURCHASE = `mutation ($input: RecordCreditInput!) { recordCreditPurchase(input: $input) { ${PAYLOAD} } }`;
const SPEND = `mutation ($input: RecordCreditInput!) { recordCreditSpend(input: $input) { ${PAYLOAD} } }`;
const REFUND = `mutation ($input: RefundTransactionInput!) { refundTransaction(input: $input) { ${PAYLOAD} } }`;
const ADJUST = `mutation ($input: AdjustBalanceInput!) { adjustBalance(input: $input) { ${PAYLOAD} } }`;
const DELETE = `mutation ($input: DeleteTransactionInput!) { deleteTransaction(input: $input) { ${PAYLOAD} } }`;
const LIST = `query ($customerId: ID, $kind: CreditTransactionKind, $first: Int, $after: String) {
  creditTransactions(customerId: $customerId, kind: $kind, first: $first, after: $after) {
    nodes { ${ENTRY} } pageInfo { hasNextPage endCursor }
  }
}`;

type Mutation =
  | 'recordCreditPurchase'
  | 'recordCreditSpend'
  | 'refundTransaction'
  | 'adjustBalance'
  | 'deleteTransaction';
const DOCUMENT: Record<Mutation, string> = {
  recordCreditPurchase: PURCHASE,
  recordCreditSpend: SPEND,
  refundTransaction: REFUND,
  adjustBalance: ADJUST,
  deleteTransaction: DELETE,
};

/**
 * Every case runs twice on PostgreSQL: with the group commit (credit.batch.ts), which writes the
 * use cases of concurrent requests together, and with each use case alone, the path a batch
 * hands back what it cannot answer (and the only one on the embedded database).
 */
describe.each(WRITE_PATHS)('credit transactions (%s)', (writePath) => {
  let api: TestApi;
  let owner: SignedUp;

  beforeAll(async () => {
    api = await startTestApi({ groupCommit: writePath === 'group commit' });
    owner = await api.signUp();
  });
  afterAll(() => api.close());

  /** The stored truth for one customer: wallet balance, sum of counting entries, entry count. */
  async function ledger(customerId: string) {
    const [row]: any[] = await api.db.manager.query(
      `SELECT
         (SELECT balance FROM credit_wallets WHERE customer_id = $1) AS wallet,
         (SELECT COALESCE(SUM(credits), 0) FROM credit_transactions
           WHERE customer_id = $1) AS counting,
         (SELECT count(*) FROM credit_transactions WHERE customer_id = $1) AS entries,
         (SELECT count(*) FROM credit_transactions WHERE customer_id = $1 AND kind = 'REVERSAL') AS deleted`,
      [customerId],
    );
    return {
      balance: BigInt(row.wallet ?? 0),
      counting: BigInt(row.counting),
      entries: Number(row.entries),
      deleted: Number(row.deleted),
    };
  }

  /**
   * Every entry's balance_after is the one before plus its credits, in insertion order (the chain
   * has no gap), and the newest one is the wallet: a statement as of any entry is reproducible.
   */
  async function chainGaps(customerId: string): Promise<number> {
    const rows: Array<{ credits: string; balance_after: string }> = await api.db.manager.query(
      `SELECT credits, balance_after FROM credit_transactions WHERE customer_id = $1 ORDER BY seq`,
      [customerId],
    );
    let running = 0n;
    let gaps = 0;
    for (const row of rows) {
      running += BigInt(row.credits);
      if (BigInt(row.balance_after) !== running) gaps++;
    }
    return gaps;
  }

  /**
   * The balance always equals the sum of the entries (a reversal cancelling what it undoes) and
   * the newest balance_after, in the database and in the API.
   */
  async function expectConsistent(customerId: string, token = owner.token) {
    const stored = await ledger(customerId);
    expect(stored.balance).toBe(stored.counting);
    expect(stored.balance >= 0n).toBe(true);
    expect(await chainGaps(customerId)).toBe(0);
    const read = await api.gql<any>(
      `query ($id: ID!) { customer(id: $id) { creditBalance } }`,
      { id: customerId },
      token,
    );
    expect(read.data.customer.creditBalance).toBe(stored.balance.toString());
    return stored;
  }

  /** Runs a mutation and checks the ledger of `customerId` right after it. */
  async function run(
    mutation: Mutation,
    input: Record<string, unknown>,
    customerId: string,
    token = owner.token,
  ): Promise<any> {
    const response = await api.gql<any>(DOCUMENT[mutation], { input }, token);
    expect(response.errors).toBeUndefined();
    await expectConsistent(customerId, token);
    return response.data[mutation];
  }

  async function newCustomer(name = 'Kofi Mensah', business = owner) {
    return createCustomer(api, business, name);
  }

  const code = (payload: any) => payload.userErrors.map((e: any) => e.code);

  it('records purchases and spends as signed entries with the balance after each', async () => {
    const customerId = await newCustomer();
    const bought = await run(
      'recordCreditPurchase',
      { customerId, credits: '100', description: 'Paid with card' },
      customerId,
    );
    expect(bought.userErrors).toEqual([]);
    expect(bought.transaction).toMatchObject({
      kind: 'PURCHASE',
      credits: '100',
      balanceAfter: '100',
      description: 'Paid with card',
      refundedCredits: '0',
      refundableCredits: '0',
      deleted: false,
      deletedAt: null,
      refundOf: null,
      createdBy: { id: owner.memberId },
      customer: { id: customerId, creditBalance: '100' },
    });
    expect(bought.customer).toEqual({ id: customerId, creditBalance: '100' });

    const spent = await run('recordCreditSpend', { customerId, credits: '30' }, customerId);
    expect(spent.transaction).toMatchObject({
      kind: 'SPEND',
      credits: '-30',
      balanceAfter: '70',
      refundedCredits: '0',
      refundableCredits: '30',
    });
    expect(spent.customer.creditBalance).toBe('70');
  });

  it('never spends below zero: INSUFFICIENT_BALANCE, nothing written', async () => {
    const customerId = await newCustomer();
    await run('recordCreditPurchase', { customerId, credits: '20' }, customerId);
    const before = await ledger(customerId);
    const refused = await run('recordCreditSpend', { customerId, credits: '21' }, customerId);
    expect(refused.transaction).toBeNull();
    expect(refused.customer).toBeNull();
    expect(refused.userErrors).toEqual([
      {
        code: 'INSUFFICIENT_BALANCE',
        field: ['input', 'credits'],
        message: 'The balance is 20 credits: not enough to spend 21 credits.',
      },
    ]);
    expect(await ledger(customerId)).toEqual(before);
    const all = await run('recordCreditSpend', { customerId, credits: '20' }, customerId);
    expect(all.customer.creditBalance).toBe('0');
  });

  describe('refundTransaction', () => {
    let customerId: string;
    let spendId: string;
    let purchaseId: string;

    beforeAll(async () => {
      customerId = await newCustomer('Refund Customer');
      purchaseId = (await run('recordCreditPurchase', { customerId, credits: '50' }, customerId))
        .transaction.id;
      spendId = (await run('recordCreditSpend', { customerId, credits: '25' }, customerId))
        .transaction.id;
    });

    it('refunds part of a spend as a REFUND linked to it, and shows what is left', async () => {
      const partial = await run(
        'refundTransaction',
        { transactionId: spendId, credits: '10', reason: 'Webcam was broken' },
        customerId,
      );
      expect(partial.userErrors).toEqual([]);
      expect(partial.transaction).toMatchObject({
        kind: 'REFUND',
        credits: '10',
        balanceAfter: '35',
        description: 'Webcam was broken',
        refundOf: { id: spendId, kind: 'SPEND', refundedCredits: '10', refundableCredits: '15' },
      });
      expect(partial.customer.creditBalance).toBe('35');
    });

    it('refuses more than is left (AMOUNT_EXCEEDS_REFUNDABLE) and writes nothing', async () => {
      const before = await ledger(customerId);
      const refused = await run(
        'refundTransaction',
        { transactionId: spendId, credits: '16' },
        customerId,
      );
      expect(refused.userErrors).toEqual([
        {
          code: 'AMOUNT_EXCEEDS_REFUNDABLE',
          field: ['input', 'credits'],
          message: 'Only 15 credits of this spend can still be refunded.',
        },
      ]);
      expect(refused.transaction).toBeNull();
      expect(await ledger(customerId)).toEqual(before);
    });

    it('refuses a stale screen (expectedRefundedCredits) so an old view cannot refund twice', async () => {
      const stale = await run(
        'refundTransaction',
        { transactionId: spendId, expectedRefundedCredits: '0' },
        customerId,
      );
      expect(code(stale)).toEqual(['INVALID_STATE']);
      expect(stale.userErrors[0].field).toEqual(['input', 'expectedRefundedCredits']);
    });

    it('refunds everything still refundable by default, then nothing more', async () => {
      const rest = await run(
        'refundTransaction',
        { transactionId: spendId, expectedRefundedCredits: '10' },
        customerId,
      );
      expect(rest.transaction).toMatchObject({
        credits: '15',
        balanceAfter: '50',
        refundOf: { refundedCredits: '25', refundableCredits: '0' },
      });
      const again = await run('refundTransaction', { transactionId: spendId }, customerId);
      expect(code(again)).toEqual(['ALREADY_REFUNDED']);
      const one = await run(
        'refundTransaction',
        { transactionId: spendId, credits: '1' },
        customerId,
      );
      expect(code(one)).toEqual(['AMOUNT_EXCEEDS_REFUNDABLE']);
    });

    it('refunds only spends: NOT_REFUNDABLE for a purchase and for a refund', async () => {
      const purchase = await run('refundTransaction', { transactionId: purchaseId }, customerId);
      expect(code(purchase)).toEqual(['NOT_REFUNDABLE']);
      expect(purchase.userErrors[0].message).toMatch(/payment system/);
      const list = await api.gql<any>(LIST, { customerId, kind: 'REFUND' }, owner.token);
      const refundId = list.data.creditTransactions.nodes[0].id;
      const ofRefund = await run('refundTransaction', { transactionId: refundId }, customerId);
      expect(code(ofRefund)).toEqual(['NOT_REFUNDABLE']);
    });

    it('finds nothing for a malformed id, an unknown id, or another business’s entry', async () => {
      const other = await api.signUp();
      const otherCustomer = await newCustomer('Other', other);
      await run(
        'recordCreditPurchase',
        { customerId: otherCustomer, credits: '5' },
        otherCustomer,
        other.token,
      );
      const theirs = (
        await run(
          'recordCreditSpend',
          { customerId: otherCustomer, credits: '5' },
          otherCustomer,
          other.token,
        )
      ).transaction.id;
      for (const transactionId of ['nope', '00000000-0000-4000-8000-000000000000', theirs]) {
        const missing = await run('refundTransaction', { transactionId }, customerId);
        expect(missing.userErrors).toEqual([
          expect.objectContaining({ code: 'NOT_FOUND', field: ['input', 'transactionId'] }),
        ]);
      }
      expect((await ledger(otherCustomer)).entries).toBe(2);
    });
  });

  describe('deleteTransaction', () => {
    it('undoes a wrong refund with a linked REVERSAL entry (who, when, why), and makes the spend refundable again', async () => {
      const customerId = await newCustomer('Delete Customer');
      await run('recordCreditPurchase', { customerId, credits: '40' }, customerId);
      const spend = (await run('recordCreditSpend', { customerId, credits: '30' }, customerId))
        .transaction;
      const refund = (
        await run('refundTransaction', { transactionId: spend.id, credits: '12' }, customerId)
      ).transaction;
      expect(refund.customer.creditBalance).toBe('22');

      api.clock.advance(60_000);
      const deleted = await run(
        'deleteTransaction',
        {
          transactionId: refund.id,
          reason: 'Refunded the wrong chat',
          reasonCategory: 'DUPLICATE_PAYMENT',
        },
        customerId,
      );
      expect(deleted.userErrors).toEqual([]);
      // The refund itself is unchanged (same credits and balance after); "deleted" is derived.
      expect(deleted.transaction).toMatchObject({
        id: refund.id,
        kind: 'REFUND',
        credits: '12',
        balanceAfter: '22',
        deleted: true,
        deleteReason: 'Refunded the wrong chat',
        deletedBy: { id: owner.memberId },
        reversedBy: { id: deleted.reversal.id },
        refundOf: { id: spend.id, refundedCredits: '0', refundableCredits: '30' },
      });
      expect(deleted.reversal).toMatchObject({
        kind: 'REVERSAL',
        credits: '-12',
        balanceAfter: '10',
        description: 'Refunded the wrong chat',
        reasonCategory: 'DUPLICATE_PAYMENT',
        createdBy: { id: owner.memberId },
        reverses: { id: refund.id, deleted: true },
        reversedBy: null,
        deleted: false,
      });
      expect(new Date(deleted.transaction.deletedAt).getTime()).toBe(api.clock.now().getTime());
      expect(deleted.reversal.createdAt).toBe(deleted.transaction.deletedAt);
      expect(deleted.customer.creditBalance).toBe('10');

      // Still listed, shown deleted, and cancelled by the reversal listed above it.
      const list = await api.gql<any>(LIST, { customerId }, owner.token);
      expect(
        list.data.creditTransactions.nodes.map((n: any) => [n.kind, n.deleted, n.balanceAfter]),
      ).toEqual([
        ['REVERSAL', false, '10'],
        ['REFUND', true, '22'],
        ['SPEND', false, '10'],
        ['PURCHASE', false, '40'],
      ]);
      const stored = await ledger(customerId);
      expect(stored).toEqual({ balance: 10n, counting: 10n, entries: 4, deleted: 1 });

      const reverseTheReversal = await run(
        'deleteTransaction',
        { transactionId: deleted.reversal.id },
        customerId,
      );
      expect(code(reverseTheReversal)).toEqual(['INVALID_STATE']);
      expect(await ledger(customerId)).toEqual(stored);

      const twice = await run('deleteTransaction', { transactionId: refund.id }, customerId);
      expect(code(twice)).toEqual(['INVALID_STATE']);
      expect(await ledger(customerId)).toEqual(stored);
    });

    it('refuses to delete purchases and spends (INVALID_STATE)', async () => {
      const customerId = await newCustomer();
      const purchase = (await run('recordCreditPurchase', { customerId, credits: '9' }, customerId))
        .transaction;
      const spend = (await run('recordCreditSpend', { customerId, credits: '4' }, customerId))
        .transaction;
      for (const transactionId of [purchase.id, spend.id]) {
        const refused = await run('deleteTransaction', { transactionId }, customerId);
        expect(code(refused)).toEqual(['INVALID_STATE']);
        expect(refused.userErrors[0].field).toEqual(['input', 'transactionId']);
      }
      expect((await ledger(customerId)).deleted).toBe(0);
    });

    it('refuses when the balance cannot cover the reversal (INSUFFICIENT_BALANCE)', async () => {
      const customerId = await newCustomer();
      await run('recordCreditPurchase', { customerId, credits: '10' }, customerId);
      const spend = (await run('recordCreditSpend', { customerId, credits: '10' }, customerId))
        .transaction;
      const refund = (await run('refundTransaction', { transactionId: spend.id }, customerId))
        .transaction;
      await run('recordCreditSpend', { customerId, credits: '5' }, customerId);
      const refused = await run('deleteTransaction', { transactionId: refund.id }, customerId);
      expect(refused.userErrors).toEqual([
        {
          code: 'INSUFFICIENT_BALANCE',
          field: ['input', 'transactionId'],
          message: 'Deleting this entry would remove 10 credits, but the balance is 5 credits.',
        },
      ]);
      expect((await ledger(customerId)).deleted).toBe(0);
    });

    it('deletes a wrong negative correction by giving its credits back', async () => {
      const customerId = await newCustomer();
      await run('recordCreditPurchase', { customerId, credits: '60' }, customerId);
      const correction = (
        await run(
          'adjustBalance',
          { customerId, credits: '-60', comment: 'Money refund' },
          customerId,
        )
      ).transaction;
      const deleted = await run('deleteTransaction', { transactionId: correction.id }, customerId);
      expect(deleted.transaction.deleted).toBe(true);
      expect(deleted.customer.creditBalance).toBe('60');
    });
  });

  describe('adjustBalance', () => {
    it('adds and removes with a required comment; the seed money refund leaves zero', async () => {
      const customerId = await newCustomer();
      const added = await run(
        'adjustBalance',
        { customerId, credits: '140', comment: 'Goodwill' },
        customerId,
      );
      expect(added.transaction).toMatchObject({
        kind: 'ADJUSTMENT',
        credits: '140',
        balanceAfter: '140',
        description: 'Goodwill',
      });
      const tooMuch = await run(
        'adjustBalance',
        { customerId, credits: '-141', comment: 'Refund' },
        customerId,
      );
      expect(tooMuch.userErrors).toEqual([
        {
          code: 'INSUFFICIENT_BALANCE',
          field: ['input', 'credits'],
          message: 'The balance is 140 credits: a correction can remove at most 140 credits.',
        },
      ]);
      // Seed example #2: a negative correction of the whole balance, then the payment system.
      const refund = await run(
        'adjustBalance',
        { customerId, credits: '-140', comment: 'Money refund via MoMo' },
        customerId,
      );
      expect(refund.transaction).toMatchObject({ credits: '-140', balanceAfter: '0' });
      expect(refund.customer.creditBalance).toBe('0');

      const customer = await api.gql<any>(
        `query ($id: ID!) { customer(id: $id) { creditBalance recentCreditCorrections { credits description } } }`,
        { id: customerId },
        owner.token,
      );
      expect(customer.data.customer).toEqual({
        creditBalance: '0',
        recentCreditCorrections: [
          { credits: '-140', description: 'Money refund via MoMo' },
          { credits: '140', description: 'Goodwill' },
        ],
      });
    });

    it('refuses a zero correction and a blank comment, writing nothing', async () => {
      const customerId = await newCustomer();
      for (const credits of ['0', '-0']) {
        const zero = await run('adjustBalance', { customerId, credits, comment: 'x' }, customerId);
        expect(code(zero)).toEqual(['INVALID_AMOUNT']);
      }
      const blank = await api.gql<any>(
        ADJUST,
        { input: { customerId, credits: '5', comment: '   ' } },
        owner.token,
      );
      expect(blank.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(await ledger(customerId)).toEqual({
        balance: 0n,
        counting: 0n,
        entries: 0,
        deleted: 0,
      });
    });
  });

  it('rejects fractional, zero, negative, exponent and oversized amounts with nothing written', async () => {
    const customerId = await newCustomer();
    await run('recordCreditPurchase', { customerId, credits: '50' }, customerId);
    const spendId = (await run('recordCreditSpend', { customerId, credits: '20' }, customerId))
      .transaction.id;
    const before = await ledger(customerId);

    const attempts: Array<[Mutation, Record<string, unknown>, string]> = [];
    const amounts: Array<[string | number, string]> = [
      ['2.5', 'INVALID_AMOUNT'],
      ['0.0', 'INVALID_AMOUNT'],
      ['0', 'INVALID_AMOUNT'],
      ['-5', 'INVALID_AMOUNT'],
      ['1e3', 'BAD_USER_INPUT'],
      ['1E3', 'BAD_USER_INPUT'],
      ['+5', 'BAD_USER_INPUT'],
      [' 5', 'BAD_USER_INPUT'],
      ['10000000000000', 'INVALID_AMOUNT'],
      ['9'.repeat(40), 'BAD_USER_INPUT'],
      [5, 'BAD_USER_INPUT'],
      [2.5, 'BAD_USER_INPUT'],
    ];
    for (const [credits, expected] of amounts) {
      attempts.push(['recordCreditPurchase', { customerId, credits }, expected]);
      attempts.push(['recordCreditSpend', { customerId, credits }, expected]);
      attempts.push(['refundTransaction', { transactionId: spendId, credits }, expected]);
      // A correction may be negative; everything else is refused the same way.
      if (credits !== '-5' && credits !== '0' && credits !== '0.0') {
        attempts.push(['adjustBalance', { customerId, credits, comment: 'c' }, expected]);
      }
    }
    attempts.push([
      'adjustBalance',
      { customerId, credits: '-2.5', comment: 'c' },
      'INVALID_AMOUNT',
    ]);
    attempts.push([
      'adjustBalance',
      { customerId, credits: '-10000000000000', comment: 'c' },
      'INVALID_AMOUNT',
    ]);

    for (const [mutation, input, expected] of attempts) {
      const response: GqlResponse<any> = await api.gql<any>(
        DOCUMENT[mutation],
        { input },
        owner.token,
      );
      const got =
        response.errors?.[0]?.extensions?.code ?? response.data?.[mutation]?.userErrors?.[0]?.code;
      expect({ mutation, credits: input.credits, code: got }).toEqual({
        mutation,
        credits: input.credits,
        code: expected,
      });
      if (got === 'INVALID_AMOUNT') {
        expect(response.data[mutation].userErrors[0].field).toEqual(['input', 'credits']);
      }
    }
    expect(await expectConsistent(customerId)).toEqual(before);
  });

  it('finds no customer of another business (NOT_FOUND) and writes nothing there', async () => {
    const other = await api.signUp();
    const theirs = await newCustomer('Theirs', other);
    for (const customerId of [theirs, 'not-a-uuid']) {
      const purchase = await api.gql<any>(
        PURCHASE,
        { input: { customerId, credits: '5' } },
        owner.token,
      );
      expect(purchase.data.recordCreditPurchase.userErrors).toEqual([
        expect.objectContaining({ code: 'NOT_FOUND', field: ['input', 'customerId'] }),
      ]);
      const adjust = await api.gql<any>(
        ADJUST,
        { input: { customerId, credits: '5', comment: 'x' } },
        owner.token,
      );
      expect(adjust.data.adjustBalance.userErrors[0].code).toBe('NOT_FOUND');
    }
    expect(await ledger(theirs)).toEqual({ balance: 0n, counting: 0n, entries: 0, deleted: 0 });
    const list = await api.gql<any>(LIST, { customerId: theirs }, owner.token);
    expect(list.data.creditTransactions.nodes).toEqual([]);
  });

  describe('who may', () => {
    it('lets OWNER, ADMIN and MANAGER move and read credits; AGENT and VIEWER do neither', async () => {
      const customerId = await newCustomer();
      for (const role of ['ADMIN', 'MANAGER']) {
        const token = await addMember(api, owner, role);
        const done = await run(
          'recordCreditPurchase',
          { customerId, credits: '1' },
          customerId,
          token,
        );
        expect(done.userErrors).toEqual([]);
        const list = await api.gql<any>(LIST, { customerId }, token);
        expect(list.errors).toBeUndefined();
      }
      for (const role of ['AGENT', 'VIEWER']) {
        const token = await addMember(api, owner, role);
        const inputs: Record<Mutation, Record<string, unknown>> = {
          recordCreditPurchase: { customerId, credits: '1' },
          recordCreditSpend: { customerId, credits: '1' },
          refundTransaction: { transactionId: customerId },
          adjustBalance: { customerId, credits: '1', comment: 'x' },
          deleteTransaction: { transactionId: customerId },
        };
        for (const mutation of Object.keys(DOCUMENT) as Mutation[]) {
          const refused = await api.gql<any>(
            DOCUMENT[mutation],
            { input: inputs[mutation] },
            token,
          );
          expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        }
        const list = await api.gql<any>(LIST, {}, token);
        expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        const balance = await api.gql<any>(
          `query ($id: ID!) { customer(id: $id) { name creditBalance } }`,
          { id: customerId },
          token,
        );
        expect(balance.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }
      expect((await ledger(customerId)).balance).toBe(2n);
      const anonymous = await api.gql<any>(PURCHASE, { input: { customerId, credits: '1' } });
      expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('lets a WRITE API key record credits (no member as author) and a READ key only read', async () => {
      const customerId = await newCustomer();
      const key = async (scopes: string[]) =>
        (
          await api.gql<any>(
            `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
            { input: { name: `key ${scopes.join()}`, scopes } },
            owner.token,
          )
        ).data.createApiKey.secret as string;
      const readWriteKey = await key(['READ', 'WRITE']);
      const writeKey = await key(['WRITE']);
      const readKey = await key(['READ']);
      const viaKey = await run(
        'recordCreditPurchase',
        { customerId, credits: '7' },
        customerId,
        readWriteKey,
      );
      expect(viaKey.transaction).toMatchObject({ credits: '7', createdBy: null });
      // A WRITE-only key moves credits and learns the entry's id; reading it takes READ.
      const writeOnly = await api.gql<any>(
        `mutation ($input: RecordCreditInput!) { recordCreditSpend(input: $input) { transaction { id } userErrors { code } } }`,
        { input: { customerId, credits: '2' } },
        writeKey,
      );
      expect(writeOnly.errors).toBeUndefined();
      expect(writeOnly.data.recordCreditSpend.transaction.id).toEqual(expect.any(String));
      await expectConsistent(customerId);
      const refused = await api.gql<any>(
        PURCHASE,
        { input: { customerId, credits: '7' } },
        readKey,
      );
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const list = await api.gql<any>(LIST, { customerId }, readKey);
      expect(list.data.creditTransactions.nodes).toHaveLength(2);
      expect((await ledger(customerId)).balance).toBe(5n);
    });
  });

  describe('idempotency keys', () => {
    it('replays the first result; another input with the same key is IDEMPOTENCY_KEY_REUSED', async () => {
      const customerId = await newCustomer();
      const input = { customerId, credits: '30', idempotencyKey: 'purchase-1' };
      const first = await run('recordCreditPurchase', input, customerId);
      const again = await run('recordCreditPurchase', input, customerId);
      expect(again.transaction.id).toBe(first.transaction.id);
      expect(again.customer.creditBalance).toBe('30');
      const reused = await run('recordCreditPurchase', { ...input, credits: '31' }, customerId);
      expect(reused.userErrors).toEqual([
        expect.objectContaining({
          code: 'IDEMPOTENCY_KEY_REUSED',
          field: ['input', 'idempotencyKey'],
        }),
      ]);
      // One key cannot be replayed as another operation either.
      const asSpend = await run('recordCreditSpend', input, customerId);
      expect(code(asSpend)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
      expect((await ledger(customerId)).entries).toBe(1);

      const spend = (await run('recordCreditSpend', { customerId, credits: '10' }, customerId))
        .transaction;
      const refundInput = { transactionId: spend.id, credits: '4', idempotencyKey: 'refund-1' };
      const refund = await run('refundTransaction', refundInput, customerId);
      expect((await run('refundTransaction', refundInput, customerId)).transaction.id).toBe(
        refund.transaction.id,
      );
      const adjustInput = { customerId, credits: '-5', comment: 'fix', idempotencyKey: 'adjust-1' };
      const adjust = await run('adjustBalance', adjustInput, customerId);
      expect((await run('adjustBalance', adjustInput, customerId)).transaction.id).toBe(
        adjust.transaction.id,
      );
      const deleteInput = { transactionId: refund.transaction.id, idempotencyKey: 'delete-1' };
      const deleted = await run('deleteTransaction', deleteInput, customerId);
      const replayed = await run('deleteTransaction', deleteInput, customerId);
      expect(replayed.userErrors).toEqual([]);
      expect(replayed.transaction.id).toBe(deleted.transaction.id);
      expect(replayed.reversal.id).toBe(deleted.reversal.id);
      const otherReason = await run(
        'deleteTransaction',
        { ...deleteInput, reason: 'another reason' },
        customerId,
      );
      expect(code(otherReason)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
      // 30 - 10 + 4 - 5, then the refund of 4 reversed by one REVERSAL entry.
      expect(await ledger(customerId)).toEqual({
        balance: 15n,
        counting: 15n,
        entries: 5,
        deleted: 1,
      });
    });

    it('a refused request leaves its key free for a corrected retry of the same input', async () => {
      const customerId = await newCustomer();
      const input = { customerId, credits: '5', idempotencyKey: 'spend-early' };
      expect(code(await run('recordCreditSpend', input, customerId))).toEqual([
        'INSUFFICIENT_BALANCE',
      ]);
      await run('recordCreditPurchase', { customerId, credits: '5' }, customerId);
      const retried = await run('recordCreditSpend', input, customerId);
      expect(retried.userErrors).toEqual([]);
      expect(retried.customer.creditBalance).toBe('0');
    });

    it('racing repeats of one key write once and all return the same entry', async () => {
      const customerId = await newCustomer();
      const input = { customerId, credits: '12', idempotencyKey: 'race-key' };
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => api.gql<any>(PURCHASE, { input }, owner.token)),
      );
      const ids = new Set(
        responses.map((r) => {
          expect(r.errors).toBeUndefined();
          expect(r.data.recordCreditPurchase.userErrors).toEqual([]);
          return r.data.recordCreditPurchase.transaction.id;
        }),
      );
      expect(ids.size).toBe(1);
      expect(await expectConsistent(customerId)).toEqual({
        balance: 12n,
        counting: 12n,
        entries: 1,
        deleted: 0,
      });
    });
  });

  describe('races', () => {
    it('40 racing 1-credit refunds of a 25-credit spend refund exactly 25', async () => {
      const customerId = await newCustomer();
      await run('recordCreditPurchase', { customerId, credits: '25' }, customerId);
      const spendId = (await run('recordCreditSpend', { customerId, credits: '25' }, customerId))
        .transaction.id;
      const responses = await Promise.all(
        Array.from({ length: 40 }, () =>
          api.gql<any>(REFUND, { input: { transactionId: spendId, credits: '1' } }, owner.token),
        ),
      );
      const codes = responses.map((r) => {
        expect(r.errors).toBeUndefined();
        return r.data.refundTransaction.userErrors[0]?.code ?? 'OK';
      });
      expect(codes.filter((c) => c === 'OK')).toHaveLength(25);
      expect(codes.filter((c) => c === 'AMOUNT_EXCEEDS_REFUNDABLE')).toHaveLength(15);
      const stored = await expectConsistent(customerId);
      expect(stored).toEqual({ balance: 25n, counting: 25n, entries: 27, deleted: 0 });
      const list = await api.gql<any>(LIST, { customerId, kind: 'SPEND' }, owner.token);
      expect(list.data.creditTransactions.nodes[0]).toMatchObject({
        refundedCredits: '25',
        refundableCredits: '0',
      });
      // Each success recorded a distinct balance after it: 1, 2, ..., 25.
      const refunds = await api.gql<any>(
        LIST,
        { customerId, kind: 'REFUND', first: 100 },
        owner.token,
      );
      const after = refunds.data.creditTransactions.nodes.map((n: any) => Number(n.balanceAfter));
      expect([...after].sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    });

    it('30 racing -10 corrections on a balance of 100 give exactly 10 and a zero balance', async () => {
      const customerId = await newCustomer();
      await run('recordCreditPurchase', { customerId, credits: '100' }, customerId);
      const responses = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          api.gql<any>(
            ADJUST,
            { input: { customerId, credits: '-10', comment: `correction ${i}` } },
            owner.token,
          ),
        ),
      );
      const codes = responses.map((r) => {
        expect(r.errors).toBeUndefined();
        return r.data.adjustBalance.userErrors[0]?.code ?? 'OK';
      });
      expect(codes.filter((c) => c === 'OK')).toHaveLength(10);
      expect(codes.filter((c) => c === 'INSUFFICIENT_BALANCE')).toHaveLength(20);
      expect(await expectConsistent(customerId)).toEqual({
        balance: 0n,
        counting: 0n,
        entries: 11,
        deleted: 0,
      });
    });

    it('racing deletes of one refund reverse it once', async () => {
      const customerId = await newCustomer();
      await run('recordCreditPurchase', { customerId, credits: '10' }, customerId);
      const spend = (await run('recordCreditSpend', { customerId, credits: '10' }, customerId))
        .transaction;
      const refund = (await run('refundTransaction', { transactionId: spend.id }, customerId))
        .transaction;
      await run('recordCreditPurchase', { customerId, credits: '100' }, customerId);
      const responses = await Promise.all(
        Array.from({ length: 10 }, () =>
          api.gql<any>(DELETE, { input: { transactionId: refund.id } }, owner.token),
        ),
      );
      const codes = responses.map((r) => r.data.deleteTransaction.userErrors[0]?.code ?? 'OK');
      expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
      expect(codes.filter((c) => c === 'INVALID_STATE')).toHaveLength(9);
      const stored = await expectConsistent(customerId);
      expect(stored).toMatchObject({ balance: 100n, deleted: 1 });
    });
  });

  describe('reason categories and the audit trail', () => {
    const AUDIT = `query ($subjectId: ID, $action: String) {
      auditLog(subjectId: $subjectId, action: $action, first: 20) {
        nodes { action actorKind actorName subjectType subjectId reason changes { field before after } }
      }
    }`;
    const auditOf = async (subjectId: string) =>
      (await api.gql<any>(AUDIT, { subjectId }, owner.token)).data.auditLog.nodes;

    it('stores and returns the reason category of a refund; an unknown one is BAD_USER_INPUT', async () => {
      const customerId = await newCustomer();
      await run('recordCreditPurchase', { customerId, credits: '20' }, customerId);
      const spend = (await run('recordCreditSpend', { customerId, credits: '20' }, customerId))
        .transaction;
      const refund = await run(
        'refundTransaction',
        { transactionId: spend.id, credits: '5', reasonCategory: 'NOT_DELIVERED' },
        customerId,
      );
      expect(refund.transaction).toMatchObject({ kind: 'REFUND', reasonCategory: 'NOT_DELIVERED' });
      const listed = await api.gql<any>(LIST, { customerId, kind: 'REFUND' }, owner.token);
      expect(listed.data.creditTransactions.nodes[0].reasonCategory).toBe('NOT_DELIVERED');

      const unknown = await api.gql<any>(
        REFUND,
        { input: { transactionId: spend.id, reasonCategory: 'BECAUSE' } },
        owner.token,
      );
      expect(unknown.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect((await ledger(customerId)).entries).toBe(3);
    });

    it('audits every credit action with the balance before and after, in the same transaction', async () => {
      const customerId = await newCustomer();
      const bought = await run('recordCreditPurchase', { customerId, credits: '50' }, customerId);
      const spent = await run('recordCreditSpend', { customerId, credits: '20' }, customerId);
      const refunded = await run(
        'refundTransaction',
        {
          transactionId: spent.transaction.id,
          credits: '8',
          reason: 'Chat dropped',
          reasonCategory: 'NOT_DELIVERED',
        },
        customerId,
      );
      const adjusted = await run(
        'adjustBalance',
        { customerId, credits: '-3', comment: 'Miscount' },
        customerId,
      );
      const deleted = await run(
        'deleteTransaction',
        { transactionId: refunded.transaction.id, reason: 'Wrong chat' },
        customerId,
      );

      expect(await auditOf(bought.transaction.id)).toEqual([
        expect.objectContaining({
          action: 'CREDITS_PURCHASED',
          actorKind: 'MEMBER',
          actorName: 'Ama Owusu',
          subjectType: 'CreditTransaction',
          changes: [{ field: 'balance', before: '0', after: '50' }],
        }),
      ]);
      // The spend is the subject of its own entry and of the refund that gave part of it back.
      expect(await auditOf(spent.transaction.id)).toEqual([
        expect.objectContaining({
          action: 'CREDIT_REFUNDED',
          reason: 'Chat dropped',
          changes: [
            { field: 'balance', before: '30', after: '38' },
            { field: 'refundEntry', before: null, after: refunded.transaction.id },
            { field: 'refundedCredits', before: '0', after: '8' },
          ],
        }),
        expect.objectContaining({
          action: 'CREDITS_SPENT',
          changes: [{ field: 'balance', before: '50', after: '30' }],
        }),
      ]);
      expect(await auditOf(adjusted.transaction.id)).toEqual([
        expect.objectContaining({
          action: 'BALANCE_ADJUSTED',
          reason: 'Miscount',
          changes: [{ field: 'balance', before: '38', after: '35' }],
        }),
      ]);
      expect(await auditOf(refunded.transaction.id)).toEqual([
        expect.objectContaining({
          action: 'ENTRY_REVERSED',
          reason: 'Wrong chat',
          changes: [
            { field: 'balance', before: '35', after: '27' },
            { field: 'deleted', before: 'false', after: 'true' },
            { field: 'reversalEntry', before: null, after: deleted.reversal.id },
          ],
        }),
      ]);
    });

    it('writes no audit entry for a refused action or an idempotent replay', async () => {
      const customerId = await newCustomer();
      const count = async () => {
        const [row]: any[] = await api.db.manager.query(
          `SELECT count(*) AS n FROM audit_entries WHERE business_id = $1`,
          [owner.businessId],
        );
        return Number(row.n);
      };
      const before = await count();
      const refused = await run('recordCreditSpend', { customerId, credits: '5' }, customerId);
      expect(code(refused)).toEqual(['INSUFFICIENT_BALANCE']);
      expect(await count()).toBe(before);
      const input = { customerId, credits: '5', idempotencyKey: 'audit-once' };
      await run('recordCreditPurchase', input, customerId);
      await run('recordCreditPurchase', input, customerId);
      expect(await count()).toBe(before + 1);
    });
  });

  describe('creditTransactions', () => {
    it('lists newest first with keyset pagination, filtered by customer and kind, within the business', async () => {
      const a = await newCustomer('Alpha');
      const b = await newCustomer('Beta');
      const made: string[] = [];
      for (let i = 1; i <= 7; i++) {
        const customerId = i % 2 ? a : b;
        made.push(
          (await run('recordCreditPurchase', { customerId, credits: String(i) }, customerId))
            .transaction.id,
        );
      }
      const spendId = (await run('recordCreditSpend', { customerId: a, credits: '2' }, a))
        .transaction.id;
      made.push(spendId);

      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const page: any = await api.gql<any>(LIST, { first: 3, after }, owner.token);
        const connection = page.data.creditTransactions;
        seen.push(...connection.nodes.map((n: any) => n.id));
        after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
        pages++;
      } while (after && pages < 100);
      // Every entry of the business, newest first, each exactly once.
      expect(seen.slice(0, made.length)).toEqual([...made].reverse());
      expect(new Set(seen).size).toBe(seen.length);

      const ofA = await api.gql<any>(LIST, { customerId: a, first: 100 }, owner.token);
      expect(ofA.data.creditTransactions.nodes.map((n: any) => n.credits)).toEqual([
        '-2',
        '7',
        '5',
        '3',
        '1',
      ]);
      const spends = await api.gql<any>(LIST, { customerId: a, kind: 'SPEND' }, owner.token);
      expect(spends.data.creditTransactions.nodes.map((n: any) => n.id)).toEqual([spendId]);

      const other = await api.signUp();
      const theirs = await api.gql<any>(LIST, {}, other.token);
      expect(theirs.data.creditTransactions).toEqual({
        nodes: [],
        pageInfo: { hasNextPage: false, endCursor: null },
      });
    });

    it('refuses a bad page size or cursor as BAD_USER_INPUT', async () => {
      for (const variables of [{ first: 0 }, { first: 101 }, { after: 'garbage' }]) {
        const response = await api.gql<any>(LIST, variables, owner.token);
        expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      }
    });

    it('reads each filter through the index that matches it, also with many entries', async () => {
      const bulk = await newCustomer('Bulk');
      // Many entries for one customer, one in ten a spend, so the planner has real statistics.
      // Fewer on PGlite: it runs in this process, and a long block here outlives HTTP keep-alive.
      const count = api.storage === 'postgres' ? 60_000 : 6_000;
      await api.db.manager.query(
        `INSERT INTO credit_wallets (customer_id, business_id, balance) VALUES ($1, $2, 0)`,
        [bulk, owner.businessId],
      );
      await api.db.manager.query(
        `INSERT INTO credit_transactions (id, business_id, customer_id, kind, credits, balance_after, created_at)
         SELECT gen_random_uuid(), $1, $2,
                CASE WHEN i % 10 = 0 THEN 'SPEND' ELSE 'PURCHASE' END,
                CASE WHEN i % 10 = 0 THEN -1 ELSE 1 END, 0, now()
           FROM generate_series(1, $3::int) AS i`,
        [owner.businessId, bulk, count],
      );
      await api.db.manager.query('ANALYZE credit_transactions');
      for (const where of [
        'business_id = $1',
        'business_id = $1 AND customer_id = $2',
        "business_id = $1 AND kind = 'SPEND'",
        "business_id = $1 AND customer_id = $2 AND kind = 'SPEND'",
      ]) {
        const params = where.includes('$2') ? [owner.businessId, bulk] : [owner.businessId];
        const plan: any[] = await api.db.manager.query(
          `EXPLAIN SELECT id FROM credit_transactions t WHERE ${where} AND seq < 9000000000 ORDER BY seq DESC LIMIT 21`,
          params,
        );
        const text = plan.map((row) => row['QUERY PLAN']).join('\n');
        // An index walk in seq order that stops after the page: no full scan, no sort of all rows.
        expect(text).toMatch(/Index Scan/);
        expect(text).not.toMatch(/Seq Scan|Sort/);
      }
      // And the API pages through them quickly, newest first.
      const started = Date.now();
      const page = await api.gql<any>(
        LIST,
        { customerId: bulk, kind: 'SPEND', first: 100 },
        owner.token,
      );
      expect(page.data.creditTransactions.nodes).toHaveLength(100);
      const next = await api.gql<any>(
        LIST,
        {
          customerId: bulk,
          kind: 'SPEND',
          first: 100,
          after: page.data.creditTransactions.pageInfo.endCursor,
        },
        owner.token,
      );
      expect(next.data.creditTransactions.nodes).toHaveLength(100);
      expect(Date.now() - started).toBeLessThan(5000);
    });
  });
});

import { createCustomer, type SignedUp, startTestApi, type TestApi } from '../test/harness';

/**
 * Every ledger, listed here on its own (not read from the migration), so that a table dropped
 * from the triggers' list fails this test.
 */
const LEDGERS = [
  'credit_transactions',
  'account_credits',
  'account_allocations',
  'account_refunds',
  'quote_payments',
  'quote_refunds',
  'audit_entries',
] as const;

describe('append-only ledgers, enforced by the database', () => {
  let api: TestApi;
  let owner: SignedUp;

  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const result = await api.gql<any>(query, variables, owner.token);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    const payload = Object.values(result.data ?? {})[0] as any;
    if (payload?.userErrors?.length) throw new Error(JSON.stringify(payload.userErrors));
    return payload;
  };

  async function invoice(customerId: string, total: string): Promise<string> {
    const created = await gql(
      `mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id } userErrors { code } } }`,
      {
        input: {
          customerId,
          title: 'Deep clean',
          lineItems: [{ description: 'Deep clean', quantity: '1', unitPrice: total }],
        },
      },
    );
    for (const step of ['sendQuote', 'acceptQuote']) {
      await gql(`mutation ($id: ID!) { ${step}(quoteId: $id) { userErrors { code } } }`, {
        id: created.quote.id,
      });
    }
    return created.quote.id;
  }

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.signUp();
    const customerId = await createCustomer(api, owner);
    // One row in every ledger, written the way the product writes them.
    await gql(
      `mutation ($input: RecordCreditInput!) { recordCreditPurchase(input: $input) { userErrors { code } } }`,
      { input: { customerId, credits: '10' } },
    );
    const paidQuote = await invoice(customerId, '40.00');
    await gql(
      `mutation ($input: MarkPaidInput!) { markQuotePaid(input: $input) { userErrors { code } } }`,
      { input: { quoteId: paidQuote } },
    );
    await gql(
      `mutation ($input: RecordRefundInput!) { recordRefund(input: $input) { userErrors { code } } }`,
      { input: { quoteId: paidQuote, amount: '5.00', reasonCategory: 'GOODWILL' } },
    );
    const allocatedQuote = await invoice(customerId, '20.00');
    const note = await gql(
      `mutation ($input: CreateCreditNoteInput!) { createCreditNote(input: $input) { credit { id } userErrors { code } } }`,
      { input: { customerId, amount: { amount: '25.00', currency: 'GHS' } } },
    );
    await gql(
      `mutation ($input: AllocateCreditInput!) { allocateCredit(input: $input) { userErrors { code } } }`,
      { input: { creditId: note.credit.id, quoteId: allocatedQuote, amount: '20.00' } },
    );
    const bank = await gql(
      `mutation { createBankAccount(input: { name: "Main", currency: "GHS" }) { bankAccount { id } userErrors { code } } }`,
    );
    await gql(
      `mutation ($input: RefundCreditNoteInput!) { refundCreditNote(input: $input) { userErrors { code } } }`,
      { input: { creditId: note.credit.id, bankAccountId: bank.bankAccount.id } },
    );
  });
  afterAll(() => api.close());

  const count = async (table: string): Promise<number> => {
    const [row]: Array<{ n: string | number }> = await api.db.manager.query(
      `SELECT count(*) AS n FROM ${table} WHERE business_id = $1`,
      [owner.businessId],
    );
    return Number(row?.n ?? 0);
  };

  it.each(LEDGERS)('%s refuses a direct UPDATE and DELETE and keeps its rows', async (table) => {
    const rows = await count(table);
    expect(rows).toBeGreaterThan(0);
    await expect(
      api.db.manager.query(`UPDATE ${table} SET id = id WHERE business_id = $1`, [
        owner.businessId,
      ]),
    ).rejects.toThrow(`${table} is append-only: UPDATE refused`);
    await expect(
      api.db.manager.query(`DELETE FROM ${table} WHERE business_id = $1`, [owner.businessId]),
    ).rejects.toThrow(`${table} is append-only: DELETE refused`);
    await expect(api.db.manager.query(`TRUNCATE ${table} CASCADE`)).rejects.toThrow(
      /append-only: TRUNCATE refused/,
    );
    expect(await count(table)).toBe(rows);
  });

  it('still accepts new entries: the product only ever inserts', async () => {
    const before = await count('credit_transactions');
    const customerId = await createCustomer(api, owner, 'Another');
    await gql(
      `mutation ($input: RecordCreditInput!) { recordCreditPurchase(input: $input) { userErrors { code } } }`,
      { input: { customerId, credits: '3' } },
    );
    expect(await count('credit_transactions')).toBe(before + 1);
  });
});

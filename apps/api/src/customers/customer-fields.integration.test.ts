import { startTestApi, type SignedUp, type TestApi } from '../test/harness';

/**
 * A page of customers and the per-row fields a list shows cost a fixed number of queries, however
 * long the page: each field is loaded for the whole page at once (no N+1).
 */
describe('a page of customers with its per-row fields (no N+1)', () => {
  let api: TestApi;
  let owner: SignedUp;
  const bought = new Map<string, string>();

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.signUp();
    await api.db.manager.query(
      `INSERT INTO customers (id, business_id, name, email, portal_token, created_at)
       SELECT gen_random_uuid(), $1, 'Customer ' || lpad(n::text, 2, '0'), NULL,
              'tok-' || gen_random_uuid(), now()
         FROM generate_series(1, 40) n`,
      [owner.businessId],
    );
    const rows: { id: string; name: string }[] = await api.db.manager.query(
      `SELECT id, name FROM customers WHERE business_id = $1 AND name IN ('Customer 02', 'Customer 30')`,
      [owner.businessId],
    );
    for (const [i, row] of rows.entries()) {
      const credits = String(5 + i * 4);
      const result = await api.gql<any>(
        `mutation ($input: RecordCreditInput!) { recordCreditPurchase(input: $input) { userErrors { code } } }`,
        { input: { customerId: row.id, credits } },
        owner.token,
      );
      expect(result.data.recordCreditPurchase.userErrors).toEqual([]);
      bought.set(row.name, credits);
    }
  });
  afterAll(() => api.close());

  /** The SQL statements the API sent while answering `query`. */
  async function queriesOf(query: string): Promise<{ sql: string[]; data: any }> {
    const logger = api.db.dataSource.logger;
    const original = logger.logQuery.bind(logger);
    const sql: string[] = [];
    logger.logQuery = (text, parameters, runner) => {
      sql.push(text);
      original(text, parameters, runner);
    };
    try {
      const result = await api.gql<any>(query, {}, owner.token);
      expect(result.errors).toBeUndefined();
      return { sql, data: result.data };
    } finally {
      logger.logQuery = original;
    }
  }

  const touching = (sql: string[], table: string) =>
    sql.filter((text) => new RegExp(`\\b${table}\\b`).test(text)).length;

  it('reads the customers once and every creditBalance with one query, at 5 rows or 40', async () => {
    for (const first of [5, 40]) {
      const { sql, data } = await queriesOf(
        `{ customers(first: ${first}) { nodes { id name creditBalance portalPath } } }`,
      );
      const nodes: { name: string; creditBalance: string; portalPath: string }[] =
        data.customers.nodes;
      expect(nodes).toHaveLength(first);
      expect({ first, customers: touching(sql, 'customers') }).toEqual({ first, customers: 1 });
      expect({ first, wallets: touching(sql, 'credit_wallets') }).toEqual({ first, wallets: 1 });
      for (const node of nodes) {
        expect(node.creditBalance).toBe(bought.get(node.name) ?? '0');
        expect(node.portalPath).toMatch(/^\/c\/tok-/);
      }
    }
  });
});

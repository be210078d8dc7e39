import { startTestApi, type SignedUp, type TestApi } from '../test/harness';
import { explainAnalyze } from '../test/explain';
import type { CustomerListQuery } from './customer.service';
import { INITIALS_SQL } from './customer-name.sql';
import { oldList } from './customer-search.oracle';

/**
 * At 12,000 customers (and 4,000 more in another business) every list shape reads an index and
 * a page's worth of rows, not every customer: proven with EXPLAIN ANALYZE of the exact SQL the
 * service runs. The row counts are what makes the cost flat; they are asserted on both storages
 * (PGlite is the same planner), the index names too.
 */
const CUSTOMERS = 12_000;
const OTHER_BUSINESS_CUSTOMERS = 4_000;

/** The plan of `sql`, run, and what it read of customers. */
const explain = (api: TestApi, sql: string, params: unknown[]) => explainAnalyze(api, sql, params);

describe(`customer lists at ${CUSTOMERS.toLocaleString('en')} customers read indexes, not every customer`, () => {
  let api: TestApi;
  let big: SignedUp;
  let noise: SignedUp;
  beforeAll(async () => {
    api = await startTestApi();
    big = await api.signUp();
    noise = await api.signUp();
    for (const [business, count] of [
      [big, CUSTOMERS],
      [noise, OTHER_BUSINESS_CUSTOMERS],
    ] as const) {
      // Names in the real shape: first and last names from short lists (so trigrams repeat), a
      // number; every 50th starts with a digit, every 97th with an emoji.
      await api.db.manager.query(
        `INSERT INTO customers (id, business_id, name, email, portal_token, created_at)
         SELECT gen_random_uuid(), $1,
                CASE WHEN n % 50 = 0 THEN n || ' Trading'
                     WHEN n % 97 = 0 THEN '😀 Party ' || n
                     ELSE (ARRAY['Ama','Kofi','Kwame','Esi','Yaw','Abena','Kojo','Efua','Adwoa','Kwesi',
                                 'Akosua','Nana','Emeka','Chidi','Ngozi','Tunde','Bola','Sade','Émile','Zainab'])[1 + n % 20]
                          || ' ' ||
                          (ARRAY['Mensah','Owusu','Boateng','Asante','Osei','Adjei','Appiah','Okafor',
                                 'Adeyemi','Bello','Danso','Frimpong','Gyamfi','Obi','Eze'])[1 + (n / 20) % 15]
                          || ' ' || n
                END,
                'c' || n || '@example.com', 'tok-' || gen_random_uuid(), now()
           FROM generate_series(1, $2::int) n`,
        [business.businessId, count],
      );
    }
    await api.db.manager.query(
      `INSERT INTO customers (id, business_id, name, email, portal_token, created_at)
       VALUES (gen_random_uuid(), $1, 'Zanele Mokoena', 'zanele.mokoena@rare.test', 'tok-' || gen_random_uuid(), now()),
              (gen_random_uuid(), $1, 'Quabena Jr', 'qj@rare.test', 'tok-' || gen_random_uuid(), now())`,
      [big.businessId],
    );
    await api.db.manager.query('ANALYZE customers');
  }, 300_000); // the embedded database takes a while to insert and index 16,000 rows
  afterAll(() => api.close());

  const listPlan = async (query: CustomerListQuery) => {
    const [sql, params] = api.services.customers.listQuery(big.businessId, query);
    const plan = await explain(api, sql, params);
    if (process.env.SHOW_PLANS)
      console.log(JSON.stringify(query), plan.rowsRead, plan.text, sql, params);
    return plan;
  };

  it('pages the whole list by keyset on (business, folded name, id)', async () => {
    const first = await listPlan({ first: 20 });
    expect(first.indexes).toEqual(['customers_business_folded_name_idx']);
    expect(first.rowsRead).toBeLessThanOrEqual(21);
    expect(first.nodes.some((node) => node['Node Type'] === 'Sort')).toBe(false);

    // A page deep into the list costs the same as the first.
    const page = await api.services.customers.list(big.businessId, { first: 100 });
    const middle = await api.services.customers.list(big.businessId, {
      first: 100,
      after: page.pageInfo.endCursor,
    });
    const deep = await listPlan({ first: 20, after: middle.pageInfo.endCursor });
    expect(deep.indexes).toEqual(['customers_business_folded_name_idx']);
    expect(deep.rowsRead).toBeLessThanOrEqual(21);
  });

  it('filters by initial on (business, initial, folded name, id), for a letter and for "#"', async () => {
    for (const initial of ['Z', 'é', '#']) {
      const plan = await listPlan({ initial, first: 20 });
      expect({ initial, indexes: plan.indexes }).toEqual({
        initial,
        indexes: ['customers_business_initial_idx'],
      });
      expect(plan.rowsRead).toBeLessThanOrEqual(21);
      const page = await api.services.customers.list(big.businessId, { initial, first: 20 });
      const next = await listPlan({ initial, first: 20, after: page.pageInfo.endCursor });
      expect(next.indexes).toEqual(['customers_business_initial_idx']);
      expect(next.rowsRead).toBeLessThanOrEqual(21);
    }
  });

  it('finds a rare name or e-mail through the trigram indexes, reading only the matches', async () => {
    for (const search of ['Zanele', 'mokoena@rare', 'zan', 'Quabena']) {
      const plan = await listPlan({ search, first: 20 });
      expect({ search, plan: plan.text }).toEqual({
        search,
        plan: expect.stringMatching(/customers_name_trgm_idx.*customers_email_trgm_idx/),
      });
      expect(plan.rowsRead).toBeLessThanOrEqual(10);
    }
    const found = await api.services.customers.list(big.businessId, { search: 'zanele' });
    expect(found.nodes.map((c) => c.name)).toEqual(['Zanele Mokoena']);
  });

  it('answers what the full scan answered, at this size too', async () => {
    for (const query of [
      {},
      { initial: 'Z' },
      { initial: '#' },
      { search: 'zanele' },
      { search: 'mensah 1' },
      { search: 'ko' },
      { search: 'é' },
      { search: '😀' },
      { search: 'zq' },
      { search: 'ama', initial: 'A' },
    ]) {
      const page = await api.services.customers.list(big.businessId, { ...query, first: 50 });
      const expected = (await oldList(api, big.businessId, query)).slice(0, 50);
      expect({ query, ids: page.nodes.map((c) => c.id) }).toEqual({ query, ids: expected });
    }
  });

  it('short searches (1–2 characters, no trigram) walk the name order and stop at a full page', async () => {
    // One spread over the names ("12" is in about 1 in 10 of them) reads about first ÷ (share
    // that match) customers; one that clusters in name order ("ko": the Kofis and Kojos) reads
    // every name before them too ...
    const common = await listPlan({ search: '12', first: 20 });
    expect(common.indexes).toEqual(['customers_business_folded_name_idx']);
    expect(common.rowsRead).toBeLessThan(1000);
    const clustered = await listPlan({ search: 'ko', first: 20 });
    expect(clustered.rowsRead).toBeLessThan(CUSTOMERS / 2);
    // ... a rare one reads the whole business (the cost that stays: see CustomerService.list).
    const rare = await listPlan({ search: 'zq', first: 20 });
    expect(rare.rowsRead).toBeLessThanOrEqual(CUSTOMERS + 2);
  });

  it('lists the initials by skipping through the initial index', async () => {
    const plan = await explain(api, INITIALS_SQL, [big.businessId]);
    expect(new Set(plan.indexes)).toEqual(new Set(['customers_business_initial_idx']));
    // One probe per initial (A, B, C, E, K, N, Q, S, T, Y, Z, #, …), not one per customer.
    expect(plan.rowsRead).toBeLessThan(100);
    const initials = await api.services.customers.initials(big.businessId);
    expect(initials).toEqual(['A', 'B', 'C', 'E', 'K', 'N', 'Q', 'S', 'T', 'Y', 'Z', '#']);
  });
});

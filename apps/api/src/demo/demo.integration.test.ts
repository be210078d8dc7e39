import { startTestApi, type SignedUp, type TestApi, addMember } from '../test/harness';

const OPEN = `mutation { openSampleBusiness { token userErrors { code message } } }`;
const REMOVE = `mutation { removeSampleBusiness { removed userErrors { code message } } }`;
const BUSINESS = `{ business { name currency timezone sample } }`;

describe('sample data: a sample business of its own', () => {
  let api: TestApi;
  let owner: SignedUp;
  let sampleToken: string;

  beforeAll(async () => {
    api = await startTestApi({ now: new Date('2026-06-10T10:00:00Z') });
    owner = await api.signUp({ businessName: 'Ama Cleaning Co', country: 'GH', currency: 'GHS' });
    const opened = await api.gql<{ openSampleBusiness: { token: string; userErrors: unknown[] } }>(
      OPEN,
      {},
      owner.token,
    );
    expect(opened.data?.openSampleBusiness.userErrors).toEqual([]);
    sampleToken = opened.data!.openSampleBusiness.token;
  }, 60_000);
  afterAll(() => api.close());

  it("is marked, in the caller's currency and zone, and leaves the caller's business empty", async () => {
    const sample = await api.gql<{ business: Record<string, unknown> }>(BUSINESS, {}, sampleToken);
    expect(sample.data!.business).toEqual({
      name: 'Ama Cleaning Co (sample)',
      currency: 'GHS',
      timezone: 'Africa/Accra',
      sample: true,
    });
    const own = await api.gql<{ business: { sample: boolean }; quotes: { nodes: unknown[] } }>(
      `{ business { sample } quotes { nodes { id } } customers { nodes { id } } }`,
      {},
      owner.token,
    );
    expect(own.data).toEqual({
      business: { sample: false },
      quotes: { nodes: [] },
      customers: { nodes: [] },
    });
  });

  it('holds what the first run teaches: a paid and a refunded invoice, a partial credit refund, a part-refunded credit note', async () => {
    const quotes = await api.gql<{
      quotes: { nodes: Array<{ status: string; total: { amount: string } }> };
    }>(`{ quotes { nodes { status total { amount } } } }`, {}, sampleToken);
    expect(quotes.data!.quotes.nodes.map((q) => `${q.status} ${q.total.amount}`).sort()).toEqual([
      'PAID 150.00',
      'REFUNDED 80.00',
      'SENT 200.00',
    ]);
    const credits = await api.gql<{
      creditTransactions: { nodes: Array<{ kind: string; credits: string }> };
    }>(`{ creditTransactions { nodes { kind credits } } }`, {}, sampleToken);
    expect(credits.data!.creditTransactions.nodes).toEqual([
      { kind: 'REFUND', credits: '15' },
      { kind: 'SPEND', credits: '-40' },
      { kind: 'PURCHASE', credits: '100' },
    ]);
    const customers = await api.gql<{
      customers: { nodes: Array<{ name: string; accountBalance: { amount: string } }> };
    }>(`{ customers { nodes { name accountBalance { amount } } } }`, {}, sampleToken);
    const kwesi = customers.data!.customers.nodes.find((c) => c.name === 'Kwesi Boateng');
    // Credit note 25.00, 10.00 of it refunded: 15.00 still owed to the customer.
    expect(kwesi?.accountBalance.amount).toBe('-15.00');
  });

  it('only owners and admins open one; a sample cannot open another', async () => {
    const manager = await addMember(api, owner, 'MANAGER');
    const refused = await api.gql(OPEN, {}, manager);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const nested = await api.gql<{ openSampleBusiness: { userErrors: Array<{ code: string }> } }>(
      OPEN,
      {},
      sampleToken,
    );
    expect(nested.data!.openSampleBusiness.userErrors.map((e) => e.code)).toEqual([
      'INVALID_STATE',
    ]);
  });

  it('removal closes the sample (its token stops working) and is refused for a real business', async () => {
    const real = await api.gql<{ removeSampleBusiness: { userErrors: Array<{ code: string }> } }>(
      REMOVE,
      {},
      owner.token,
    );
    expect(real.data!.removeSampleBusiness.userErrors.map((e) => e.code)).toEqual([
      'INVALID_STATE',
    ]);
    const removed = await api.gql<{ removeSampleBusiness: { removed: boolean } }>(
      REMOVE,
      {},
      sampleToken,
    );
    expect(removed.data!.removeSampleBusiness.removed).toBe(true);
    const after = await api.gql(BUSINESS, {}, sampleToken);
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const own = await api.gql<{ business: { name: string } }>(BUSINESS, {}, owner.token);
    expect(own.data!.business.name).toBe('Ama Cleaning Co');
  });
});

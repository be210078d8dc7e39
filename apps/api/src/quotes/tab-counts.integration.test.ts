import { createCustomer, type SignedUp, startTestApi, type TestApi } from '../test/harness';

const COUNTS = `{ quoteStats { tabCounts { tab count } } }`;

describe('QuoteStats.tabCounts', () => {
  let api: TestApi;
  let owner: SignedUp;
  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.signUp();
  });
  afterAll(() => api.close());

  const quote = async (customerId: string) => {
    const created = await api.gql<{ createQuote: { quote: { id: string } } }>(
      `mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id } userErrors { code } } }`,
      {
        input: {
          customerId,
          lineItems: [{ description: 'Clean', quantity: '1', unitPrice: '10.00' }],
        },
      },
      owner.token,
    );
    return created.data!.createQuote.quote.id;
  };
  const step = (name: string, quoteId: string) =>
    api.gql(
      `mutation ($id: ID!) { ${name}(quoteId: $id) { quote { status } userErrors { code } } }`,
      { id: quoteId },
      owner.token,
    );

  it('counts what each tab lists, for this business only', async () => {
    const customerId = await createCustomer(api, owner);
    await quote(customerId);
    await quote(customerId);
    const sent = await quote(customerId);
    await step('sendQuote', sent);
    const voided = await quote(customerId);
    await step('voidQuote', voided);
    const other = await api.signUp();
    await createCustomer(api, other);

    const result = await api.gql<{
      quoteStats: { tabCounts: Array<{ tab: string; count: number }> };
    }>(COUNTS, {}, owner.token);
    expect(result.data!.quoteStats.tabCounts).toEqual([
      { tab: 'ALL', count: 4 },
      { tab: 'DRAFT', count: 2 },
      { tab: 'SENT', count: 1 },
      { tab: 'ACCEPTED', count: 0 },
      { tab: 'PAID', count: 0 },
      { tab: 'REFUNDED', count: 0 },
      { tab: 'VOID', count: 1 },
    ]);
    // Each count is the length of its tab's list.
    const drafts = await api.gql<{ quotes: { nodes: unknown[] } }>(
      `{ quotes(tab: DRAFT) { nodes { id } } }`,
      {},
      owner.token,
    );
    expect(drafts.data!.quotes.nodes).toHaveLength(2);
    const theirs = await api.gql<{ quoteStats: { tabCounts: Array<{ count: number }> } }>(
      COUNTS,
      {},
      other.token,
    );
    expect(theirs.data!.quoteStats.tabCounts.every((t) => t.count === 0)).toBe(true);
  });
});

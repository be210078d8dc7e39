import { createCustomer, startTestApi, type TestApi } from '../test/harness';

const PAGE = `query ($first: Int) {
  quotes(first: $first) {
    nodes {
      id number status total { amount }
      customer { name }
      case { number status customer { name } }
      lineItems { description total { amount } }
      refund { amount { amount } recordedBy { name } }
      activity { kind message }
    }
  }
}`;

/**
 * A page of quotes with every field the drawer and list show must cost the same number of
 * queries whatever its length: the fields are batched per page, not loaded per quote.
 */
describe('the quote list', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('costs a constant number of queries, whatever the page length', async () => {
    const owner = await api.signUp();
    for (let i = 0; i < 12; i++) {
      const customerId = await createCustomer(api, owner, `Customer ${i}`);
      const created = await api.gql<any>(
        `mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id } } }`,
        {
          input: {
            customerId,
            lineItems: [
              { description: 'Labour', quantity: '2', unitPrice: '100.00' },
              { description: 'Paint', quantity: '1', unitPrice: '50.00' },
            ],
          },
        },
        owner.token,
      );
      const id = created.data.createQuote.quote.id;
      for (const step of ['sendQuote', 'acceptQuote']) {
        await api.gql(
          `mutation ($id: ID!) { ${step}(quoteId: $id) { quote { id } } }`,
          { id },
          owner.token,
        );
      }
      await api.gql(
        `mutation ($id: ID!) { markQuotePaid(input: { quoteId: $id }) { quote { id } } }`,
        { id },
        owner.token,
      );
      await api.gql(
        `mutation ($id: ID!) { recordRefund(input: { quoteId: $id }) { quote { id } } }`,
        { id },
        owner.token,
      );
    }

    const runner = api.db.dataSource.createQueryRunner();
    const spy = jest.spyOn(Object.getPrototypeOf(runner), 'query');
    await runner.release();
    const queriesFor = async (first: number) => {
      spy.mockClear();
      const page = await api.gql<any>(PAGE, { first }, owner.token);
      expect(page.errors).toBeUndefined();
      expect(page.data.quotes.nodes).toHaveLength(first);
      expect(page.data.quotes.nodes[0].lineItems).toHaveLength(2);
      expect(page.data.quotes.nodes[0].refund.recordedBy.name).toBe('Ama Owusu');
      return spy.mock.calls.length;
    };
    const short = await queriesFor(3);
    const long = await queriesFor(12);
    spy.mockRestore();
    expect(long).toBe(short);
    expect(short).toBeLessThanOrEqual(12);
  });
});

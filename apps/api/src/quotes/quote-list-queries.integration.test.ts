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
    // The spy sees every query of the process, background workers' ticks and the credential
    // cache's refresh included: the fewest over a few runs is the page's own count.
    const queriesFor = async (first: number) => {
      const counts: number[] = [];
      for (let run = 0; run < 3; run++) {
        spy.mockClear();
        const page = await api.gql<any>(PAGE, { first }, owner.token);
        expect(page.errors).toBeUndefined();
        expect(page.data.quotes.nodes).toHaveLength(first);
        expect(page.data.quotes.nodes[0].lineItems).toHaveLength(2);
        expect(page.data.quotes.nodes[0].refund.recordedBy.name).toBe('Ama Owusu');
        counts.push(spy.mock.calls.length);
      }
      return Math.min(...counts);
    };
    const short = await queriesFor(3);
    const long = await queriesFor(12);
    spy.mockRestore();
    expect(long).toBe(short);
    expect(short).toBeLessThanOrEqual(12);
  });

  it("pages a quote's refunds and feed by keyset, after the last id shown", async () => {
    const owner = await api.signUp();
    const customerId = await createCustomer(api, owner, 'Paged');
    const created = await api.gql<any>(
      `mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id } } }`,
      {
        input: {
          customerId,
          lineItems: [{ description: 'Labour', quantity: '1', unitPrice: '100.00' }],
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
    for (let i = 1; i <= 5; i++) {
      api.clock.advance(1_000); // refunds are ordered by when they were recorded
      const refunded = await api.gql<any>(
        `mutation ($id: ID!, $amount: Decimal) { recordRefund(input: { quoteId: $id, amount: $amount }) { userErrors { code } } }`,
        { id, amount: `${i}.00` },
        owner.token,
      );
      expect(refunded.data.recordRefund.userErrors).toEqual([]);
    }
    const read = async (first: number | null, after: string | null) => {
      const result = await api.gql<any>(
        `query ($id: ID!, $first: Int, $after: ID) { quote(id: $id) {
           refunds(first: $first, after: $after) { id amount { amount } }
           activity(first: $first, after: $after) { id kind } } }`,
        { id, first, after },
        owner.token,
      );
      expect(result.errors).toBeUndefined();
      return result.data.quote;
    };
    const all = await read(null, null);
    expect(all.refunds.map((r: any) => r.amount.amount)).toEqual([
      '1.00',
      '2.00',
      '3.00',
      '4.00',
      '5.00',
    ]);
    expect(all.activity).toHaveLength(9); // created, sent, accepted, marked paid, 5 refunds

    const first = await read(2, null);
    expect(first.refunds.map((r: any) => r.amount.amount)).toEqual(['1.00', '2.00']);
    const refundsAfter = await api.gql<any>(
      `query ($id: ID!, $after: ID) { quote(id: $id) { refunds(first: 2, after: $after) { amount { amount } } } }`,
      { id, after: first.refunds[1].id },
      owner.token,
    );
    expect(refundsAfter.data.quote.refunds.map((r: any) => r.amount.amount)).toEqual([
      '3.00',
      '4.00',
    ]);
    const feed: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await api.gql<any>(
        `query ($id: ID!, $after: ID) { quote(id: $id) { activity(first: 4, after: $after) { id } } }`,
        { id, after },
        owner.token,
      );
      const ids: string[] = page.data.quote.activity.map((a: any) => a.id);
      feed.push(...ids);
      if (ids.length < 4) break;
      after = ids.at(-1) ?? null;
    }
    expect(feed).toEqual(all.activity.map((a: any) => a.id));

    // A cursor that is not an id is the client's mistake, never a 500.
    const bad = await api.gql<any>(
      `query ($id: ID!) { quote(id: $id) { activity(first: 2, after: "nope") { id } } }`,
      { id },
      owner.token,
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

import { createCustomer, type SignedUp, type TestApi, startTestApi } from '../test/harness';

/**
 * Several API processes run the follow-up worker at once (npm start runs one per core). Each
 * claims a nudge by locking its quote with SKIP LOCKED, so a quote another transaction holds (a
 * payment, or another process sending its nudge) is passed over instead of queued on, and the
 * processes drain different quotes side by side. Holding a lock from a second session needs a
 * real PostgreSQL: PGlite has one session, leased to one transaction at a time.
 */
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;

const DAY = 24 * 60 * 60 * 1000;

onPostgres('follow-up worker claims', () => {
  let api: TestApi;
  let owner: SignedUp;
  let customerId: string;

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.signUp();
    customerId = await createCustomer(api, owner);
  }, 60_000);
  afterAll(() => api.close());

  async function sentQuote(): Promise<string> {
    const created = await api.gql<{ createQuote: { quote: { id: string } } }>(
      `mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id } } }`,
      {
        input: {
          customerId,
          lineItems: [{ description: 'Deep clean', quantity: '1', unitPrice: '250.00' }],
        },
      },
      owner.token,
    );
    const id = created.data!.createQuote.quote.id;
    const sent = await api.gql<{ sendQuote: { userErrors: unknown[] } }>(
      `mutation ($id: ID!) { sendQuote(quoteId: $id) { userErrors { code } } }`,
      { id },
      owner.token,
    );
    expect(sent.data!.sendQuote.userErrors).toEqual([]);
    return id;
  }

  const nudges = async (quoteId: string): Promise<number> => {
    const [row] = await api.db.manager.query(
      `SELECT count(*)::int AS n FROM follow_up_outbox WHERE quote_id = $1`,
      [quoteId],
    );
    return (row as { n: number }).n;
  };

  it('passes over a quote another transaction holds, sends the rest, and takes it once released', async () => {
    const [held, other, third] = [await sentQuote(), await sentQuote(), await sentQuote()];
    api.clock.set(new Date(api.clock.now().getTime() + 2 * DAY));

    const holder = api.db.dataSource.createQueryRunner();
    await holder.connect();
    try {
      await holder.startTransaction();
      await holder.query(`SELECT id FROM quotes WHERE id = $1 FOR UPDATE`, [held]);

      // Without SKIP LOCKED on the quote this would wait for the holder (and time the test out).
      await api.services.followUps.runDue();
      expect(await nudges(other)).toBe(1);
      expect(await nudges(third)).toBe(1);
      expect(await nudges(held)).toBe(0);
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }

    await api.services.followUps.runDue();
    expect(await nudges(held)).toBe(1);
    expect([await nudges(other), await nudges(third)]).toEqual([1, 1]); // never twice
  }, 60_000);
});

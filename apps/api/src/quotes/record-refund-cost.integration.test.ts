import { createCustomer, type SignedUp, type TestApi, startTestApi } from '../test/harness';
import { WRITE_PATHS } from '../test/write-paths';

/**
 * Issue 15: recordRefund's cost does not grow with the invoice's earlier refunds. Every statement
 * the database receives while the request runs is counted (at the driver: the pg clients of the
 * pool, or the PGlite instance), for the benchmark's own mutation and payload.
 */
type Gql = any;

const REFUND = `mutation ($input: RecordRefundInput!) {
  recordRefund(input: $input) { refund { id } userErrors { code } } }`;

/** Counts the statements sent to the database while `measure` runs its work. */
function statementCounter(api: TestApi) {
  const master = (api.db.dataSource.driver as unknown as { master: any }).master;
  let counting = false;
  const texts: string[] = [];
  const wrap = (target: any, method: string) => {
    const original = target[method].bind(target);
    target[method] = (...args: any[]) => {
      if (counting) {
        const first = args[0];
        texts.push(String(typeof first === 'string' ? first : (first?.text ?? first?.name)));
      }
      return original(...args);
    };
  };
  if (api.storage === 'pglite') {
    wrap(master.db, 'query');
    wrap(master.db, 'exec');
  } else {
    master.on('acquire', (client: any) => {
      if (client.__statementCounter) return;
      client.__statementCounter = true;
      wrap(client, 'query');
    });
  }
  return {
    async measure(work: () => Promise<unknown>): Promise<string[]> {
      texts.length = 0;
      counting = true;
      try {
        await work();
      } finally {
        counting = false;
      }
      return [...texts];
    },
  };
}

describe.each(WRITE_PATHS)(
  'recordRefund costs the same however many refunds the invoice has (issue 15) (%s)',
  (writePath) => {
    let api: TestApi;
    let owner: SignedUp;
    let counter: ReturnType<typeof statementCounter>;

    const gql = async (query: string, variables: Record<string, unknown> = {}) => {
      const result = await api.gql<Gql>(query, variables, owner.token);
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data;
    };

    beforeAll(async () => {
      api = await startTestApi({ groupCommit: writePath === 'group commit' });
      owner = await api.signUp({ country: 'GH', currency: 'GHS', timezone: 'Africa/Accra' });
      counter = statementCounter(api);
    });
    afterAll(() => api.close());

    it('the same statements for the 1st and the 41st refund, in one transaction', async () => {
      const customerId = await createCustomer(api, owner);
      const created = await gql(
        `mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id } } }`,
        {
          input: {
            customerId,
            lineItems: [{ description: 'Support', quantity: '1', unitPrice: '1000.00' }],
          },
        },
      );
      const quoteId = created.createQuote.quote.id as string;
      for (const step of ['sendQuote', 'acceptQuote']) {
        await gql(`mutation ($id: ID!) { ${step}(quoteId: $id) { userErrors { code } } }`, {
          id: quoteId,
        });
      }
      await gql(
        `mutation ($input: MarkPaidInput!) { markQuotePaid(input: $input) { userErrors { code } } }`,
        {
          input: { quoteId },
        },
      );

      let n = 0;
      const refundOnce = async () => {
        n += 1;
        const result = await gql(REFUND, {
          input: {
            quoteId,
            amount: '0.01',
            reasonCategory: 'GOODWILL',
            idempotencyKey: `cost-${n}`,
          },
        });
        expect(result.recordRefund.userErrors).toEqual([]);
      };
      await refundOnce(); // warm: the credential and statement caches
      const first = await counter.measure(refundOnce);
      for (let i = 0; i < 39; i++) await refundOnce();
      const later = await counter.measure(refundOnce);

      // Printed for docs/performance.md: what one refund sends, whole request included.
      console.log(
        `recordRefund (${api.storage}): ${later.length} statements per request\n  ${later
          .map((text) => text.replace(/\s+/g, ' ').slice(0, 110))
          .join('\n  ')}`,
      );
      // The refund's transaction is the same statements; around it, authentication may add a
      // lookup when its per-process cache (1 s) expired between two requests.
      const transaction = (texts: string[]) =>
        texts.slice(
          texts.findIndex((text) => /^\s*(START TRANSACTION|BEGIN)/i.test(text)),
          texts.findIndex((text) => /^\s*COMMIT/i.test(text)) + 1,
        );
      expect(transaction(later).length).toBeGreaterThan(2);
      expect(transaction(later)).toEqual(transaction(first));
      // Alone, the refund's transaction is BEGIN, the lock (with the idempotency key's insert
      // folded in), one read after the lock, one write (quote, case, follow-ups, feed, refund,
      // audit, stored response), the kept revenue day, the event, COMMIT — nothing that sums
      // earlier refunds. In a group commit it is BEGIN, the keys' claim, the quotes' lock, the
      // cases' lock, one read after the locks, the actors' names, one write of the refunds' rows and
      // one of the totals and events, COMMIT.
      // On PostgreSQL either is two round trips: BEGIN, lock and reads; then the rest with COMMIT.
      // Around it, at most an authentication lookup when its cache expired.
      const statements = writePath === 'group commit' ? 9 : 7;
      expect(transaction(later)).toHaveLength(statements);
      expect(later.length).toBeLessThanOrEqual(statements + 1);
      if (writePath === 'group commit') {
        expect(later.some((text) => /invoice-refund|quote_change AS/i.test(text))).toBe(true);
      }
      expect(later.some((text) => /SUM\(amount_minor\)\s+FROM quote_refunds/i.test(text))).toBe(
        false,
      );
      const [row] = await api.db.manager.query(
        `SELECT refunded_minor::text AS kept, (SELECT SUM(amount_minor)::text FROM quote_refunds
         WHERE quote_id = $1) AS entries FROM quotes WHERE id = $1`,
        [quoteId],
      );
      expect(row).toEqual({ kept: '42', entries: '42' });
    }, 120_000);
  },
);

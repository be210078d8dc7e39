import { Socket } from 'node:net';
import { createCustomer, type SignedUp, startTestApi, type TestApi } from '../test/harness';
import { WRITE_PATHS } from '../test/write-paths';

/**
 * Issue 15: refundCreditNote's transaction is two round trips on PostgreSQL: the key's claim with
 * the locks, then the refund, its audit entry, its event and COMMIT together. The audit entry and
 * the event name the refund's RF number, which only the insert decides: they carry a marker the
 * database replaces (LateText), so these cases also check that what lands is the number, and
 * that a reference a client chose (quotes, backslashes, a marker-like text) lands as sent. In a
 * group commit (account-refund.batch.ts) it is two round trips too: the claims and the locks (the
 * RF counter's with them, so the batch numbers its refunds), then the refunds and their trail.
 */
const REFUND = `mutation ($input: RefundCreditNoteInput!) {
  refundCreditNote(input: $input) { refund { id number reference } userErrors { code } } }`;

describe.each(WRITE_PATHS)(
  'refundCreditNote: two round trips, and the RF number in its audit entry and event (%s)',
  (writePath) => {
    let api: TestApi;
    let owner: SignedUp;
    let customerId: string;
    let bankAccountId: string;

    const gql = async (query: string, variables: Record<string, unknown> = {}) => {
      const result = await api.gql<any>(query, variables, owner.token);
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data;
    };

    beforeAll(async () => {
      api = await startTestApi({ groupCommit: writePath === 'group commit' });
      owner = await api.signUp({ country: 'GB', currency: 'GBP', timezone: 'Europe/London' });
      customerId = await createCustomer(api, owner);
      const bank = await gql(
        `mutation { createBankAccount(input: { name: "Main", currency: "GBP" }) { bankAccount { id } } }`,
      );
      bankAccountId = bank.createBankAccount.bankAccount.id;
    });
    afterAll(() => api.close());

    async function creditNote(amount: string): Promise<string> {
      const data = await gql(
        `mutation ($input: CreateCreditNoteInput!) { createCreditNote(input: $input) { credit { id } } }`,
        { input: { customerId, amount: { amount, currency: 'GBP' } } },
      );
      return data.createCreditNote.credit.id;
    }

    /**
     * The statements logged while `run` runs, with `flush` wherever a socket wrote (a corked batch
     * is one write): inside a transaction, one flush per round trip.
     */
    async function logged(run: () => Promise<unknown>): Promise<string[]> {
      const log: string[] = [];
      const logger = api.db.dataSource.logger;
      const logQuery = logger.logQuery.bind(logger);
      logger.logQuery = (text, parameters, runner) => {
        log.push(text.trim().replace(/\s+/g, ' '));
        logQuery(text, parameters, runner);
      };
      const socket = Socket.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
      const saved = { _write: socket._write!, _writev: socket._writev! };
      for (const method of ['_write', '_writev'] as const) {
        socket[method] = function (this: unknown, ...args: unknown[]) {
          log.push('flush');
          return saved[method].apply(this, args);
        };
      }
      try {
        await run();
        return log;
      } finally {
        logger.logQuery = logQuery;
        Object.assign(socket, saved);
      }
    }

    it('sends its transaction in two round trips on PostgreSQL, in this order', async () => {
      const creditId = await creditNote('50.00');
      await gql(REFUND, { input: { creditId, bankAccountId, amount: '1.00' } }); // warm the caches
      const log = await logged(() =>
        gql(REFUND, {
          input: { creditId, bankAccountId, amount: '2.00', idempotencyKey: 'cost-1' },
        }),
      );
      const begin = log.findIndex((text) => /^(BEGIN|START TRANSACTION)/i.test(text));
      const commit = log.findIndex((text) => /^COMMIT/i.test(text));
      expect(begin).toBeGreaterThanOrEqual(0);
      expect(commit).toBeGreaterThan(begin);
      const statements = log.slice(begin + 1, commit).filter((text) => text !== 'flush');
      expect(statements).toEqual(
        writePath === 'group commit'
          ? [
              expect.stringMatching(/^INSERT INTO idempotency_keys .* FROM unnest/),
              expect.stringMatching(/^SELECT c\.id, c\.kind, .* FOR UPDATE OF t$/),
              expect.stringMatching(/^SELECT id, business_id, name, currency, .* FOR SHARE$/),
              expect.stringMatching(
                /^SELECT business_id, value::text AS value FROM business_counters/,
              ),
              expect.stringMatching(
                /^WITH counter AS \( INSERT INTO business_counters .* account_refunds/,
              ),
              expect.stringMatching(
                /^WITH audit AS \(INSERT INTO audit_entries .* event_counter AS/,
              ),
            ]
          : [
              expect.stringMatching(/^WITH claim AS \(INSERT INTO idempotency_keys/),
              expect.stringMatching(/^WITH counter AS \( INSERT INTO business_c/),
              expect.stringMatching(/^INSERT INTO audit_entries/),
              expect.stringMatching(/^WITH event_counter AS/),
            ],
      );
      if (api.storage === 'postgres') {
        // Writes from BEGIN to the one that carries COMMIT: the round trips.
        const rest = log.slice(begin);
        const trips = rest.slice(0, rest.indexOf('flush', commit - begin) + 1);
        expect(trips.filter((entry) => entry === 'flush')).toHaveLength(2);
      }
    });

    it.each([
      ['without a notice', false],
      ['with a notice to the customer', true],
    ])(
      'names the RF number in the audit entry and the event, %s; a reference lands as sent',
      async (_, notifyCustomer) => {
        const creditId = await creditNote('20.00');
        const reference = `BACS "7" \\ late-${creditId} \\u0022 é`;
        const data = await gql(REFUND, {
          input: { creditId, bankAccountId, amount: '5.00', reference, notifyCustomer },
        });
        const { number, reference: kept } = data.refundCreditNote.refund;
        expect(number).toMatch(/^RF-\d{6}$/);
        expect(kept).toBe(reference);

        const audit = await gql(
          `query ($subjectId: ID) { auditLog(subjectId: $subjectId, action: "ACCOUNT_REFUNDED", first: 5) {
          nodes { reason changes { field before after } } } }`,
          { subjectId: creditId },
        );
        expect(audit.auditLog.nodes).toEqual([
          {
            reason: reference,
            changes: [
              { field: 'outstanding', before: '20.00', after: '15.00' },
              { field: 'refund', before: null, after: number },
            ],
          },
        ]);

        const events = await gql(
          `{ events(first: 100, types: ["credit_note.refunded"]) { nodes { payload } } }`,
        );
        const payloads: any[] = events.events.nodes.map((node: { payload: string }) =>
          JSON.parse(node.payload),
        );
        const event = payloads.find((payload) => payload.data.creditId === creditId);
        expect(event.data).toMatchObject({ number, reference, amount: { amount: '5.00' } });
      },
    );
  },
);

import { createCustomer, type SignedUp, startTestApi, type TestApi } from '../test/harness';
import { WRITE_PATHS } from '../test/write-paths';
import { statementSourceLines } from './migrations/1795410200000-FlatAccounts';

/**
 * The flat account reads (issue 15): the statement projection, the kept account balance and the
 * kept credit totals must equal what the entries give after a mixed run of every writer, racing
 * ones and out-of-order ones included, and the statement must page the same at every page size.
 */

const USER_ERRORS = `userErrors { code field message }`;
const CREDIT = `credit { id outstanding { amount } }`;
const STATEMENT = `query ($customerId: ID!, $first: Int, $after: String) {
  customerAccount(customerId: $customerId) {
    balance { amount }
    customer { accountBalance { amount } }
    statement(first: $first, after: $after) {
      nodes { id date kind reference description debit { amount } credit { amount } balance { amount } }
      pageInfo { hasNextPage endCursor }
    }
  } }`;
const OUTSTANDING = `query ($customerId: ID!, $first: Int, $after: String) {
  customerAccount(customerId: $customerId) {
    outstandingCredits(first: $first, after: $after) { id number outstanding { amount } }
  } }`;

const MINUTE = 60_000;

describe.each(WRITE_PATHS)(
  'flat accounts: projection and kept totals (refunds: %s)',
  (writePath) => {
    let api: TestApi;
    let owner: SignedUp;
    let bankId: string;
    const tick = () => api.clock.advance(MINUTE);

    const gql = async (query: string, variables: Record<string, unknown>) => {
      const result = await api.gql<any>(query, variables, owner.token);
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data;
    };
    /** A mutation that must succeed; returns its payload. */
    const ok = async (query: string, variables: Record<string, unknown>) => {
      const data = await gql(query, variables);
      const payload = Object.values(data)[0] as { userErrors: unknown[] };
      expect(payload.userErrors).toEqual([]);
      return payload as any;
    };

    const creditNote = async (customerId: string, amount: string) =>
      (
        await ok(
          `mutation ($input: CreateCreditNoteInput!) { createCreditNote(input: $input) { ${CREDIT} ${USER_ERRORS} } }`,
          { input: { customerId, amount: { amount, currency: 'GBP' }, reason: `Note ${amount}` } },
        )
      ).credit.id as string;
    const payment = async (customerId: string, amount: string, quoteId?: string) =>
      (
        await ok(
          `mutation ($input: RecordPaymentInput!) { recordPayment(input: $input) { ${CREDIT} ${USER_ERRORS} } }`,
          {
            input: { customerId, amount: { amount, currency: 'GBP' }, quoteId, reference: 'BACS' },
          },
        )
      ).credit.id as string;
    const allocate = (creditId: string, quoteId: string, amount: string) =>
      ok(
        `mutation ($input: AllocateCreditInput!) { allocateCredit(input: $input) { ${CREDIT} ${USER_ERRORS} } }`,
        { input: { creditId, quoteId, amount } },
      );
    const refund = (creditId: string, amount: string) =>
      ok(
        `mutation ($input: RefundCreditNoteInput!) { refundCreditNote(input: $input) {
         refund { id number amount { amount } bankAccount { id name } credit { id outstanding { amount } } }
         account { balance { amount } }
         ${USER_ERRORS} } }`,
        { input: { creditId, bankAccountId: bankId, amount } },
      );
    async function invoice(customerId: string, total: string): Promise<string> {
      const created = await ok(
        `mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id } ${USER_ERRORS} } }`,
        {
          input: {
            customerId,
            title: `Job ${total}`,
            lineItems: [{ description: 'Work', quantity: '1', unitPrice: total }],
          },
        },
      );
      const quoteId = created.quote.id as string;
      for (const step of ['sendQuote', 'acceptQuote']) {
        await ok(
          `mutation ($id: ID!) { ${step}(quoteId: $id) { quote { status } ${USER_ERRORS} } }`,
          {
            id: quoteId,
          },
        );
      }
      return quoteId;
    }
    const markPaid = (quoteId: string, paidAt?: Date) =>
      ok(
        `mutation ($input: MarkPaidInput!) { markQuotePaid(input: $input) { quote { status } ${USER_ERRORS} } }`,
        { input: { quoteId, paidAt: paidAt?.toISOString() } },
      );

    /** The projection, the kept balance and the kept credit totals against the entries. */
    async function expectKeptEqualsEntries(customerId: string): Promise<void> {
      const params = [owner.businessId, customerId];
      const columns = `date, rank, src::text AS src, kind, reference, description,
                     debit_minor, credit_minor, allocated_minor`;
      const fromEntries = await api.db.manager.query(
        `SELECT ${columns},
              SUM(COALESCE(debit_minor, 0) - COALESCE(credit_minor, 0))
                OVER (ORDER BY date, rank, src ROWS UNBOUNDED PRECEDING) AS balance_minor
         FROM (${statementSourceLines((b, c) => `${b} = $1 AND ${c} = $2`)}) l
        ORDER BY date, rank, src`,
        params,
      );
      const kept = await api.db.manager.query(
        `SELECT ${columns}, balance_minor FROM statement_lines
        WHERE business_id = $1 AND customer_id = $2 ORDER BY date, rank, src`,
        params,
      );
      expect(kept).toEqual(fromEntries);
      const [balance] = await api.db.manager.query(
        `SELECT balance_minor, line_count FROM account_balances
        WHERE business_id = $1 AND customer_id = $2`,
        params,
      );
      expect(balance).toEqual({
        balance_minor: fromEntries.at(-1)?.balance_minor ?? '0',
        line_count: String(fromEntries.length),
      });
      const totals = await api.db.manager.query(
        `SELECT t.credit_id, t.amount_minor, t.allocated_minor, t.refunded_minor,
              c.amount_minor AS entry_amount,
              COALESCE((SELECT SUM(a.amount_minor) FROM account_allocations a
                          JOIN quotes q ON q.id = a.quote_id
                         WHERE a.credit_id = c.id AND q.status IN ('ACCEPTED', 'PAID', 'REFUNDED')), 0)
                AS entry_allocated,
              COALESCE((SELECT SUM(r.amount_minor) FROM account_refunds r WHERE r.credit_id = c.id), 0)
                AS entry_refunded
         FROM account_credits c LEFT JOIN account_credit_totals t ON t.credit_id = c.id
        WHERE c.business_id = $1 AND c.customer_id = $2`,
        params,
      );
      for (const row of totals) {
        expect([row.amount_minor, row.allocated_minor, row.refunded_minor]).toEqual([
          row.entry_amount,
          row.entry_allocated,
          row.entry_refunded,
        ]);
      }
    }

    async function wholeStatement(customerId: string, first: number) {
      const nodes: any[] = [];
      let after: string | undefined;
      let pages = 0;
      for (;;) {
        const { statement } = (await gql(STATEMENT, { customerId, first, after })).customerAccount;
        nodes.push(...statement.nodes);
        pages += 1;
        expect(statement.nodes.length).toBeLessThanOrEqual(first);
        if (!statement.pageInfo.hasNextPage) break;
        expect(statement.nodes).toHaveLength(first);
        after = statement.pageInfo.endCursor;
      }
      return { nodes, pages };
    }

    beforeAll(async () => {
      api = await startTestApi({
        groupCommit: writePath === 'group commit',
        now: new Date('2026-03-02T09:00:00.000Z'),
      });
      owner = await api.signUp({ country: 'GB', currency: 'GBP', timezone: 'Europe/London' });
      const bank = await ok(
        `mutation ($input: CreateBankAccountInput!) { createBankAccount(input: $input) { bankAccount { id } ${USER_ERRORS} } }`,
        { input: { name: 'Barclays', currency: 'GBP' } },
      );
      bankId = bank.bankAccount.id;
    });
    afterAll(() => api.close());

    it('keeps the statement, the balance and the credit totals equal to the entries after a mixed, racing run', async () => {
      const customer = await createCustomer(api, owner, 'Mixed run');
      const other = await createCustomer(api, owner, 'Neighbour');

      tick();
      const i1 = await invoice(customer, '100.00');
      tick();
      const cn1 = await creditNote(customer, '30.00');
      tick();
      await allocate(cn1, i1, '20.00');
      tick();
      const i2 = await invoice(customer, '40.00');
      tick();
      const p1 = await payment(customer, '50.00', i2); // 40 to the invoice, 10 left over
      tick();
      await refund(p1, '5.00');

      // A payment dated before lines that are already on the statement: the lines after it move.
      tick();
      const i3 = await invoice(customer, '25.00');
      const acceptedAt = api.clock.now();
      tick();
      await creditNote(customer, '1.00');
      tick();
      await creditNote(customer, '2.00');
      tick();
      await markPaid(i3, new Date(acceptedAt.getTime() + 30_000));
      tick();
      await ok(
        `mutation ($id: ID!) { markQuoteUnpaid(quoteId: $id) { quote { status } ${USER_ERRORS} } }`,
        { id: i3 },
      );

      // A paid invoice refunded in part by the quotes flow.
      tick();
      const i4 = await invoice(customer, '60.00');
      tick();
      await markPaid(i4);
      tick();
      await ok(
        `mutation ($input: RecordRefundInput!) { recordRefund(input: $input) { refund { id } ${USER_ERRORS} } }`,
        { input: { quoteId: i4, amount: '20.00', reason: 'Part of the job' } },
      );

      // A void in the middle: its invoice line leaves, its allocation is released.
      tick();
      const i5 = await invoice(customer, '10.00');
      tick();
      await allocate(cn1, i5, '5.00');
      tick();
      await creditNote(customer, '3.00');
      tick();
      await ok(
        `mutation ($id: ID!) { voidQuote(quoteId: $id) { quote { status } ${USER_ERRORS} } }`,
        {
          id: i5,
        },
      );

      // Racing writers on one customer (and one beside it), all at the same instant.
      tick();
      const cn2 = await creditNote(customer, '10.00');
      const i6 = await invoice(customer, '9.00');
      const cn3 = await creditNote(customer, '8.00');
      await Promise.all([
        ...['1.00', '1.00', '1.00'].map((amount) => refund(cn2, amount)),
        allocate(cn3, i6, '2.00'),
        allocate(cn3, i6, '3.00'),
        creditNote(customer, '0.50'),
        creditNote(customer, '0.25'),
        payment(customer, '4.00'),
        creditNote(other, '7.00'),
        payment(other, '1.00'),
      ]);

      await expectKeptEqualsEntries(customer);
      await expectKeptEqualsEntries(other);

      // What the customer sees: every page size gives the same lines and balances, which close on
      // the account balance.
      const one = await wholeStatement(customer, 100);
      expect(one.pages).toBe(1);
      const { balance, customer: c } = (await gql(STATEMENT, { customerId: customer, first: 1 }))
        .customerAccount;
      expect(one.nodes.at(-1).balance.amount).toBe(balance.amount);
      expect(c.accountBalance.amount).toBe(balance.amount);
      for (const size of [1, 2, 3, 7, 11]) {
        const paged = await wholeStatement(customer, size);
        expect(paged.nodes).toEqual(one.nodes);
        expect(paged.pages).toBe(Math.ceil(one.nodes.length / size));
      }
      // The void left no invoice line and named the released allocation.
      expect(one.nodes.filter((l: any) => l.id === `INVOICE:${i5}`)).toEqual([]);
      expect(
        one.nodes.filter((l: any) => l.kind === 'ALLOCATION').map((l: any) => l.description),
      ).toEqual([
        'Allocated 20.00 GBP',
        'Allocated 40.00 GBP',
        'Released: the invoice is no longer due',
        expect.stringMatching(/^Allocated [23]\.00 GBP$/),
        expect.stringMatching(/^Allocated [23]\.00 GBP$/),
      ]);
      // The early payment sits before the two credit notes it was dated before.
      const kinds = one.nodes.map((l: any) => `${l.kind}:${l.reference}`);
      const early = one.nodes.findIndex((l: any) => l.description === 'Invoice marked paid');
      expect(kinds[early - 1]).toMatch(/^INVOICE:/);
      expect(one.nodes[early + 1].description).toBe('Note 1.00');

      // The rebuild from the entries (what a bulk load runs) gives the same projection.
      const before = await api.db.manager.query(
        `SELECT * FROM statement_lines WHERE customer_id = $1 ORDER BY date, rank, src`,
        [customer],
      );
      await api.db.manager.query(`SELECT account_projection_rebuild($1, $2)`, [
        owner.businessId,
        customer,
      ]);
      expect(
        await api.db.manager.query(
          `SELECT * FROM statement_lines WHERE customer_id = $1 ORDER BY date, rank, src`,
          [customer],
        ),
      ).toEqual(before);
      await expectKeptEqualsEntries(customer);
      await expectKeptEqualsEntries(other);
    }, 120_000);

    it('keeps the projection equal to the entries after bulk loads that land between earlier lines', async () => {
      const customer = await createCustomer(api, owner, 'Bulk loaded');
      tick();
      await creditNote(customer, '5.00');
      const params = [owner.businessId, customer, owner.memberId];
      // 1,500 invoices a day apart before the credit note (one INSERT: all in order), then their
      // payments, each dated a minute after its invoice (one INSERT: between the invoices).
      await api.db.manager.query(
        `INSERT INTO quotes (id, business_id, customer_id, number, title, status, total_minor, currency,
                           created_at, created_by, sent_at, accepted_at, paid_at)
       SELECT md5($2::text || '/bulk/' || i)::uuid, $1::uuid, $2::uuid, 'BQ-' || lpad(i::text, 6, '0'),
              'Bulk ' || i, 'PAID', 100 + i, 'GBP', d - interval '2 minutes', $3::uuid,
              d - interval '1 minute', d, d + interval '1 minute'
         FROM generate_series(1, 1500) i,
              LATERAL (SELECT timestamptz '2022-01-01T00:00:00Z' + i * interval '1 day' AS d) t`,
        params,
      );
      await api.db.manager.query(
        `INSERT INTO quote_payments (id, business_id, quote_id, customer_id, kind, amount_minor,
                                   currency, paid_at, recorded_at, recorded_by)
       SELECT gen_random_uuid(), $1::uuid, q.id, $2::uuid, 'PAYMENT', q.total_minor, 'GBP', q.paid_at,
              q.paid_at, $3::uuid
         FROM quotes q WHERE q.customer_id = $2 AND q.number LIKE 'BQ-%'`,
        params,
      );
      await expectKeptEqualsEntries(customer);
      const page = (await gql(STATEMENT, { customerId: customer, first: 2 })).customerAccount;
      expect(page.statement.nodes.map((l: any) => [l.kind, l.balance.amount])).toEqual([
        ['INVOICE', '1.01'],
        ['PAYMENT', '0.00'],
      ]);
      expect(page.balance.amount).toBe('-5.00');
    }, 120_000);

    it('races a void against refunds and allocations of the credits allocated to it, and an invoice accepted out of order', async () => {
      const customer = await createCustomer(api, owner, 'Void race');
      tick();
      const doomed = await invoice(customer, '50.00');
      const other = await invoice(customer, '30.00');
      tick();
      const cnA = await creditNote(customer, '20.00');
      const cnB = await creditNote(customer, '20.00');
      tick();
      await allocate(cnA, doomed, '10.00');
      await allocate(cnB, doomed, '10.00');
      tick();
      // Each writer locks quote → credit totals → customer balance; a deadlock would surface as an
      // error here (every call must succeed).
      await Promise.all([
        ok(`mutation ($id: ID!) { voidQuote(quoteId: $id) { quote { status } ${USER_ERRORS} } }`, {
          id: doomed,
        }),
        refund(cnB, '5.00'),
        refund(cnA, '5.00'),
        allocate(cnA, other, '4.00'),
        allocate(cnB, other, '4.00'),
        creditNote(customer, '1.00'),
      ]);
      await expectKeptEqualsEntries(customer);
      const credits = (await gql(OUTSTANDING, { customerId: customer })).customerAccount
        .outstandingCredits;
      // 20 − 5 refunded − 4 to the other invoice; the 10 on the void invoice came back.
      expect(credits.map((c: any) => c.outstanding.amount)).toEqual(['11.00', '11.00', '1.00']);

      // A quote sent now and accepted with the clock an hour behind: its invoice line lands before
      // every line above, and every later balance moves by its total.
      const late = (
        await ok(
          `mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id } ${USER_ERRORS} } }`,
          {
            input: {
              customerId: customer,
              title: 'Backdated',
              lineItems: [{ description: 'Work', quantity: '1', unitPrice: '7.00' }],
            },
          },
        )
      ).quote.id;
      await ok(
        `mutation ($id: ID!) { sendQuote(quoteId: $id) { quote { status } ${USER_ERRORS} } }`,
        {
          id: late,
        },
      );
      const before = (await gql(STATEMENT, { customerId: customer, first: 100 })).customerAccount;
      api.clock.set(new Date(api.clock.now().getTime() - 60 * MINUTE));
      await ok(
        `mutation ($id: ID!) { acceptQuote(quoteId: $id) { quote { status } ${USER_ERRORS} } }`,
        {
          id: late,
        },
      );
      api.clock.advance(120 * MINUTE);
      await expectKeptEqualsEntries(customer);
      const after = (await gql(STATEMENT, { customerId: customer, first: 100 })).customerAccount;
      expect(after.statement.nodes[0]).toMatchObject({
        kind: 'INVOICE',
        debit: { amount: '7.00' },
      });
      expect(after.statement.nodes.slice(1).map((l: any) => l.id)).toEqual(
        before.statement.nodes.map((l: any) => l.id),
      );
      // Two decimals always (GBP): the minor units without a float.
      const cents = (amount: string) => BigInt(amount.replace('.', ''));
      expect(after.statement.nodes.slice(1).map((l: any) => cents(l.balance.amount))).toEqual(
        before.statement.nodes.map((l: any) => cents(l.balance.amount) + 700n),
      );
      expect(cents(after.balance.amount)).toBe(cents(before.balance.amount) + 700n);
    }, 120_000);

    it('keeps a refund payload and its credit in step with what the refund wrote', async () => {
      const customer = await createCustomer(api, owner, 'Refund payload');
      tick();
      const cn = await creditNote(customer, '12.00');
      tick();
      const first = await refund(cn, '2.50');
      expect(first.refund).toMatchObject({
        amount: { amount: '2.50' },
        bankAccount: { id: bankId, name: 'Barclays' },
        credit: { id: cn, outstanding: { amount: '9.50' } },
      });
      expect(first.account.balance.amount).toBe('-9.50');
      const second = await refund(cn, '9.50');
      expect(second.refund.credit.outstanding.amount).toBe('0.00');
      expect(second.account.balance.amount).toBe('0.00');
      await expectKeptEqualsEntries(customer);
    });

    it('one idempotency key sent five times at once refunds once and answers the same', async () => {
      const customer = await createCustomer(api, owner, 'Same key');
      tick();
      const cn = await creditNote(customer, '10.00');
      const send = () =>
        ok(
          `mutation ($input: RefundCreditNoteInput!) { refundCreditNote(input: $input) {
           refund { id number amount { amount } } ${USER_ERRORS} } }`,
          {
            input: { creditId: cn, bankAccountId: bankId, amount: '3.00', idempotencyKey: 'once' },
          },
        );
      const answers = await Promise.all([send(), send(), send(), send(), send()]);
      expect(new Set(answers.map((a) => a.refund.id)).size).toBe(1);
      expect(new Set(answers.map((a) => a.refund.number)).size).toBe(1);
      const [{ n }] = await api.db.manager.query(
        `SELECT count(*)::int AS n FROM account_refunds WHERE credit_id = $1`,
        [cn],
      );
      expect(n).toBe(1);
      await expectKeptEqualsEntries(customer);
    });

    it('refunds a credit note with 20,000 earlier refunds from its kept total, not a sum', async () => {
      const customer = await createCustomer(api, owner, 'Refund heavy');
      tick();
      const cn = await creditNote(customer, '1000.00');
      // 20,000 refunds of 0.01 loaded in one INSERT: the triggers keep the totals set-based.
      await api.db.manager.query(
        `INSERT INTO account_refunds (id, business_id, customer_id, credit_id, bank_account_id,
                                    number, amount_minor, currency, created_at, created_by)
       SELECT gen_random_uuid(), $1::uuid, $2::uuid, $3::uuid, $4::uuid, 'BRF-' || g, 1, 'GBP',
              $5::timestamptz + g * interval '1 millisecond', $6::uuid
         FROM generate_series(1, 20000) g`,
        [owner.businessId, customer, cn, bankId, api.clock.now(), owner.memberId],
      );
      tick();
      const started = Date.now();
      const paid = await refund(cn, '1.00');
      const elapsed = Date.now() - started;
      expect(paid.refund.credit.outstanding.amount).toBe('799.00');
      expect(paid.account.balance.amount).toBe('-799.00');
      // Generous for a shared machine; what matters is that nothing here sums 20,000 rows.
      expect(elapsed).toBeLessThan(3000);
      await expectKeptEqualsEntries(customer);
    }, 120_000);

    it('shows each customer of a list their own kept balance (one batched read)', async () => {
      const names = ['Zed Balance A', 'Zed Balance B', 'Zed Balance C'];
      const ids: string[] = [];
      for (const [i, name] of names.entries()) {
        const id = await createCustomer(api, owner, name);
        ids.push(id);
        tick();
        if (i > 0) await creditNote(id, `${i}.00`);
      }
      const list = (
        await gql(
          `{ customers(search: "Zed Balance", first: 10) { nodes { id accountBalance { amount } } } }`,
          {},
        )
      ).customers.nodes;
      const byId = new Map(list.map((c: any) => [c.id, c.accountBalance.amount]));
      expect(ids.map((id) => byId.get(id))).toEqual(['0.00', '-1.00', '-2.00']);
    });

    it('pages outstandingCredits oldest first by the last credit’s id', async () => {
      const customer = await createCustomer(api, owner, 'Many credits');
      const ids: string[] = [];
      for (const amount of ['1.00', '2.00', '3.00', '4.00', '5.00', '6.00', '7.00']) {
        tick();
        ids.push(await creditNote(customer, amount));
      }
      // A spent credit drops out of every page.
      tick();
      await refund(ids[2]!, '3.00');
      const open = ids.filter((_, i) => i !== 2);
      const all = (await gql(OUTSTANDING, { customerId: customer })).customerAccount
        .outstandingCredits;
      expect(all.map((c: any) => c.id)).toEqual(open);
      const paged: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = (await gql(OUTSTANDING, { customerId: customer, first: 2, after }))
          .customerAccount.outstandingCredits;
        paged.push(...page.map((c: any) => c.id));
        if (page.length < 2) break;
        after = page.at(-1).id;
      }
      expect(paged).toEqual(open);
      // After the spent one still works (it is the account's credit), and skips to what follows.
      const afterSpent = (await gql(OUTSTANDING, { customerId: customer, first: 1, after: ids[2] }))
        .customerAccount.outstandingCredits;
      expect(afterSpent.map((c: any) => c.id)).toEqual([ids[3]]);

      const other = await createCustomer(api, owner, 'Someone else');
      for (const variables of [
        { customerId: customer, after: 'nope' },
        { customerId: other, after: ids[0] },
        { customerId: customer, first: 0 },
        { customerId: customer, first: 101 },
      ]) {
        const result = await api.gql<any>(OUTSTANDING, variables, owner.token);
        expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      }
    });
  },
);

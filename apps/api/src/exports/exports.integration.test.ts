import {
  addMember,
  createCustomer,
  type SignedUp,
  startTestApi,
  type TestApi,
} from '../test/harness';

/** A strict RFC 4180 reader for the tests: quoted cells, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const body = text.slice(1);
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(cell);
      cell = '';
    } else if (ch === '\r' && body[i + 1] === '\n') {
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  expect(record).toEqual([]); // the last record ended with CRLF
  return records;
}

interface Download {
  status: number;
  type: string | null;
  disposition: string | null;
  text: string;
  json: { errors?: Array<{ message: string; extensions: { code: string } }> } | null;
}

async function download(api: TestApi, path: string, token?: string): Promise<Download> {
  const response = await fetch(`${api.url}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  // Decoded keeping the byte-order mark, to check that it is there.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
  const type = response.headers.get('content-type');
  return {
    status: response.status,
    type,
    disposition: response.headers.get('content-disposition'),
    text,
    json: type?.includes('json') ? JSON.parse(text) : null,
  };
}

async function csv(api: TestApi, path: string, token: string): Promise<string[][]> {
  const result = await download(api, path, token);
  expect({ status: result.status, body: result.status === 200 ? '' : result.text }).toEqual({
    status: 200,
    body: '',
  });
  expect(result.type).toBe('text/csv; charset=utf-8');
  expect(result.disposition).toMatch(/^attachment; filename="[a-z0-9-]+\.csv"$/);
  return parseCsv(result.text);
}

const PURCHASE = `mutation ($input: RecordCreditInput!) { recordCreditPurchase(input: $input) { transaction { id } userErrors { code } } }`;
const SPEND = `mutation ($input: RecordCreditInput!) { recordCreditSpend(input: $input) { transaction { id } userErrors { code } } }`;

async function purchase(api: TestApi, owner: SignedUp, customerId: string, credits: string) {
  const result = await api.gql<{ recordCreditPurchase: { transaction: { id: string } | null } }>(
    PURCHASE,
    { input: { customerId, credits, description: `Bought ${credits}` } },
    owner.token,
  );
  const id = result.data?.recordCreditPurchase.transaction?.id;
  if (!id) throw new Error(`purchase failed: ${JSON.stringify(result)}`);
  return id;
}

describe('CSV exports', () => {
  let api: TestApi;
  let owner: SignedUp;
  let kofi: string;
  let tricky: string;
  const start = new Date('2026-03-10T12:00:00Z');

  beforeAll(async () => {
    api = await startTestApi({ now: start });
    owner = await api.signUp();
    kofi = await createCustomer(api, owner, 'Kofi Mensah');
    tricky = await createCustomer(api, owner, '=HYPERLINK("x"), "Ama"');
  }, 60_000);

  afterAll(() => api.close());

  describe('transactions.csv', () => {
    it('writes every entry, not one page: 130 purchases across two list pages', async () => {
      for (let i = 1; i <= 130; i++) await purchase(api, owner, kofi, String(i));
      await api.gql(SPEND, { input: { customerId: kofi, credits: '15' } }, owner.token);
      await purchase(api, owner, tricky, '7');

      const rows = await csv(api, '/export/transactions.csv', owner.token);
      expect(rows[0]).toEqual([
        'Date (Africa/Accra)',
        'Customer',
        'Kind',
        'Credits',
        'Balance after',
        'Description',
        'Refund of',
        'Deleted',
        'Delete reason',
        'Id',
      ]);
      expect(rows).toHaveLength(1 + 132);
      // Newest first, as on the screen; a customer's name is quoted and cannot run as a formula.
      expect(rows[1]!.slice(0, 6)).toEqual([
        '2026-03-10 12:00',
        `'=HYPERLINK("x"), "Ama"`,
        'PURCHASE',
        '7',
        '7',
        'Bought 7',
      ]);
      expect(rows[2]!.slice(1, 5)).toEqual(['Kofi Mensah', 'SPEND', '-15', String(8515 - 15)]);
      // Every purchase is there exactly once, with its exact credits: 1 + 2 + ... + 130 = 8515.
      const purchases = rows.filter((r) => r[1] === 'Kofi Mensah' && r[2] === 'PURCHASE');
      expect(purchases).toHaveLength(130);
      expect(purchases.reduce((sum, r) => sum + BigInt(r[3]!), 0n)).toBe(8515n);
      expect(new Set(rows.slice(1).map((r) => r[9])).size).toBe(132);
    }, 120_000);

    it('keeps the screen filters: customer, kind and business-local dates', async () => {
      const byCustomer = await csv(
        api,
        `/export/transactions.csv?customerId=${tricky}`,
        owner.token,
      );
      expect(byCustomer.slice(1).map((r) => r[3])).toEqual(['7']);
      const spends = await csv(api, '/export/transactions.csv?kind=SPEND', owner.token);
      expect(spends.slice(1).map((r) => r[3])).toEqual(['-15']);

      // 23:30 in Accra (UTC+0) on the 11th, and 00:30 on the 12th.
      api.clock.set(new Date('2026-03-11T23:30:00Z'));
      await purchase(api, owner, kofi, '1000');
      api.clock.set(new Date('2026-03-12T00:30:00Z'));
      await purchase(api, owner, kofi, '2000');
      const onThe11th = await csv(
        api,
        '/export/transactions.csv?from=2026-03-11&to=2026-03-11',
        owner.token,
      );
      expect(onThe11th.slice(1).map((r) => [r[0], r[3]])).toEqual([['2026-03-11 23:30', '1000']]);
      const fromThe11th = await csv(api, '/export/transactions.csv?from=2026-03-11', owner.token);
      expect(fromThe11th.slice(1).map((r) => r[3])).toEqual(['2000', '1000']);
      const untilThe10th = await csv(api, '/export/transactions.csv?to=2026-03-10', owner.token);
      expect(untilThe10th).toHaveLength(1 + 132);
    }, 60_000);
  });

  describe('quotes.csv', () => {
    it('lists every quote of the tab with its exact total', async () => {
      const created = await api.gql<{ createQuote: { quote: { id: string } | null } }>(
        `mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id } userErrors { code } } }`,
        {
          input: {
            customerId: kofi,
            title: 'Deep clean, 3 rooms',
            lineItems: [
              { description: 'Room', quantity: '3', unitPrice: '416.83' },
              { description: 'Call-out', quantity: '1', unitPrice: '0.01' },
            ],
          },
        },
        owner.token,
      );
      expect(created.data?.createQuote.quote?.id).toBeDefined();
      const rows = await csv(api, '/export/quotes.csv', owner.token);
      expect(rows).toHaveLength(2);
      expect(rows[0]![0]).toBe('Number');
      expect(rows[0]).toEqual([
        'Number',
        'Created (Africa/Accra)',
        'Customer',
        'Title',
        'Status',
        'Total',
        'Refunded',
        'Outstanding',
        'Currency',
        'Paid (Africa/Accra)',
        'Id',
      ]);
      expect(rows[1]!.slice(2, 9)).toEqual([
        'Kofi Mensah',
        'Deep clean, 3 rooms',
        'DRAFT',
        '1250.50',
        '0.00',
        '0.00',
        'GHS',
      ]);
      expect(await csv(api, '/export/quotes.csv?tab=PAID', owner.token)).toHaveLength(1);

      // Paid, then 250.50 of it refunded: still PAID, with the refund beside the total.
      const id = created.data!.createQuote.quote!.id;
      const step = (name: string) =>
        api.gql(
          `mutation ($id: ID!) { ${name}(quoteId: $id) { quote { status } userErrors { code } } }`,
          { id },
          owner.token,
        );
      await step('sendQuote');
      await step('acceptQuote');
      await api.gql(
        `mutation ($input: MarkPaidInput!) { markQuotePaid(input: $input) { quote { status } userErrors { code } } }`,
        { input: { quoteId: id } },
        owner.token,
      );
      const refund = await api.gql<{ recordRefund: { userErrors: unknown[] } }>(
        `mutation ($input: RecordRefundInput!) { recordRefund(input: $input) { userErrors { code message } } }`,
        { input: { quoteId: id, amount: '250.50', reason: 'One room skipped' } },
        owner.token,
      );
      expect(refund.data?.recordRefund.userErrors).toEqual([]);
      const paid = await csv(api, '/export/quotes.csv?tab=PAID', owner.token);
      expect(paid.slice(1).map((r) => r.slice(4, 9))).toEqual([
        ['PAID', '1250.50', '250.50', '0.00', 'GHS'],
      ]);
      expect(paid[1]![9]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    });
  });

  describe('statement.csv', () => {
    it("is the customer's statement with exact debits, credits and running balance", async () => {
      const ama = await createCustomer(api, owner, 'Ama Boateng');
      const note = (amount: string) =>
        api.gql(
          `mutation ($input: CreateCreditNoteInput!) { createCreditNote(input: $input) { credit { id } userErrors { code } } }`,
          { input: { customerId: ama, amount: { amount, currency: 'GHS' }, reason: 'Goodwill' } },
          owner.token,
        );
      api.clock.set(new Date('2026-04-01T09:00:00Z'));
      await note('0.10');
      api.clock.set(new Date('2026-04-02T09:00:00Z'));
      await note('0.20');
      api.clock.set(new Date('2026-04-03T09:00:00Z'));
      await note('100000000.05');

      const rows = await csv(api, `/export/statement.csv?customerId=${ama}`, owner.token);
      expect(rows).toEqual([
        [
          'Date (Africa/Accra)',
          'Kind',
          'Reference',
          'Description',
          'Debit',
          'Credit',
          'Balance',
          'Currency',
        ],
        ['2026-04-01 09:00', 'CREDIT_NOTE', 'CN-000001', 'Goodwill', '', '0.10', '-0.10', 'GHS'],
        ['2026-04-02 09:00', 'CREDIT_NOTE', 'CN-000002', 'Goodwill', '', '0.20', '-0.30', 'GHS'],
        [
          '2026-04-03 09:00',
          'CREDIT_NOTE',
          'CN-000003',
          'Goodwill',
          '',
          '100000000.05',
          '-100000000.35',
          'GHS',
        ],
      ]);
      // A date range keeps the running balance of everything before it.
      const fromThe2nd = await csv(
        api,
        `/export/statement.csv?customerId=${ama}&from=2026-04-02&to=2026-04-02`,
        owner.token,
      );
      expect(fromThe2nd.slice(1).map((r) => [r[2], r[6]])).toEqual([['CN-000002', '-0.30']]);
    });

    it('is a 400 for another business’s customer, exactly like an unknown one', async () => {
      const other = await api.signUp();
      const theirs = await createCustomer(api, other, 'Not yours');
      const result = await download(api, `/export/statement.csv?customerId=${theirs}`, owner.token);
      expect(result.status).toBe(400);
      expect(result.json?.errors?.[0]?.message).toBe('We could not find that customer.');
    });
  });

  describe('who may download', () => {
    it('needs a token: none or an unknown one is a 401', async () => {
      expect((await download(api, '/export/transactions.csv')).status).toBe(401);
      const unknown = await download(api, '/export/transactions.csv', 'rbo_s_nope');
      expect(unknown.status).toBe(401);
      expect(unknown.json?.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    });

    it('follows the money permission: agents and viewers are refused, managers and READ keys are not', async () => {
      for (const role of ['AGENT', 'VIEWER']) {
        const token = await addMember(api, owner, role);
        for (const path of [
          '/export/transactions.csv',
          '/export/quotes.csv',
          `/export/statement.csv?customerId=${kofi}`,
        ]) {
          const result = await download(api, path, token);
          expect([role, path, result.status, result.json?.errors?.[0]?.extensions.code]).toEqual([
            role,
            path,
            403,
            'FORBIDDEN',
          ]);
        }
      }
      const manager = await addMember(api, owner, 'MANAGER');
      expect((await download(api, '/export/quotes.csv', manager)).status).toBe(200);

      const key = await api.gql<{ createApiKey: { secret: string } }>(
        `mutation { createApiKey(input: { name: "Books", scopes: [READ] }) { secret userErrors { code } } }`,
        {},
        owner.token,
      );
      const secret = key.data!.createApiKey.secret;
      expect((await download(api, '/export/transactions.csv', secret)).status).toBe(200);
      const writeOnly = await api.gql<{ createApiKey: { secret: string } }>(
        `mutation { createApiKey(input: { name: "Pos", scopes: [WRITE] }) { secret userErrors { code } } }`,
        {},
        owner.token,
      );
      const refused = await download(
        api,
        '/export/transactions.csv',
        writeOnly.data!.createApiKey.secret,
      );
      expect(refused.status).toBe(403);
    }, 60_000);

    it('shows only the caller’s business', async () => {
      const other = await api.signUp();
      const rows = await csv(api, '/export/transactions.csv', other.token);
      expect(rows).toHaveLength(1);
    });
  });

  describe('streaming', () => {
    it('sends rows as they are read, and a client that hangs up mid-file stops it harmlessly', async () => {
      const controller = new AbortController();
      const response = await fetch(`${api.url}/export/transactions.csv`, {
        headers: { authorization: `Bearer ${owner.token}` },
        signal: controller.signal,
      });
      // Streamed, so no length is known up front.
      expect(response.headers.get('transfer-encoding')).toBe('chunked');
      expect(response.headers.get('content-length')).toBeNull();
      const reader = response.body!.getReader();
      const first = await reader.read();
      expect(first.done).toBe(false);
      controller.abort();
      await reader.cancel().catch(() => undefined);
      // The server carries on: the next download is complete.
      const rows = await csv(api, '/export/transactions.csv?kind=SPEND', owner.token);
      expect(rows.slice(1).map((r) => r[3])).toEqual(['-15']);
    });
  });

  describe('malformed parameters are a 400 with BAD_USER_INPUT, never a 500', () => {
    it.each([
      ['/export/transactions.csv?kind=GIFT', 'kind'],
      ['/export/transactions.csv?kind=SPEND&kind=PURCHASE', 'kind'],
      ['/export/transactions.csv?customerId=42', 'customerId'],
      ['/export/transactions.csv?from=2026-02-30', 'from'],
      ['/export/transactions.csv?from=yesterday', 'from'],
      ['/export/transactions.csv?to=2026-13-01', 'to'],
      ['/export/transactions.csv?from=2026-03-12&to=2026-03-11', 'from'],
      ['/export/quotes.csv?tab=paid', 'tab'],
      ['/export/statement.csv', 'customerId'],
      ['/export/statement.csv?customerId=%00', 'customerId'],
      ['/export/statement.csv?customerId=PLACEHOLDER&from=2026-1-1', 'from'],
    ])('%s', async (path, field) => {
      const result = await download(api, path.replace('PLACEHOLDER', kofi), owner.token);
      expect(result.status).toBe(400);
      expect(result.json?.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
      expect(result.json?.errors?.[0]?.message).toContain(`"${field}"`);
    });

    it('an unknown export is a 404', async () => {
      expect((await download(api, '/export/everything.csv', owner.token)).status).toBe(404);
    });
  });
});

import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { GraphqlClient, inParallel } from './graphql-client';
import { type Mutation, type Spread, type Throughput } from './mutations';

/** The rows one seeded customer brings: what each mutation acts on. */
interface SeededRow {
  readonly customerId: string;
  readonly spendId: string;
  readonly quoteId: string;
  readonly creditNoteId: string;
}

export interface Seeded {
  readonly client: GraphqlClient;
  readonly bankAccountId: string;
  readonly rows: readonly SeededRow[];
}

const SEED_CONCURRENCY = 8;

/**
 * Seeds through the API itself, so every row has its real shape and history: per customer a
 * wallet with a large purchase and one large spend, a paid invoice and a credit note, each large
 * enough for a whole run of 1-credit / 0.01 refunds.
 */
export async function seedThroughApi(url: string, rowCount: number): Promise<Seeded> {
  const client = new GraphqlClient(url);
  await client.signUp('Bench Mutations');
  const { bankAccount } = await client.mutate<{ bankAccount: { id: string } }>(
    'createBankAccount',
    `mutation ($input: CreateBankAccountInput!) { createBankAccount(input: $input) { bankAccount { id } userErrors { code message } } }`,
    { input: { name: 'Main account', currency: 'GHS' } },
  );
  const rows = await inParallel(
    Array.from({ length: rowCount }, (_, i) => i),
    SEED_CONCURRENCY,
    async (i): Promise<SeededRow> => {
      const { customer } = await client.mutate<{ customer: { id: string } }>(
        'createCustomer',
        `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } userErrors { code message } } }`,
        { input: { name: `Bench Customer ${i + 1}`, email: `customer${i + 1}@bench.example` } },
      );
      const credit = (field: string, credits: string) =>
        client.mutate<{ transaction: { id: string } }>(
          field,
          `mutation ($input: RecordCreditInput!) { ${field}(input: $input) { transaction { id } userErrors { code message } } }`,
          { input: { customerId: customer.id, credits, description: 'seed' } },
        );
      await credit('recordCreditPurchase', '2000000000');
      const spend = await credit('recordCreditSpend', '1000000000');
      const { quote } = await client.mutate<{ quote: { id: string } }>(
        'createQuote',
        `mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id } userErrors { code message } } }`,
        {
          input: {
            customerId: customer.id,
            title: 'Bench invoice',
            lineItems: [{ description: 'Support', quantity: '1', unitPrice: '1000000000.00' }],
          },
        },
      );
      for (const step of ['sendQuote', 'acceptQuote']) {
        await client.mutate(
          step,
          `mutation ($id: ID!) { ${step}(quoteId: $id) { quote { id } userErrors { code message } } }`,
          { id: quote.id },
        );
      }
      await client.mutate(
        'markQuotePaid',
        `mutation ($input: MarkPaidInput!) { markQuotePaid(input: $input) { quote { id } userErrors { code message } } }`,
        { input: { quoteId: quote.id } },
      );
      const { credit: creditNote } = await client.mutate<{ credit: { id: string } }>(
        'createCreditNote',
        `mutation ($input: CreateCreditNoteInput!) { createCreditNote(input: $input) { credit { id } userErrors { code message } } }`,
        {
          input: {
            customerId: customer.id,
            amount: { amount: '1000000000.00', currency: 'GHS' },
            reason: 'seed',
          },
        },
      );
      return {
        customerId: customer.id,
        spendId: spend.transaction.id,
        quoteId: quote.id,
        creditNoteId: creditNote.id,
      };
    },
  );
  return { client, bankAccountId: bankAccount.id, rows };
}

/** The mutation's document and its input for one row, with a fresh idempotency key each time. */
function requestFor(mutation: Mutation, row: SeededRow, seeded: Seeded): object {
  const idempotencyKey = randomUUID();
  switch (mutation) {
    case 'refundTransaction':
      return {
        query: `mutation ($input: RefundTransactionInput!) { refundTransaction(input: $input) { transaction { id kind credits } userErrors { code } } }`,
        variables: {
          input: {
            transactionId: row.spendId,
            credits: '1',
            reasonCategory: 'GOODWILL',
            idempotencyKey,
          },
        },
      };
    case 'adjustBalance':
      return {
        query: `mutation ($input: AdjustBalanceInput!) { adjustBalance(input: $input) { transaction { id kind credits } userErrors { code } } }`,
        variables: {
          input: { customerId: row.customerId, credits: '1', comment: 'bench', idempotencyKey },
        },
      };
    case 'recordCreditSpend':
      return {
        query: `mutation ($input: RecordCreditInput!) { recordCreditSpend(input: $input) { transaction { id kind credits } userErrors { code } } }`,
        variables: {
          input: { customerId: row.customerId, credits: '1', description: 'bench', idempotencyKey },
        },
      };
    case 'recordRefund':
      return {
        query: `mutation ($input: RecordRefundInput!) { recordRefund(input: $input) { refund { id } userErrors { code } } }`,
        variables: {
          input: {
            quoteId: row.quoteId,
            amount: '0.01',
            reasonCategory: 'GOODWILL',
            idempotencyKey,
          },
        },
      };
    case 'refundCreditNote':
      return {
        query: `mutation ($input: RefundCreditNoteInput!) { refundCreditNote(input: $input) { refund { id number } userErrors { code } } }`,
        variables: {
          input: {
            creditId: row.creditNoteId,
            bankAccountId: seeded.bankAccountId,
            amount: '0.01',
            reasonCategory: 'GOODWILL',
            idempotencyKey,
          },
        },
      };
  }
}

/**
 * The mutation over HTTP at `clients` concurrent connections, bounded in time and in count.
 * A request counts as a success only when its payload has no userErrors and no GraphQL errors.
 */
export async function loadMutation(
  seeded: Seeded,
  mutation: Mutation,
  spread: Spread,
  clients: number,
  durationSeconds: number,
): Promise<Throughput> {
  const targets = spread === 'hot' ? seeded.rows.slice(0, 1) : seeded.rows;
  return load(seeded, {
    label: mutation,
    clients,
    durationSeconds,
    body: () => {
      const row = targets[Math.floor(Math.random() * targets.length)]!;
      return JSON.stringify(requestFor(mutation, row, seeded));
    },
    // A substring test, not JSON.parse: the load generator shares the CPU with the API.
    succeeded: (status, body) =>
      status === 200 && body.includes('"userErrors":[]') && !body.includes('"errors"'),
  });
}

/**
 * The floor of any request here: the signed-in caller's `{ __typename }`, which goes through
 * HTTP, the caller's authentication, Apollo and GraphQL but reads and writes nothing. What a
 * mutation costs beyond it is the mutation's own.
 */
export async function loadFloor(
  seeded: Seeded,
  clients: number,
  durationSeconds: number,
): Promise<Throughput> {
  const body = JSON.stringify({ query: '{ __typename }' });
  return load(seeded, {
    label: '{ __typename }',
    clients,
    durationSeconds,
    body: () => body,
    succeeded: (status, text) => status === 200 && text.includes('"__typename"'),
  });
}

async function load(
  seeded: Seeded,
  options: {
    readonly label: string;
    readonly clients: number;
    readonly durationSeconds: number;
    readonly body: () => string;
    readonly succeeded: (status: number, body: string) => boolean;
  },
): Promise<Throughput> {
  const { clients, durationSeconds } = options;
  // A ceiling far above any rate this machine reaches, so a fast run still stops.
  const maxRequests = Math.ceil(durationSeconds * 20_000);
  let successes = 0;
  let failures = 0;
  let finish: (error: Error | null, result: autocannon.Result) => void = () => undefined;
  // The load generator runs in this process and takes its share of the same cores.
  const cpuBefore = process.cpuUsage();
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = (error, result) => (error ? reject(error) : resolve(result));
  });
  const instance = autocannon(
    {
      url: seeded.client.url,
      connections: clients,
      duration: durationSeconds,
      timeout: 30,
      headers: { 'content-type': 'application/json', authorization: seeded.client.bearer },
      requests: [
        {
          method: 'POST',
          path: '/graphql',
          setupRequest: (request) => ({ ...request, body: options.body() }),
          onResponse: (status, body) => {
            if (options.succeeded(status, body)) {
              successes += 1;
            } else {
              failures += 1;
              if (failures === 1)
                console.warn(
                  `  first failure of ${options.label}: ${status} ${body.slice(0, 300)}`,
                );
            }
            if (successes + failures >= maxRequests) instance.stop();
          },
        },
      ],
    },
    (error, result) => finish(error, result),
  );
  const result = await done;
  const cpu = process.cpuUsage(cpuBefore);
  const seconds = result.duration > 0 ? result.duration : durationSeconds;
  return {
    perSecond: successes / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: failures + result.errors + result.timeouts,
    successes,
    ...(successes > 0 ? { loadCpuMsPerOp: (cpu.user + cpu.system) / 1000 / successes } : {}),
  };
}

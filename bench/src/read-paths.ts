import { createHash, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ApiProcess } from './api-process';
import { GraphqlClient } from './graphql-client';
import { type BenchOptions } from './options';
import {
  type BusinessSize,
  largeSize,
  OUTSTANDING_CUSTOMER,
  RARE_SURNAME,
  seedBusiness,
  SMALL,
  STATEMENT_CUSTOMER,
} from './read-seed';
import { ScratchDatabase, withClient } from './scratch-db';
import { fmt, percentile, table } from './stats';

/** The same uuid as the seed's md5(text)::uuid, computed here instead of read back. */
function md5Uuid(text: string): string {
  const hex = createHash('md5').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

interface SeededBusiness {
  readonly client: GraphqlClient;
  readonly businessId: string;
  readonly size: BusinessSize;
  readonly customer: (n: number) => string;
  readonly heavySpendId: string;
  /** The `after` cursor that opens the statement customer's last page of 20. */
  lastPageCursor?: string;
}

interface ReadPath {
  readonly name: string;
  readonly query: (business: SeededBusiness) => {
    query: string;
    variables?: Record<string, unknown>;
  };
  /** Throws when the answer is not what the seed implies, so a figure is never of an error. */
  readonly check?: (data: never, business: SeededBusiness) => void;
}

const PAGE = 20;

const READ_PATHS: readonly ReadPath[] = [
  {
    name: 'creditTransactions first page',
    query: () => ({
      query: `{ creditTransactions(first: ${PAGE}) { nodes { id kind credits createdAt customer { name } } pageInfo { hasNextPage endCursor } } }`,
    }),
  },
  {
    name: 'quotes first page',
    query: () => ({
      query: `{ quotes(first: ${PAGE}) { nodes { id number status total { amount currency } customer { name } } pageInfo { hasNextPage endCursor } } }`,
    }),
  },
  {
    name: 'customers first page',
    query: () => ({
      query: `{ customers(first: ${PAGE}) { nodes { id name creditBalance } pageInfo { hasNextPage endCursor } } }`,
    }),
  },
  {
    name: `customers search rare name`,
    query: () => ({
      query: `query ($search: String) { customers(search: $search, first: ${PAGE}) { nodes { id name } pageInfo { hasNextPage } } }`,
      variables: { search: RARE_SURNAME.toLowerCase() },
    }),
    check: (data: { customers: { nodes: unknown[] } }) => expectCount(data.customers.nodes, 1),
  },
  {
    name: 'customers A-Z initial Z',
    query: () => ({
      query: `{ customers(initial: "Z", first: ${PAGE}) { nodes { id name } pageInfo { hasNextPage } } }`,
    }),
    check: (data: { customers: { nodes: unknown[] } }) => expectCount(data.customers.nodes, 1),
  },
  {
    name: 'statement first page',
    query: (b) => ({
      query: `query ($id: ID!) { customerAccount(customerId: $id) { statement(first: ${PAGE}) { nodes { id date kind reference debit { amount } credit { amount } balance { amount } } pageInfo { hasNextPage endCursor } } } }`,
      variables: { id: b.customer(STATEMENT_CUSTOMER) },
    }),
    check: (data: { customerAccount: { statement: { nodes: unknown[] } } }) =>
      expectCount(data.customerAccount.statement.nodes, PAGE),
  },
  {
    name: 'statement last page',
    query: (b) => ({
      query: `query ($id: ID!, $after: String) { customerAccount(customerId: $id) { statement(first: ${PAGE}, after: $after) { nodes { id date kind reference debit { amount } credit { amount } balance { amount } } pageInfo { hasNextPage endCursor } } } }`,
      variables: { id: b.customer(STATEMENT_CUSTOMER), after: b.lastPageCursor },
    }),
    check: (data: {
      customerAccount: { statement: { nodes: unknown[]; pageInfo: { hasNextPage: boolean } } };
    }) => {
      expectCount(data.customerAccount.statement.nodes, PAGE);
      if (data.customerAccount.statement.pageInfo.hasNextPage) {
        throw new Error('the last statement page says it has a next page');
      }
    },
  },
  {
    name: 'account balance',
    query: (b) => ({
      query: `query ($id: ID!) { customerAccount(customerId: $id) { balance { amount currency } } }`,
      variables: { id: b.customer(STATEMENT_CUSTOMER) },
    }),
  },
  {
    name: 'outstandingCredits',
    query: (b) => ({
      query: `query ($id: ID!) { customerAccount(customerId: $id) { outstandingCredits(first: ${PAGE}) { id number outstanding { amount } } } }`,
      variables: { id: b.customer(OUTSTANDING_CUSTOMER) },
    }),
    check: (data: { customerAccount: { outstandingCredits: unknown[] } }) =>
      expectCount(data.customerAccount.outstandingCredits, PAGE),
  },
  {
    name: 'quoteStats',
    query: () => ({
      query: `{ quoteStats { invoicesPaidCount invoicedThisMonth { amount currency } } }`,
    }),
    // Read from kept totals now: a seed that forgot to compute them would read zero, fast.
    check: (data: { quoteStats: { invoicesPaidCount: number } }) => {
      if (!(data.quoteStats.invoicesPaidCount > 0)) throw new Error('no paid invoices counted');
    },
  },
  {
    name: 'revenue(days: 14)',
    query: () => ({
      query: `{ revenue(days: 14) { total { amount currency } days { date net { amount } } } }`,
    }),
    check: (data: { revenue: { total: { amount: string }; days: unknown[] } }) => {
      expectCount(data.revenue.days, 14);
      if (data.revenue.total.amount === '0.00') throw new Error('no revenue counted');
    },
  },
  {
    name: 'revenue(days: 365)',
    query: () => ({
      query: `{ revenue(days: 365) { total { amount currency } days { date net { amount } } } }`,
    }),
    check: (data: { revenue: { total: { amount: string }; days: unknown[] } }) => {
      expectCount(data.revenue.days, 365);
      if (data.revenue.total.amount === '0.00') throw new Error('no revenue counted');
    },
  },
  {
    name: 'refund of a spend with many refunds',
    query: (b) => ({
      query: `mutation ($input: RefundTransactionInput!) { refundTransaction(input: $input) { transaction { id credits } userErrors { code message } } }`,
      variables: {
        input: {
          transactionId: b.heavySpendId,
          credits: '1',
          reasonCategory: 'GOODWILL',
          idempotencyKey: randomUUID(),
        },
      },
    }),
    check: (data: { refundTransaction: { userErrors: unknown[] } }) =>
      expectCount(data.refundTransaction.userErrors, 0),
  },
];

function expectCount(items: readonly unknown[], count: number): void {
  if (items.length !== count) throw new Error(`expected ${count} rows, got ${items.length}`);
}

/**
 * Read paths: two businesses on one scratch PostgreSQL database, a small one and a large one,
 * their history bulk-loaded with SQL; each query's sequential p95 at both sizes and the ratio.
 */
export async function runReadPaths(options: BenchOptions): Promise<void> {
  const large = largeSize(options.scale);
  console.log(
    `\n## Read paths: sequential p50 and p95 of ${options.readSamples} calls, small vs large business (PostgreSQL)\n` +
      `small: ${describe(SMALL)}\nlarge: ${describe(large)}`,
  );
  const scratch = await ScratchDatabase.create(options.adminUrl, 'reads');
  try {
    const api = await ApiProcess.start(scratch.url);
    try {
      const started = Date.now();
      const small = await signUpAndSeed(api.url, scratch.url, 'Bench Small', SMALL);
      const big = await signUpAndSeed(api.url, scratch.url, 'Bench Large', large);
      // Statistics for the planner, then the load's dirty pages written out: a checkpoint that
      // the bulk load's WAL would otherwise start during the timed calls makes their p95 noise.
      await withClient(scratch.url, async (client) => {
        await client.query('VACUUM ANALYZE');
        await client.query('CHECKPOINT');
      });
      console.log(`bulk-loaded both businesses in ${fmt((Date.now() - started) / 1000)} s`);
      const rows: string[][] = [];
      for (const path of READ_PATHS) {
        const [smallTimes = [], largeTimes = []] = await sampleTimes(
          path,
          [small, big],
          options.readSamples,
        );
        const smallP95 = percentile(smallTimes, 95);
        const largeP95 = percentile(largeTimes, 95);
        rows.push([
          path.name,
          fmt(percentile(smallTimes, 50)),
          fmt(percentile(largeTimes, 50)),
          fmt(smallP95),
          fmt(largeP95),
          `${fmt(largeP95 / smallP95, 1)}x`,
        ]);
        process.stdout.write('.');
      }
      console.log('');
      console.log(
        table(
          [
            'read path',
            'small p50 ms',
            'large p50 ms',
            'small p95 ms',
            'large p95 ms',
            'large/small (p95)',
          ],
          rows,
        ),
      );
    } finally {
      await api.stop();
    }
  } finally {
    await scratch.drop();
  }
}

function describe(size: BusinessSize): string {
  return (
    `${size.customers} customers, ${size.creditEntries} credit entries, ${size.quotes} quotes, ` +
    `${size.statementLines} statement lines, ${size.spendRefunds} refunds of one spend, ` +
    `${size.outstandingCredits} credit notes of one customer`
  );
}

async function signUpAndSeed(
  apiUrl: string,
  databaseUrl: string,
  name: string,
  size: BusinessSize,
): Promise<SeededBusiness> {
  const client = new GraphqlClient(apiUrl);
  const businessId = await client.signUp(name);
  const { me } = await client.request<{ me: { id: string } }>(`{ me { id } }`);
  const business: SeededBusiness = {
    client,
    businessId,
    size,
    customer: (n) => md5Uuid(`${businessId}/customer/${n}`),
    heavySpendId: md5Uuid(`${businessId}/heavy-spend`),
  };
  await withClient(databaseUrl, async (db) => {
    await seedBusiness(db, businessId, me.id, size);
    // The line 20 before the end of the statement customer's lines (invoices and their payments,
    // ordered as the statement orders them), as the cursor the statement gives out after it.
    const { rows } = await db.query<{ date_key: string; rank: number; src: string }>(
      `SELECT to_char(l.date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS date_key, l.rank, l.src
         FROM (SELECT accepted_at AS date, 0 AS rank, id AS src FROM quotes
                WHERE business_id = $1 AND customer_id = $2
               UNION ALL
               SELECT paid_at, 1, id FROM quote_payments WHERE business_id = $1 AND customer_id = $2) l
        ORDER BY l.date DESC, l.rank DESC, l.src DESC OFFSET ${PAGE} LIMIT 1`,
      [businessId, business.customer(STATEMENT_CUSTOMER)],
    );
    const line = rows[0];
    if (line) {
      // The statement's cursor today (apps/api/src/accounts/account.service.ts): base64url JSON of
      // [date key, kind rank, source id]. If its shape changes, the last-page check fails loudly.
      business.lastPageCursor = Buffer.from(
        JSON.stringify([line.date_key, line.rank, line.src]),
      ).toString('base64url');
    }
  });
  return business;
}

/**
 * One warm-up call per business, then `samples` sequential calls to each, taking turns (small,
 * large, small, ...) so a passing load on the machine falls on both alike: each one's wall times
 * in ms.
 */
async function sampleTimes(
  path: ReadPath,
  businesses: readonly SeededBusiness[],
  samples: number,
): Promise<number[][]> {
  const call = async (business: SeededBusiness) => {
    const { query, variables } = path.query(business);
    const started = performance.now();
    const data = await business.client.request<never>(query, variables);
    const elapsed = performance.now() - started;
    try {
      path.check?.(data, business);
    } catch (error) {
      throw new Error(`${path.name} (${business.businessId}): ${(error as Error).message}`);
    }
    return elapsed;
  };
  for (const business of businesses) await call(business);
  const times = businesses.map((): number[] => []);
  for (let i = 0; i < samples; i++) {
    for (const [n, business] of businesses.entries()) times[n]!.push(await call(business));
  }
  return times;
}

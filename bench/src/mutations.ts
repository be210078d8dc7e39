/** The five money mutations the benchmark measures, each with its pgbench limit script. */
export const MUTATIONS = [
  'refundTransaction',
  'adjustBalance',
  'recordCreditSpend',
  'recordRefund',
  'refundCreditNote',
] as const;
export type Mutation = (typeof MUTATIONS)[number];

/** Spread over many rows, or every request on one row (the hot spend, wallet, invoice ...). */
export type Spread = 'spread' | 'hot';

export interface Throughput {
  /** Successful mutations per second. */
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Requests that did not succeed (HTTP errors, GraphQL errors, userErrors, timeouts). */
  readonly failures: number;
  readonly successes: number;
  /** CPU time of the API process per successful mutation (ms); pgbench figures have none. */
  readonly apiCpuMsPerOp?: number;
  /** CPU time of the PostgreSQL server per successful mutation (ms), for both pgbench and the API. */
  readonly dbCpuMsPerOp?: number;
  /** CPU time of the load generator (this process) per successful mutation (ms). */
  readonly loadCpuMsPerOp?: number;
}

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus metrics, served at GET /metrics.
 *
 * Metrics are module-level singletons so that any service can count what it does without being
 * handed anything, e.g. after a refund commits: `refundsRecorded.inc({ flow: 'invoice' })`.
 * Gauges that describe shared state (the database pool, the worker's queue) are read when
 * Prometheus scrapes, through the probes an app registers with `registerProbes`.
 */
class ProcessRegistry extends Registry {
  /**
   * Set in a cluster worker (platform/cluster/cluster-metrics.ts): /metrics then answers for
   * every API process, through the primary. Unset: this process's own metrics.
   */
  clusterMetrics: (() => Promise<string>) | undefined;

  override metrics(): Promise<string> {
    return this.clusterMetrics ? this.clusterMetrics() : super.metrics();
  }

  /** This process's metrics only, whatever `clusterMetrics` says. */
  processMetrics(): Promise<string> {
    return super.metrics();
  }
}

export const registry = new ProcessRegistry();
collectDefaultMetrics({ register: registry });

/** GraphQL operations by name (bounded, see `operationLabel`) and outcome (`ok`, `user_error` or the error code). */
export const requestDuration = new Histogram({
  name: 'rbo_request_duration_seconds',
  help: 'Time to answer a request, by GraphQL operation (or HTTP route) and outcome.',
  labelNames: ['operation', 'outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const requestsInFlight = new Gauge({
  name: 'rbo_requests_in_flight',
  help: 'Requests received and not yet answered.',
  registers: [registry],
});

export const transactionRetries = new Counter({
  name: 'rbo_db_transaction_retries_total',
  help: 'Transactions run again as a whole, by reason (serialization, deadlock, connection).',
  labelNames: ['reason'] as const,
  registers: [registry],
});

export const creditBatchSize = new Histogram({
  name: 'rbo_credit_group_commit_batch_size',
  help: 'Credit use cases written together in one transaction by the group commit.',
  buckets: [1, 2, 4, 8, 16, 32, 64],
  registers: [registry],
});

/** Credit use cases a batch handed back to run alone, by why (see credit.batch.ts). */
export const creditBatchAlone = new Counter({
  name: 'rbo_credit_group_commit_alone_total',
  help: 'Credit use cases a group commit handed back to run alone, by reason.',
  labelNames: ['reason'] as const,
  registers: [registry],
});

export const invoiceRefundBatchSize = new Histogram({
  name: 'rbo_invoice_refund_group_commit_batch_size',
  help: 'Invoice refunds written together in one transaction by the group commit.',
  buckets: [1, 2, 4, 8, 16, 32, 64],
  registers: [registry],
});

/** Invoice refunds a batch handed back to run alone, by why (see invoice-refund.batch.ts). */
export const invoiceRefundBatchAlone = new Counter({
  name: 'rbo_invoice_refund_group_commit_alone_total',
  help: 'Invoice refunds a group commit handed back to run alone, by reason.',
  labelNames: ['reason'] as const,
  registers: [registry],
});

export const accountRefundBatchSize = new Histogram({
  name: 'rbo_account_refund_group_commit_batch_size',
  help: 'Credit note and payment refunds written together in one transaction by the group commit.',
  buckets: [1, 2, 4, 8, 16, 32, 64],
  registers: [registry],
});

/** Credit note refunds a batch handed back to run alone, by why (see account-refund.batch.ts). */
export const accountRefundBatchAlone = new Counter({
  name: 'rbo_account_refund_group_commit_alone_total',
  help: 'Credit note and payment refunds a group commit handed back to run alone, by reason.',
  labelNames: ['reason'] as const,
  registers: [registry],
});

export type RefundFlow = 'invoice' | 'credit' | 'account';

export const refundsRecorded = new Counter({
  name: 'rbo_refunds_recorded_total',
  help: 'Refunds committed, by flow (invoice, credit, account).',
  labelNames: ['flow'] as const,
  registers: [registry],
});
// Every flow is exposed from the start (at 0), so a rate() over a flow that has not refunded yet
// is 0, not "no data".
for (const flow of ['invoice', 'credit', 'account'] satisfies RefundFlow[]) {
  refundsRecorded.inc({ flow }, 0);
}

export interface PoolState {
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
}

export interface QueueState {
  /** Jobs due and not done. */
  readonly depth: number;
  /** How long the oldest of them has been due, in seconds (0 when none). */
  readonly oldestAgeSeconds: number;
}

export interface Probes {
  readonly pool: () => PoolState;
  readonly queues: Record<string, () => Promise<QueueState>>;
}

let probes: Probes | undefined;

/** The running app's probes, read on each scrape (the last app registered wins: one per process). */
export function registerProbes(next: Probes): void {
  probes = next;
}

new Gauge({
  name: 'rbo_db_pool_connections',
  help: 'Database pool connections by state (total, idle, waiting = callers queued for one).',
  labelNames: ['state'] as const,
  registers: [registry],
  collect() {
    if (!probes) return;
    const pool = probes.pool();
    this.set({ state: 'total' }, pool.total);
    this.set({ state: 'idle' }, pool.idle);
    this.set({ state: 'waiting' }, pool.waiting);
  },
});

/**
 * Both queue gauges come from one probe per queue per scrape: the first gauge to collect starts
 * the reads and the second reuses them.
 */
let queueReads: { at: number; states: Promise<Map<string, QueueState | null>> } | undefined;
function readQueues(): Promise<Map<string, QueueState | null>> {
  if (queueReads && Date.now() - queueReads.at < 1000) return queueReads.states;
  const queues = probes?.queues ?? {};
  const states = Promise.all(
    Object.entries(queues).map(async ([queue, probe]) => {
      try {
        return [queue, await probe()] as const;
      } catch {
        // The database is unreachable: leave the series out rather than fail the whole scrape
        // (the pool and request metrics tell that story).
        return [queue, null] as const;
      }
    }),
  ).then((entries) => new Map(entries));
  queueReads = { at: Date.now(), states };
  return states;
}

function queueGauge(name: string, help: string, pick: (state: QueueState) => number): void {
  new Gauge({
    name,
    help,
    labelNames: ['queue'] as const,
    registers: [registry],
    // Every API process reads the same queue from the one database: across processes the
    // figure is the same reading, not a sum (cluster aggregation, platform/cluster).
    aggregator: 'max',
    async collect() {
      this.reset();
      for (const [queue, state] of await readQueues()) {
        if (state) this.set({ queue }, pick(state));
      }
    },
  });
}

queueGauge(
  'rbo_worker_queue_depth',
  'Background jobs due and not yet done, by queue.',
  (state) => state.depth,
);
queueGauge(
  'rbo_worker_queue_oldest_age_seconds',
  'How long the oldest due job of each queue has waited, in seconds.',
  (state) => state.oldestAgeSeconds,
);

const MAX_OPERATION_NAMES = 200;
const seenOperations = new Set<string>();

/**
 * Operation names come from clients; a label per arbitrary name would let anyone grow the
 * metrics without bound. Names are kept when they look like identifiers, up to a fixed number.
 */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return 'other';
  if (seenOperations.has(name)) return name;
  if (seenOperations.size >= MAX_OPERATION_NAMES) return 'other';
  seenOperations.add(name);
  return name;
}

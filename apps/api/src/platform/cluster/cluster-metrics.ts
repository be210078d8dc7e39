import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { registry } from '../observability/metrics';
import { logger } from '../observability/logger';
import { isMessage, type PrimaryMessage, type WorkerMessage } from './messages';
import { onPrimaryMessage, tellPrimary } from './worker-channel';

/**
 * /metrics with several API processes: Prometheus scrapes one port, and whichever worker the
 * scrape reaches asks the primary, which gathers every worker's registry (prom-client's
 * AggregatorRegistry) and answers with the sums: requests in flight, request histograms,
 * refunds and retries are totals over the processes; the pool gauge is every process's pools
 * together; the queue gauges, which each process reads from the one shared database, take the
 * maximum rather than a multiple (see their `aggregator` in metrics.ts).
 */
const PRIMARY_ANSWER_TIMEOUT_MS = 5_000;

/** In the primary: answer the workers' metrics requests. */
export function serveMetricsFromPrimary(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isMessage<WorkerMessage>(message) || message.type !== 'rbo:metrics-request') return;
    const reply = (
      answer: Omit<Extract<PrimaryMessage, { type: 'rbo:metrics-response' }>, 'type'>,
    ) => {
      if (worker.isConnected()) worker.send({ type: 'rbo:metrics-response', ...answer });
    };
    aggregator.clusterMetrics().then(
      (metrics) => reply({ requestId: message.requestId, metrics }),
      (error: unknown) => reply({ requestId: message.requestId, error: String(error) }),
    );
  });
}

/** In a worker: give the primary this process's registry, and answer /metrics for them all. */
export function reportMetricsToPrimary(): void {
  // Constructing one installs prom-client's listener that hands this registry to the primary.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);

  let nextRequestId = 0;
  const waiting = new Map<number, (answer: { metrics?: string; error?: string }) => void>();
  onPrimaryMessage('rbo:metrics-response', (message) => {
    waiting.get(message.requestId)?.(message);
    waiting.delete(message.requestId);
  });
  registry.clusterMetrics = async () => {
    const requestId = nextRequestId++;
    const answer = await new Promise<{ metrics?: string; error?: string }>((resolve) => {
      const timer = setTimeout(() => {
        waiting.delete(requestId);
        resolve({ error: 'the primary did not answer' });
      }, PRIMARY_ANSWER_TIMEOUT_MS);
      waiting.set(requestId, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
      void tellPrimary({ type: 'rbo:metrics-request', requestId });
    });
    if (answer.metrics !== undefined) return answer.metrics;
    // Better this process's own figures than a failed scrape; the log says they are partial.
    logger.warn({ err: answer.error }, 'cluster metrics unavailable: serving this process only');
    return registry.processMetrics();
  };
}

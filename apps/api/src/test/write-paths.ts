import type { Counter, Histogram } from 'prom-client';

/**
 * The write paths a money mutation's integration tests run on: on PostgreSQL the group commit
 * (credit.batch.ts, invoice-refund.batch.ts) and each use case alone; the embedded database has
 * only the second. Pass `groupCommit: writePath === 'group commit'` to startTestApi.
 */
export const WRITE_PATHS = process.env.DATABASE_URL
  ? (['group commit', 'each alone'] as const)
  : (['each alone'] as const);

/**
 * How many batches a group commit started so far, how many use cases they held, and how many use
 * cases ran alone because their batch's transaction failed (a batch that fails falls back to each
 * alone, so only this tells a broken batch from a working one).
 */
export async function groupCommitCounts(
  batchSize: Histogram,
  alone: Counter<'reason'>,
): Promise<{ count: number; useCases: number; failed: number }> {
  const { values } = await batchSize.get();
  const value = (suffix: '_count' | '_sum') =>
    values.find((v) => v.metricName?.endsWith(suffix))?.value ?? 0;
  const failed = (await alone.get()).values.find((v) => v.labels.reason === 'batch failed');
  return { count: value('_count'), useCases: value('_sum'), failed: failed?.value ?? 0 };
}

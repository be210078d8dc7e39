import type { Clock } from '../clock';
import type { Database } from '../db/database';
import type { PoolState, QueueState } from './metrics';

/** The connection pool behind TypeORM: pg's Pool, or the embedded database's one-session pool. */
interface PoolCounts {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

export function poolState(db: Database): PoolState {
  const pool = (db.dataSource.driver as unknown as { master?: PoolCounts }).master;
  return {
    total: pool?.totalCount ?? 0,
    idle: pool?.idleCount ?? 0,
    waiting: pool?.waitingCount ?? 0,
  };
}

/**
 * The follow-up worker's queue (quotes/follow-up.service.ts): nudges that are due and not yet
 * sent or cancelled. Depth and the oldest's wait tell whether the worker keeps up.
 */
export async function followUpQueue(db: Database, clock: Clock): Promise<QueueState> {
  const now = clock.now();
  const [row]: Array<{ depth: string; oldest: Date | string | null }> = await db.manager.query(
    `SELECT count(*) AS depth, min(due_at) AS oldest
       FROM quote_follow_ups
      WHERE status = 'PENDING' AND due_at <= $1`,
    [now],
  );
  const oldest = row?.oldest ? new Date(row.oldest) : null;
  return {
    depth: Number(row?.depth ?? 0),
    oldestAgeSeconds: oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0,
  };
}

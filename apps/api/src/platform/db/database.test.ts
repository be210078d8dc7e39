import type { DataSource } from 'typeorm';
import { QueryFailedError } from 'typeorm';
import { Database, type Transaction } from './database';
import { isDatabaseUnavailable } from './availability';

/**
 * What Database.transaction runs again: a stand-in DataSource plays TypeORM's part (run the
 * callback, then COMMIT) and fails where each case needs it.
 */
function fakeDataSource(plan: { failCommits?: number; failStarts?: number }) {
  let commitsToFail = plan.failCommits ?? 0;
  let startsToFail = plan.failStarts ?? 0;
  const dataSource = {
    async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
      if (startsToFail-- > 0) throw connectionRefused();
      const result = await work({} as Transaction);
      if (commitsToFail-- > 0) throw connectionLostDuringCommit();
      return result;
    },
  };
  return new Database(dataSource as unknown as DataSource, 'postgres', { pipelined: false });
}

const connectionRefused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
const connectionLostDuringCommit = () =>
  new QueryFailedError('COMMIT', [], new Error('Connection terminated unexpectedly'));
const terminatedByAdministrator = () =>
  new QueryFailedError(
    'SELECT 1',
    [],
    Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    }),
  );

describe('Database.transaction and connection failures', () => {
  it('runs the whole transaction again when the connection failed before COMMIT', async () => {
    const db = fakeDataSource({ failStarts: 2 });
    let runs = 0;
    await expect(db.transaction(async () => ++runs)).resolves.toBe(1);
    expect(runs).toBe(1); // the failed attempts never reached the work
  });

  it('runs the work again when the server dropped the session in the middle of it', async () => {
    const db = fakeDataSource({});
    let runs = 0;
    const result = await db.transaction(async () => {
      runs++;
      if (runs === 1) throw terminatedByAdministrator();
      return 'done';
    });
    expect(result).toBe('done');
    expect(runs).toBe(2);
  });

  it('does not run again when the connection was lost during COMMIT (it may have committed)', async () => {
    const db = fakeDataSource({ failCommits: 1 });
    let runs = 0;
    const attempt = db.transaction(async () => ++runs);
    await expect(attempt).rejects.toThrow('Connection terminated unexpectedly');
    expect(runs).toBe(1);
    expect(isDatabaseUnavailable(await attempt.catch((e: unknown) => e))).toBe(true);
  });

  it('gives up after a few attempts, with the connection error', async () => {
    const db = fakeDataSource({ failStarts: 100 });
    await expect(db.transaction(async () => 1)).rejects.toThrow('ECONNREFUSED');
  });

  it('does not retry an ordinary failure', async () => {
    const db = fakeDataSource({});
    let runs = 0;
    await expect(
      db.transaction(async () => {
        runs++;
        throw new Error('a rule refused');
      }),
    ).rejects.toThrow('a rule refused');
    expect(runs).toBe(1);
  });
});

import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type BenchOptions } from './options';
import { type Mutation, type Spread, type Throughput } from './mutations';
import { ScratchDatabase, withClient } from './scratch-db';
import { percentile } from './stats';

const run = promisify(execFile);
export const SQL_DIR = path.join(__dirname, '..', 'sql');

/**
 * The database's limit for each mutation: pgbench runs the least SQL the mutation needs
 * (sql/limit-<mutation>.sql, prepared statements) on a scratch database of the same PostgreSQL,
 * with the same client count and duration as the API run.
 */
export class PgbenchLimits {
  private constructor(
    private readonly db: ScratchDatabase,
    private readonly options: BenchOptions,
  ) {}

  static async prepare(options: BenchOptions): Promise<PgbenchLimits> {
    const db = await ScratchDatabase.create(options.adminUrl, 'limits');
    try {
      await withClient(db.url, async (client) => {
        await client.query(await readFile(path.join(SQL_DIR, 'limit-schema.sql'), 'utf8'));
        const seed = await readFile(path.join(SQL_DIR, 'limit-seed.sql'), 'utf8');
        for (const statement of statements(seed)) {
          await client.query(statement, statement.includes('$1') ? [options.spreadRows] : []);
        }
        await client.query('VACUUM ANALYZE');
      });
    } catch (error) {
      await db.drop();
      throw error;
    }
    return new PgbenchLimits(db, options);
  }

  async measure(mutation: Mutation, spread: Spread): Promise<Throughput> {
    const logDir = await mkdtemp(path.join(tmpdir(), 'bench-pgbench-'));
    try {
      const rows = spread === 'hot' ? 1 : this.options.spreadRows;
      const { stdout } = await run(
        'pgbench',
        [
          '--no-vacuum',
          '--protocol=prepared',
          `--client=${this.options.clients}`,
          // Two worker threads: the machine the issue measures on has two cores.
          `--jobs=${Math.min(2, this.options.clients)}`,
          `--time=${Math.max(1, Math.round(this.options.durationSeconds))}`,
          `--define=rows=${rows}`,
          `--file=${path.join(SQL_DIR, `limit-${mutation}.sql`)}`,
          '--log',
          `--log-prefix=${path.join(logDir, 'tx')}`,
          this.db.url,
        ],
        { maxBuffer: 16 * 1024 * 1024 },
      );
      const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
      const failed = /number of failed transactions: (\d+)/.exec(stdout);
      const processed = /number of transactions actually processed: (\d+)/.exec(stdout);
      if (!tps) throw new Error(`pgbench printed no tps:\n${stdout}`);
      const latenciesMs = await readLatencies(logDir);
      return {
        perSecond: Number(tps[1]),
        p50Ms: percentile(latenciesMs, 50),
        p99Ms: percentile(latenciesMs, 99),
        failures: failed ? Number(failed[1]) : 0,
        successes: processed ? Number(processed[1]) : latenciesMs.length,
      };
    } finally {
      await rm(logDir, { recursive: true, force: true });
    }
  }

  drop(): Promise<void> {
    return this.db.drop();
  }
}

/** pgbench's per-transaction log: "client_id transaction_no time_us script_no epoch epoch_us". */
async function readLatencies(logDir: string): Promise<number[]> {
  const latencies: number[] = [];
  for (const file of await readdir(logDir)) {
    for (const line of (await readFile(path.join(logDir, file), 'utf8')).split('\n')) {
      const microseconds = Number(line.split(' ')[2]);
      if (line && Number.isFinite(microseconds)) latencies.push(microseconds / 1000);
    }
  }
  return latencies;
}

/** The statements of a file of one-line SQL statements (comments dropped). */
function statements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('--'))
    .map((line) => line.replace(/;\s*$/, ''));
}

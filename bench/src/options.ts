import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { MUTATIONS, type Mutation } from './mutations';

export interface BenchOptions {
  /** Tiny sizes and durations: a smoke run that proves every step works, not a measurement. */
  readonly quick: boolean;
  /** Seconds of load per mutation figure (pgbench and the API alike). */
  readonly durationSeconds: number;
  /** Concurrent clients: pgbench -c and the HTTP connections. */
  readonly clients: number;
  /** Multiplies the large read-path sizes: 1 reaches ~1,000,000 credit entries. */
  readonly scale: number;
  /** Rows the "spread" figures spread over (spends, wallets, invoices, credit notes). */
  readonly spreadRows: number;
  /** Sequential samples per read query and size, for its p95. */
  readonly readSamples: number;
  /**
   * API_PROCESSES for the API's mutation figures on PostgreSQL: one table per count. The
   * database, pgbench and the load generator share this machine's cores with the API.
   */
  readonly apiProcesses: readonly number[];
  /** The PostgreSQL the scratch databases are created on (its own database is left alone). */
  readonly adminUrl: string;
  readonly only: ReadonlySet<Section>;
  /** The money mutations measured (all by default; one while working on it). */
  readonly mutations: readonly Mutation[];
}

export type Section = 'mutations' | 'pglite' | 'reads' | 'profile';
const SECTIONS: readonly Section[] = ['mutations', 'pglite', 'reads', 'profile'];
/** The profile restarts the API per figure under node --cpu-prof: asked for, not run by default. */
const DEFAULT_SECTIONS: readonly Section[] = ['mutations', 'pglite', 'reads'];

const USAGE = `pnpm bench [--quick] [--duration S] [--clients N] [--scale X] [--only mutations,pglite,reads,profile]
  --quick      tiny sizes and durations (a smoke run, not a measurement)
  --duration   seconds per mutation figure (default 20, quick 3)
  --clients    concurrent clients for pgbench and the API (default 32)
  --scale      large read-path size; 1 = ~1,000,000 credit entries (default 1, quick 0.01)
  --only       run some sections only (default mutations,pglite,reads); profile: where the API's
               CPU goes per mutation (a V8 CPU profile of the API under the same load, by area)
  --mutations  measure some mutations only, e.g. recordRefund,refundCreditNote (default all)
  --api-processes  API_PROCESSES for the mutation figures, e.g. 1,2 (default 1 and one per core)
Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), the server
on which scratch databases are created and dropped.`;

function positiveNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      duration: { type: 'string' },
      clients: { type: 'string' },
      scale: { type: 'string' },
      only: { type: 'string' },
      'api-processes': { type: 'string' },
      mutations: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = values.quick === true;
  const only = new Set<Section>();
  for (const name of (values.only ?? DEFAULT_SECTIONS.join(',')).split(',')) {
    if (!SECTIONS.includes(name as Section)) throw new Error(`--only: unknown section ${name}`);
    only.add(name as Section);
  }
  const mutations = (values.mutations ?? MUTATIONS.join(',')).split(',');
  for (const name of mutations) {
    if (!MUTATIONS.includes(name as Mutation)) throw new Error(`--mutations: unknown ${name}`);
  }
  return {
    quick,
    durationSeconds: positiveNumber('duration', values.duration, quick ? 3 : 20),
    clients: Math.round(positiveNumber('clients', values.clients, 32)),
    scale: positiveNumber('scale', values.scale, quick ? 0.01 : 1),
    spreadRows: quick ? 64 : 1000,
    // The p95 of 200 calls is the 10th slowest: at 3-5 ms one GC pause or autovacuum tick of the
    // machine decides it, and an O(1) path read 1.6x between runs. 500 (the 25th) moves less, for
    // about a minute more.
    readSamples: quick ? 5 : 500,
    apiProcesses: [
      ...new Set(
        (values['api-processes'] ?? `1,${availableParallelism()}`)
          .split(',')
          .map((count) => Math.round(positiveNumber('api-processes', count, 1))),
      ),
    ],
    adminUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    only,
    mutations: MUTATIONS.filter((mutation) => mutations.includes(mutation)),
  };
}

import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { loadFloor, loadMutation, seedThroughApi } from './api-load';
import { ApiProcess } from './api-process';
import { type Mutation, type Spread, type Throughput } from './mutations';
import { type BenchOptions, parseOptions } from './options';
import { PgbenchLimits } from './pgbench';
import { databaseCpuMs, processCpuMs } from './process-cpu';
import { profileMutations } from './profile-section';
import { runReadPaths } from './read-paths';
import { ScratchDatabase } from './scratch-db';
import { fmt, table } from './stats';

const SPREADS: readonly Spread[] = ['spread', 'hot'];

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  console.log(
    `refunds benchmark${options.quick ? ' (--quick: a smoke run, not a measurement)' : ''}: ` +
      `${options.clients} clients, ${options.durationSeconds} s per figure, ` +
      `${options.spreadRows} rows spread, read scale ${options.scale}, ${new Date().toISOString()}`,
  );
  if (options.only.has('mutations')) await mutationsOnPostgres(options);
  if (options.only.has('pglite')) await mutationsOnPglite(options);
  if (options.only.has('reads')) await runReadPaths(options);
  if (options.only.has('profile')) await profileMutations(options);
}

/** pgbench's limit, then the API on a scratch PostgreSQL database, for each mutation. */
async function mutationsOnPostgres(options: BenchOptions): Promise<void> {
  console.log('\n## Money mutations on PostgreSQL: pgbench limit vs the API over HTTP');
  const limits = new Map<string, Throughput>();
  const pgbench = await PgbenchLimits.prepare(options);
  try {
    for (const mutation of options.mutations) {
      for (const spread of SPREADS) {
        const dbBefore = databaseCpuMs();
        const limit = await pgbench.measure(mutation, spread);
        limits.set(key(mutation, spread), withDbCpu(limit, dbBefore, databaseCpuMs()));
        process.stdout.write('.');
      }
    }
  } finally {
    await pgbench.drop();
  }
  console.log(' pgbench done');
  for (const processes of options.apiProcesses) {
    console.log(`\n### The API with API_PROCESSES=${processes}`);
    const api = await apiFigures(options, { kind: 'postgres', processes });
    printMutationTable(options.mutations, limits, api);
  }
}

function printMutationTable(
  mutations: readonly Mutation[],
  limits: Map<string, Throughput>,
  api: Map<string, Throughput>,
): void {
  const rows = mutations.flatMap((mutation) =>
    SPREADS.map((spread) => {
      const limit = limits.get(key(mutation, spread))!;
      const measured = api.get(key(mutation, spread))!;
      return [
        `${mutation} ${spread}`,
        fmt(limit.perSecond, 0),
        fmt(limit.p50Ms),
        fmt(limit.p99Ms),
        fmt(limit.dbCpuMsPerOp ?? Number.NaN, 2),
        fmt(measured.perSecond, 0),
        fmt(measured.p50Ms),
        fmt(measured.p99Ms),
        `${fmt(measured.perSecond / limit.perSecond, 2)}x`,
        fmt(measured.apiCpuMsPerOp ?? Number.NaN, 2),
        fmt(measured.dbCpuMsPerOp ?? Number.NaN, 2),
        fmt(measured.loadCpuMsPerOp ?? Number.NaN, 2),
        fmt(cpuBound(measured), 0),
        String(measured.failures),
      ];
    }),
  );
  console.log(
    table(
      [
        'mutation',
        'pgbench/s',
        'p50 ms',
        'p99 ms',
        'DB CPU ms/op',
        'API/s',
        'p50 ms',
        'p99 ms',
        'API/pgbench',
        'API CPU ms/op',
        'DB CPU ms/op',
        'load CPU ms/op',
        'CPU allows/s',
        'API failed',
      ],
      rows,
    ),
  );
  console.log(
    `CPU allows/s: the rate at which the API, PostgreSQL and the load generator together would use all ${availableParallelism()} cores at the CPU per mutation measured.`,
  );
  const floor = api.get(FLOOR);
  if (!floor) return;
  const floorCpu =
    (floor.apiCpuMsPerOp ?? Number.NaN) +
    (floor.dbCpuMsPerOp ?? 0) +
    (floor.loadCpuMsPerOp ?? Number.NaN);
  console.log(
    `\nThe floor, a signed-in \`{ __typename }\`: ${fmt(floor.perSecond, 0)}/s, p50 ${fmt(floor.p50Ms)} ms, ` +
      `${floor.failures} failed; CPU per request: API ${fmt(floor.apiCpuMsPerOp ?? Number.NaN, 2)} ms, ` +
      `PostgreSQL ${fmt(floor.dbCpuMsPerOp ?? Number.NaN, 2)} ms, load generator ${fmt(floor.loadCpuMsPerOp ?? Number.NaN, 2)} ms.`,
  );
  console.log(
    "If a mutation cost no more than the floor plus the limit's own PostgreSQL CPU, the cores would allow (spread only: on one hot row the row's lock, not the CPU, bounds pgbench):",
  );
  console.log(
    table(
      ['mutation', 'pgbench/s', 'floor + limit SQL allows/s', 'of pgbench', 'API/s measured'],
      mutations.flatMap((mutation) =>
        (['spread'] as const).map((spread) => {
          const limit = limits.get(key(mutation, spread))!;
          const allows =
            (availableParallelism() * 1000) / (floorCpu + (limit.dbCpuMsPerOp ?? Number.NaN));
          return [
            `${mutation} ${spread}`,
            fmt(limit.perSecond, 0),
            fmt(allows, 0),
            `${fmt(allows / limit.perSecond, 2)}x`,
            fmt(api.get(key(mutation, spread))!.perSecond, 0),
          ];
        }),
      ),
    ),
  );
}

/** Cores ÷ (API + PostgreSQL + load generator CPU per mutation): the machine's own ceiling. */
function cpuBound(figure: Throughput): number {
  const perOp =
    (figure.apiCpuMsPerOp ?? Number.NaN) +
    (figure.dbCpuMsPerOp ?? Number.NaN) +
    (figure.loadCpuMsPerOp ?? Number.NaN);
  return (availableParallelism() * 1000) / perOp;
}

/** The same API figures on the embedded default (PGlite in a temporary DATA_DIR); no limit. */
async function mutationsOnPglite(options: BenchOptions): Promise<void> {
  console.log('\n## Money mutations on the embedded database (PGlite)');
  const api = await apiFigures(options, { kind: 'pglite' });
  console.log(
    table(
      ['mutation', 'API/s', 'p50 ms', 'p99 ms', 'API CPU ms/op', 'API failed'],
      options.mutations.flatMap((mutation) =>
        SPREADS.map((spread) => {
          const measured = api.get(key(mutation, spread))!;
          return [
            `${mutation} ${spread}`,
            fmt(measured.perSecond, 0),
            fmt(measured.p50Ms),
            fmt(measured.p99Ms),
            fmt(measured.apiCpuMsPerOp ?? Number.NaN, 2),
            String(measured.failures),
          ];
        }),
      ),
    ),
  );
}

async function apiFigures(
  options: BenchOptions,
  target: { kind: 'postgres' | 'pglite'; processes?: number },
): Promise<Map<string, Throughput>> {
  const figures = new Map<string, Throughput>();
  const scratch =
    target.kind === 'postgres' ? await ScratchDatabase.create(options.adminUrl, 'api') : null;
  const dataDir =
    target.kind === 'pglite' ? await mkdtemp(path.join(tmpdir(), 'bench-pglite-')) : null;
  try {
    const api = await ApiProcess.start(scratch ? scratch.url : { dataDir: dataDir! }, {
      processes: target.processes ?? 1,
    });
    try {
      const started = Date.now();
      const seeded = await seedThroughApi(api.url, options.spreadRows);
      console.log(
        `seeded ${seeded.rows.length} customers through the API in ${fmt((Date.now() - started) / 1000)} s`,
      );
      {
        const cpuBefore = processCpuMs(api.pid);
        const dbBefore = target.kind === 'postgres' ? databaseCpuMs() : null;
        const floor = await loadFloor(seeded, options.clients, options.durationSeconds);
        const cpuAfter = processCpuMs(api.pid);
        figures.set(FLOOR, {
          ...withDbCpu(floor, dbBefore, target.kind === 'postgres' ? databaseCpuMs() : null),
          ...(cpuBefore !== null && cpuAfter !== null && floor.successes > 0
            ? { apiCpuMsPerOp: (cpuAfter - cpuBefore) / floor.successes }
            : {}),
        });
      }
      for (const mutation of options.mutations) {
        for (const spread of SPREADS) {
          const cpuBefore = processCpuMs(api.pid);
          const dbBefore = target.kind === 'postgres' ? databaseCpuMs() : null;
          const measured = await loadMutation(
            seeded,
            mutation,
            spread,
            options.clients,
            options.durationSeconds,
          );
          const cpuAfter = processCpuMs(api.pid);
          const dbAfter = target.kind === 'postgres' ? databaseCpuMs() : null;
          figures.set(key(mutation, spread), {
            ...withDbCpu(measured, dbBefore, dbAfter),
            ...(cpuBefore !== null && cpuAfter !== null && measured.successes > 0
              ? { apiCpuMsPerOp: (cpuAfter - cpuBefore) / measured.successes }
              : {}),
          });
          process.stdout.write('.');
        }
      }
      console.log(' API done');
    } finally {
      await api.stop();
    }
  } finally {
    await scratch?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
  return figures;
}

const key = (mutation: Mutation, spread: Spread) => `${mutation}:${spread}`;
/** The API's figure for the cheapest signed-in request (see loadFloor). */
const FLOOR = 'floor';

/** The PostgreSQL server's CPU per successful mutation between two samples, when both exist. */
function withDbCpu(figure: Throughput, before: number | null, after: number | null): Throughput {
  return before !== null && after !== null && figure.successes > 0
    ? { ...figure, dbCpuMsPerOp: (after - before) / figure.successes }
    : figure;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});

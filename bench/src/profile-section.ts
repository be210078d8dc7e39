import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { loadFloor, loadMutation, seedThroughApi } from './api-load';
import { ApiProcess } from './api-process';
import { type CpuProfile, summarizeProfile } from './cpu-profile';
import { type BenchOptions } from './options';
import { databaseCpuMs, processCpuMs, threadCpuMs } from './process-cpu';
import { ScratchDatabase } from './scratch-db';
import { fmt, table } from './stats';

/**
 * Where each mutation's time goes, spread over many rows (the figure furthest from its limit):
 * the API restarted under `node --cpu-prof` for each mutation, on a database seeded once, and the
 * same load as the mutation figures. Prints the CPU per mutation of every process that shares the
 * machine (API, PostgreSQL, the load generator), the rate those CPU costs allow on this machine's
 * cores, and the API's profile by area with its hottest functions. The profiler itself costs the
 * API some CPU, so the rates here are a little below the mutation table's.
 */
export async function profileMutations(options: BenchOptions): Promise<void> {
  console.log('\n## Where the time goes: the API profiled per mutation (spread)');
  const cores = availableParallelism();
  const scratch = await ScratchDatabase.create(options.adminUrl, 'profile');
  try {
    const seeder = await ApiProcess.start(scratch.url);
    let seeded;
    try {
      seeded = await seedThroughApi(seeder.url, options.spreadRows);
    } finally {
      await seeder.stop();
    }
    // The floor first: what every request costs, so each mutation's own cost reads beside it.
    for (const mutation of ['floor', ...options.mutations] as const) {
      const profileDir = await mkdtemp(path.join(tmpdir(), 'bench-profile-'));
      try {
        const api = await ApiProcess.start(scratch.url, {
          nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
        });
        const target = { ...seeded, client: seeded.client.at(api.url) };
        let measured;
        let window;
        let apiCpuMs: number | null = null;
        let dbCpuMs: number | null = null;
        let threads: { main: number; others: number } | null = null;
        try {
          const threadsBefore = threadCpuMs(api.pid);
          const cpuBefore = processCpuMs(api.pid);
          const dbBefore = databaseCpuMs();
          const startedAt = Date.now();
          measured =
            mutation === 'floor'
              ? await loadFloor(target, options.clients, options.durationSeconds)
              : await loadMutation(
                  target,
                  mutation,
                  'spread',
                  options.clients,
                  options.durationSeconds,
                );
          window = {
            fromUs: (startedAt - api.spawnedAt) * 1000,
            toUs: (Date.now() - api.spawnedAt) * 1000,
          };
          const cpuAfter = processCpuMs(api.pid);
          const threadsAfter = threadCpuMs(api.pid);
          if (threadsBefore && threadsAfter) {
            threads = {
              main: threadsAfter.main - threadsBefore.main,
              others: threadsAfter.others - threadsBefore.others,
            };
          }
          const dbAfter = databaseCpuMs();
          if (cpuBefore !== null && cpuAfter !== null) apiCpuMs = cpuAfter - cpuBefore;
          if (dbBefore !== null && dbAfter !== null) dbCpuMs = dbAfter - dbBefore;
        } finally {
          await api.stop();
        }
        const file = (await readdir(profileDir)).find((name) => name.endsWith('.cpuprofile'));
        if (!file) throw new Error(`the API wrote no CPU profile in ${profileDir}`);
        const profile = JSON.parse(
          await readFile(path.join(profileDir, file), 'utf8'),
        ) as CpuProfile;
        const summary = summarizeProfile(profile, { window });
        const ops = measured.successes;
        const perOp = (ms: number | null | undefined) =>
          ms === null || ms === undefined || ops === 0 ? Number.NaN : ms / ops;
        const api_ = perOp(apiCpuMs);
        const db = perOp(dbCpuMs);
        const load = measured.loadCpuMsPerOp ?? Number.NaN;
        console.log(
          `\n### ${mutation === 'floor' ? 'the floor, a signed-in { __typename }' : `${mutation} spread`}: ${fmt(measured.perSecond, 0)}/s, ${measured.failures} failed; ` +
            `CPU per request: API ${fmt(api_, 2)} ms, PostgreSQL ${fmt(db, 2)} ms, ` +
            `load generator ${fmt(load, 2)} ms; ${cores} cores allow ${fmt(
              (cores * 1000) / (api_ + db + load),
              0,
            )}/s at those costs`,
        );
        if (threads) {
          console.log(
            `API CPU per request by thread: main ${fmt(perOp(threads.main), 2)} ms (the profile below), ` +
              `others ${fmt(perOp(threads.others), 2)} ms (V8's compiler and GC helpers)`,
          );
        }
        console.log(
          table(
            ['API main thread by area', 'µs/op', 'share'],
            summary.areas
              .filter((row) => row.ms / summary.busyMs >= 0.005)
              .map((row) => [
                row.area,
                fmt((row.ms * 1000) / Math.max(ops, 1), 0),
                `${fmt((100 * row.ms) / summary.busyMs, 1)} %`,
              ]),
          ),
        );
        console.log(
          table(
            ['hottest functions (self time)', 'area', 'µs/op'],
            summary.functions.map((row) => [
              row.name.length > 70 ? `${row.name.slice(0, 67)}...` : row.name,
              row.area,
              fmt((row.ms * 1000) / Math.max(ops, 1), 0),
            ]),
          ),
        );
      } finally {
        await rm(profileDir, { recursive: true, force: true });
      }
    }
  } finally {
    await scratch.drop();
  }
}

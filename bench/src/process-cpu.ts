import { readdirSync, readFileSync } from 'node:fs';

interface ProcStat {
  readonly parentPid: number;
  /** user + system, ms, of the process itself (not of its children). */
  readonly cpuMs: number;
}

/**
 * One process's parent and CPU time from Linux's /proc/<pid>/stat, or null where there is no
 * /proc or the process is gone. /proc reports CPU in USER_HZ ticks, which Linux fixes at 100 a
 * second for user space on every architecture.
 */
function readStat(pid: number, file = `/proc/${pid}/stat`): ProcStat | null {
  try {
    const stat = readFileSync(file, 'utf8');
    // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const parentPid = Number(fields[1]);
    const userTicks = Number(fields[11]);
    const systemTicks = Number(fields[12]);
    if (!Number.isFinite(userTicks + systemTicks)) return null;
    return { parentPid, cpuMs: (userTicks + systemTicks) * 10 };
  } catch {
    return null;
  }
}

/**
 * CPU time (user + system, ms) the API has used so far: the process and every live descendant
 * (in production the API is a cluster primary with one worker per core, and the workers do the
 * work). Null where there is no /proc. Sample it before and after a figure while the same
 * processes run: a worker that exited in between would take its time with it.
 */
export function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  const root = readStat(pid);
  if (!root) return null;
  const children = new Map<number, number[]>();
  const cpu = new Map<number, number>([[pid, root.cpuMs]]);
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (!stat) continue;
    cpu.set(Number(entry), stat.cpuMs);
    children.set(stat.parentPid, [...(children.get(stat.parentPid) ?? []), Number(entry)]);
  }
  let total = 0;
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.pop() as number;
    total += cpu.get(next) ?? 0;
    queue.push(...(children.get(next) ?? []));
  }
  return total;
}

/**
 * CPU time (ms) used so far by this machine's PostgreSQL server: every process named `postgres`
 * (the postmaster and its backends), with what the postmaster has reaped from backends that ended
 * (cutime + cstime), so a connection closed between two samples still counts. Null where there is
 * no /proc. Only meaningful when the database is on this machine and nothing else uses it.
 */
export function databaseCpuMs(): number | null {
  let total = 0;
  let found = false;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  for (const entry of entries) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== 'postgres') continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime, stime, cutime, cstime: fields 14-17 of stat, 11-14 after the name.
      const ticks = [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index]), 0);
      if (Number.isFinite(ticks)) {
        total += ticks * 10;
        found = true;
      }
    } catch {
      // The process ended while we read.
    }
  }
  return found ? total : null;
}

/**
 * CPU time (ms) of one process's main thread and of its other threads (V8's compiler and GC
 * helpers, libuv's pool) from /proc/<pid>/task, or null where there is none. A CPU profile sees
 * only the main thread.
 */
export function threadCpuMs(pid: number | undefined): { main: number; others: number } | null {
  if (pid === undefined) return null;
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  let main = 0;
  let others = 0;
  for (const task of tasks) {
    const stat = readStat(Number(task), `/proc/${pid}/task/${task}/stat`);
    if (!stat) continue;
    if (task === String(pid)) main += stat.cpuMs;
    else others += stat.cpuMs;
  }
  return { main, others };
}

import { readFileSync } from 'node:fs';

/**
 * CPU time (user + system, ms) a process has used so far, from Linux's /proc/<pid>/stat; null
 * where there is no /proc. /proc reports it in USER_HZ ticks, which Linux fixes at 100 a second
 * for user space on every architecture.
 */
export function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const userTicks = Number(fields[11]);
    const systemTicks = Number(fields[12]);
    return Number.isFinite(userTicks + systemTicks) ? (userTicks + systemTicks) * 10 : null;
  } catch {
    return null;
  }
}

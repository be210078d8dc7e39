import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { StartupError } from './startup-errors';

/**
 * The embedded database belongs to one process. PGlite is PostgreSQL compiled into this process:
 * two processes on one folder each keep their own copy of the database in memory and overwrite
 * each other's files, so acknowledged writes vanish. The folder is therefore locked for the
 * lifetime of the database (proper-lockfile: an atomic mkdir, kept fresh by touching it).
 *
 * A process killed with SIGKILL leaves the lock behind; proper-lockfile would only call it stale
 * after `STALE_MS`. The holder's pid is kept beside it so a restart after a crash need not wait:
 * when that process no longer exists, the lock is taken over at once.
 */
const STALE_MS = 60_000;
const UPDATE_MS = 10_000;

export type ReleaseLock = () => Promise<void>;

export async function lockDataDir(
  dataDir: string,
  onLost: (error: Error) => void,
): Promise<ReleaseLock> {
  const lockPath = path.join(dataDir, '.lock');
  // Beside the lock, not in it: a file written in the lock folder would change the folder's mtime,
  // which proper-lockfile reads as the lock having been taken over.
  const pidPath = path.join(dataDir, '.lock.pid');
  const options = {
    lockfilePath: lockPath,
    realpath: false,
    stale: STALE_MS,
    update: UPDATE_MS,
    onCompromised: onLost,
  };
  const inUse = (holder: number | null) =>
    new StartupError(
      `DATA_DIR ${dataDir} is in use by another running API process${holder ? ` (pid ${holder})` : ''}. ` +
        `Stop it first, or give this process its own DATA_DIR; to run several processes, use PostgreSQL (DATABASE_URL).` +
        (holder ? `\nIf pid ${holder} is not an API process, delete ${pidPath}.` : ''),
    );
  // A holder that is alive but has not refreshed the lock for a while (its event loop blocked by
  // a long query) would look stale to proper-lockfile and be taken over: ask the pid first.
  const recorded = lockHolder(pidPath);
  if (recorded !== null && isRunning(recorded)) throw inUse(recorded);
  let release: ReleaseLock;
  try {
    release = await lockfile.lock(dataDir, options);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ELOCKED') throw error;
    const holder = lockHolder(pidPath);
    // No pid yet: another process took the lock a moment ago and is about to write it.
    if (holder === null || isRunning(holder)) throw inUse(holder);
    // The holder is gone (killed without cleaning up): nothing else can be writing the folder.
    rmSync(lockPath, { recursive: true, force: true });
    release = await lockfile.lock(dataDir, options);
  }
  writeFileSync(pidPath, String(process.pid));
  return async () => {
    rmSync(pidPath, { force: true });
    await release();
  };
}

function lockHolder(pidPath: string): number | null {
  try {
    const pid = Number(readFileSync(pidPath, 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  // Our own pid in the lock is a previous life of this container (pid 1 again after a restart).
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM'; // exists, owned by another user
  }
}

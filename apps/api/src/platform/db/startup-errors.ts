import { causes, isDatabaseUnavailable } from './availability';

/** A start-up failure whose message already says what is wrong and how to fix it. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/**
 * One or two lines for an operator instead of a driver's error object: what failed, where, and
 * what to do. Connection strings are shown without their password.
 */
export function explainDatabaseFailure(error: unknown, databaseUrl: string | undefined): Error {
  if (error instanceof StartupError || !databaseUrl) return error as Error;
  const target = describeTarget(databaseUrl);
  const code = causes(error)
    .map((cause) => (cause as { code?: unknown }).code)
    .find((c): c is string => typeof c === 'string');
  if (code === '3D000') {
    return new StartupError(
      `Database "${target.database}" does not exist on PostgreSQL at ${target.hostPort}.\n` +
        `Create it (createdb -h ${target.host} -p ${target.port} -U ${target.user} ${target.database}) or fix DATABASE_URL.`,
    );
  }
  if (code === '28P01' || code === '28000') {
    return new StartupError(
      `PostgreSQL at ${target.hostPort} refused user "${target.user}" (${code}).\n` +
        `Check the user and password in DATABASE_URL, and pg_hba.conf on the server.`,
    );
  }
  if (isDatabaseUnavailable(error)) {
    return new StartupError(
      `Cannot reach PostgreSQL at ${target.hostPort} (${code ?? firstMessage(error)}).\n` +
        `Start the server, or fix the host and port in DATABASE_URL.`,
    );
  }
  return error as Error;
}

export function explainDataDirFailure(error: unknown, dataDir: string): Error {
  if (error instanceof StartupError) return error;
  const code = (error as { code?: string }).code;
  if (code && ['ENOTDIR', 'EEXIST', 'EACCES', 'EPERM', 'EROFS', 'ENOENT'].includes(code)) {
    return new StartupError(
      `DATA_DIR ${dataDir} is not a folder this process can write (${code}).\n` +
        `Set DATA_DIR to a writable folder (it is created when missing).`,
    );
  }
  return error as Error;
}

export function explainListenFailure(
  error: unknown,
  host: string | undefined,
  port: number,
): Error {
  const code = (error as { code?: string }).code;
  const where = `${host ?? 'all interfaces'}, port ${port}`;
  if (code === 'EADDRINUSE') {
    return new StartupError(
      `Port ${port} is already in use (${where}).\n` +
        `Stop the process using it, or choose another port: PORT=${port === 4000 ? 4001 : port + 1}.`,
    );
  }
  if (code === 'EACCES') {
    return new StartupError(
      `Not allowed to listen on ${where} (EACCES). Ports below 1024 need privileges: use PORT=4000 behind a reverse proxy.`,
    );
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new StartupError(
      `HOST=${host} is not an address of this machine (${code}). Use 127.0.0.1, 0.0.0.0 or leave HOST unset.`,
    );
  }
  return error as Error;
}

function describeTarget(databaseUrl: string) {
  try {
    const url = new URL(databaseUrl);
    const host = url.hostname || 'localhost';
    const port = url.port || '5432';
    return {
      host,
      port,
      hostPort: `${host}:${port}`,
      database: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres',
      user: decodeURIComponent(url.username) || 'postgres',
    };
  } catch {
    return { host: '?', port: '?', hostPort: 'DATABASE_URL', database: '?', user: '?' };
  }
}

function firstMessage(error: unknown): string {
  const message = causes(error)
    .map((cause) => (cause as { message?: unknown }).message)
    .find((m): m is string => typeof m === 'string' && m.length > 0);
  return (message ?? 'unknown error').split('\n')[0]!.slice(0, 120);
}

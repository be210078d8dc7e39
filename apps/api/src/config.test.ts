import { availableParallelism } from 'node:os';
import path from 'node:path';
import { readConfig } from './config';
import { StartupError } from './platform/db/startup-errors';

describe('readConfig', () => {
  it('defaults to every interface, port 4000 and the embedded database in ./.data', () => {
    const config = readConfig({});
    expect(config).toMatchObject({
      host: undefined,
      port: 4000,
      databaseUrl: undefined,
      dataDir: path.resolve('.data'),
      production: false,
      introspection: true,
      shutdownTimeoutMs: 10_000,
    });
  });

  it('reads HOST, PORT, SHUTDOWN_TIMEOUT_MS and production mode', () => {
    const config = readConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      SHUTDOWN_TIMEOUT_MS: '2500',
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://app@db:5432/refunds',
    });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 0,
      shutdownTimeoutMs: 2500,
      production: true,
      introspection: false,
      databaseUrl: 'postgres://app@db:5432/refunds',
    });
  });

  it.each([
    [{ PORT: 'http' }, /^PORT must be a port number/],
    [{ PORT: '70000' }, /^PORT must be a port number/],
    [{ PORT: '-1' }, /^PORT must be a port number/],
    [{ SHUTDOWN_TIMEOUT_MS: 'soon' }, /^SHUTDOWN_TIMEOUT_MS must be/],
    [{ DATABASE_URL: 'mysql://db/refunds' }, /^DATABASE_URL must be a PostgreSQL URL/],
    [{ API_PROCESSES: 'all' }, /^API_PROCESSES must be a whole number/],
    [{ API_PROCESSES: '0' }, /^API_PROCESSES must be a whole number/],
  ])('refuses %j with a one-line StartupError', (env, message) => {
    expect(() => readConfig(env)).toThrow(StartupError);
    expect(() => readConfig(env)).toThrow(message);
  });

  describe('API_PROCESSES', () => {
    const postgres = 'postgres://app@db:5432/refunds';

    it('runs one process per core in production on PostgreSQL, one otherwise', () => {
      expect(readConfig({ NODE_ENV: 'production', DATABASE_URL: postgres }).processes).toBe(
        availableParallelism(),
      );
      expect(readConfig({ DATABASE_URL: postgres }).processes).toBe(1);
      expect(readConfig({ NODE_ENV: 'production' }).processes).toBe(1);
    });

    it('takes the number asked for on PostgreSQL', () => {
      expect(readConfig({ DATABASE_URL: postgres, API_PROCESSES: '3' }).processes).toBe(3);
      expect(
        readConfig({ NODE_ENV: 'production', DATABASE_URL: postgres, API_PROCESSES: '1' })
          .processes,
      ).toBe(1);
    });

    it('keeps the embedded database to one process, remembering what was asked', () => {
      const config = readConfig({ NODE_ENV: 'production', API_PROCESSES: '4' });
      expect(config.processes).toBe(1);
      expect(config.processesRequested).toBe(4);
    });
  });
});

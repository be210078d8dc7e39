import { Socket } from 'node:net';
import * as pg from 'pg';
import { startTestApi, type TestApi } from '../../test/harness';
import { TransactionEndedError } from './pipelined-transaction';
import { sql, sqlAll } from './statements';

// Pipelining is what node-postgres does over a socket; the embedded database runs statements one
// by one (and its transactions are TypeORM's own), so these cases are PostgreSQL's.
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;

onPostgres('a use case transaction on PostgreSQL (pipelined)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    await api.db.manager.query(`CREATE TABLE pipeline_probe (n int NOT NULL)`);
  });
  afterAll(async () => {
    await api.close();
  });

  /**
   * The protocol as it happens while `run` runs: `send` when a statement's last message is
   * handed to the socket (a simple Query, or the Sync that ends an extended one), `flush` when the
   * socket writes, `ready` when the server's ReadyForQuery for one comes back. Sequential
   * statements alternate send, ready; pipelined ones send several before the first ready.
   */
  async function wire(run: () => Promise<unknown>): Promise<string[]> {
    const events: string[] = [];
    const connection = (pg as unknown as { Connection: { prototype: Record<string, unknown> } })
      .Connection.prototype;
    const saved = { query: connection.query, sync: connection.sync, emit: connection.emit };
    /** `original`, noting `event` each time it is called. */
    const noting = (event: string, original: unknown) =>
      function (this: unknown, ...args: unknown[]) {
        events.push(event);
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      };
    connection.query = noting('send', saved.query);
    connection.sync = noting('send', saved.sync);
    // What reaches the socket: one `flush` per write to it (a corked batch is one).
    const socket = Socket.prototype as unknown as Record<string, unknown>;
    const savedSocket = { _write: socket._write, _writev: socket._writev };
    socket._write = noting('flush', savedSocket._write);
    socket._writev = noting('flush', savedSocket._writev);
    connection.emit = function (this: unknown, event: string, ...args: unknown[]) {
      if (event === 'readyForQuery') events.push('ready');
      return (saved.emit as (...a: unknown[]) => unknown).call(this, event, ...args);
    };
    try {
      await run();
      return events;
    } finally {
      Object.assign(connection, saved);
      Object.assign(socket, savedSocket);
    }
  }

  it('sends BEGIN with the first statement and COMMIT with the last: two round trips', async () => {
    const events = await wire(() =>
      api.db.transaction(async (tx) => {
        await sql(tx, 'probe.first', 'SELECT 1 AS one', []);
        await sqlAll(
          tx,
          [
            {
              name: 'probe.insert',
              text: 'INSERT INTO pipeline_probe (n) VALUES ($1)',
              values: [1],
            },
            { name: 'probe.count', text: 'SELECT count(*) FROM pipeline_probe', values: [] },
          ],
          { commit: true },
        );
      }),
    );
    expect(events).toEqual([
      // BEGIN and the first statement: one write, then both answers.
      ...['send', 'send', 'flush', 'ready', 'ready'],
      // The last two statements and COMMIT: one write, then the three answers.
      ...['send', 'send', 'send', 'flush', 'ready', 'ready', 'ready'],
    ]);
    const [row] = await api.db.manager.query(`SELECT count(*)::int AS n FROM pipeline_probe`);
    expect(row.n).toBe(1);
  });

  it('rolls everything back when the last statement fails, and reports its error', async () => {
    await api.db.manager.query(`TRUNCATE pipeline_probe`);
    const attempt = api.db.transaction(async (tx) => {
      await sql(tx, 'probe.insert', 'INSERT INTO pipeline_probe (n) VALUES ($1)', [2]);
      await sql(tx, 'probe.fail', 'SELECT 1 / $1::int', [0], { commit: true });
    });
    await expect(attempt).rejects.toThrow('division by zero');
    const [row] = await api.db.manager.query(`SELECT count(*)::int AS n FROM pipeline_probe`);
    expect(row.n).toBe(0);
    // The connection went back to the pool clean: the next transaction commits as usual.
    await api.db.transaction((tx) => tx.query(`INSERT INTO pipeline_probe (n) VALUES (3)`));
    const [after] = await api.db.manager.query(
      `SELECT array_agg(n)::text AS ns FROM pipeline_probe`,
    );
    expect(after.ns).toBe('{3}');
  });

  it('refuses a statement after COMMIT went out instead of running it outside the transaction', async () => {
    await api.db.manager.query(`TRUNCATE pipeline_probe`);
    const attempt = api.db.transaction(async (tx) => {
      await sql(tx, 'probe.insert', 'INSERT INTO pipeline_probe (n) VALUES ($1)', [4], {
        commit: true,
      });
      await tx.query(`INSERT INTO pipeline_probe (n) VALUES (5)`);
    });
    await expect(attempt).rejects.toBeInstanceOf(TransactionEndedError);
    const [row] = await api.db.manager.query(`SELECT array_agg(n)::text AS ns FROM pipeline_probe`);
    expect(row.ns).toBe('{4}');
  });

  it('rolls back a use case that fails before its last statement', async () => {
    await api.db.manager.query(`TRUNCATE pipeline_probe`);
    const attempt = api.db.transaction(async (tx) => {
      await sql(tx, 'probe.insert', 'INSERT INTO pipeline_probe (n) VALUES ($1)', [6]);
      throw new Error('a rule refused');
    });
    await expect(attempt).rejects.toThrow('a rule refused');
    const [row] = await api.db.manager.query(`SELECT count(*)::int AS n FROM pipeline_probe`);
    expect(row.n).toBe(0);
  });
});

import { DataSource } from 'typeorm';
import { PGliteSessionPool } from './pglite-session-pool';
import { Database } from './database';
import { openPGlite, pgDriverFor } from './data-source';

/**
 * Always on the embedded database, whatever DATABASE_URL says: this is the guarantee that makes
 * PGlite safe to run the app on.
 */
describe('the embedded database (PGlite) under racing transactions', () => {
  let db: Database;
  beforeAll(async () => {
    const pool = new PGliteSessionPool(await openPGlite(undefined));
    const dataSource = new DataSource({
      type: 'postgres',
      driver: pgDriverFor(pool),
      installExtensions: false,
    });
    await dataSource.initialize();
    db = new Database(dataSource, 'pglite');
    await db.manager.query('CREATE TABLE wallet (id int PRIMARY KEY, balance bigint NOT NULL)');
    await db.manager.query('CREATE TABLE entries (id serial PRIMARY KEY, amount bigint NOT NULL)');
    await db.manager.query('INSERT INTO wallet VALUES (1, 0)');
  });
  afterAll(() => db.close());

  it('loses no write when 60 read-modify-write transactions race', async () => {
    // Each transaction reads the balance, yields to the event loop (so the others get a chance to
    // interleave), then writes balance + 1 and an entry. Interleaved in one session, they would
    // overwrite each other; serialized, every one counts.
    await Promise.all(
      Array.from({ length: 60 }, () =>
        db.transaction(async (tx) => {
          const [row] = await tx.query('SELECT balance FROM wallet WHERE id = 1');
          await new Promise((resolve) => setImmediate(resolve));
          await tx.query('UPDATE wallet SET balance = $1 WHERE id = 1', [
            (BigInt(row.balance) + 1n).toString(),
          ]);
          await tx.query('INSERT INTO entries (amount) VALUES (1)');
        }),
      ),
    );
    const [wallet] = await db.manager.query('SELECT balance FROM wallet WHERE id = 1');
    const [entries] = await db.manager.query(
      'SELECT count(*) AS n, sum(amount) AS total FROM entries',
    );
    expect(wallet.balance).toBe('60');
    expect(entries).toEqual({ n: '60', total: '60' });
  });

  it('keeps a failed transaction from taking a concurrent one down with it', async () => {
    const outcomes = await Promise.allSettled([
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO entries (amount) VALUES (100)');
        await new Promise((resolve) => setImmediate(resolve));
        throw new Error('a rule refused');
      }),
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO entries (amount) VALUES (7)');
      }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled']);
    const rows = await db.manager.query('SELECT amount FROM entries WHERE amount IN (100, 7)');
    expect(rows).toEqual([{ amount: '7' }]);
  });
});

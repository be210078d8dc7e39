import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { allEntities, allMigrations } from '../features';
import { openDataSource } from '../platform/db/data-source';

/**
 * Deletions recorded the old way (deleted_at on the entry, the wallet moved without an entry)
 * become REVERSAL entries when the database is migrated, with a continuous balance_after chain.
 * The database is migrated up to just before the reversal migrations, given such a ledger, then
 * migrated to the end, as an existing installation would be.
 */
const FIRST_REVERSAL_MIGRATION = 1795400021000;
const timestampOf = (migration: unknown) =>
  Number(/(\d{13})$/.exec((migration as { name: string }).name)![1]);

describe('backfilling reversal entries for deletions made before the ledger was append-only', () => {
  let dataSource: DataSource;
  let runner: QueryRunner;
  let dropDatabase = async () => undefined as void;

  beforeAll(async () => {
    let databaseUrl: string | undefined;
    const baseUrl = process.env.DATABASE_URL;
    if (baseUrl) {
      const name = `rbo_backfill_${process.pid}_${randomBytes(4).toString('hex')}`;
      const admin = async (sql: string) => {
        const client = new Client({ connectionString: baseUrl });
        await client.connect();
        await client.query(sql).finally(() => client.end());
      };
      await admin(`CREATE DATABASE ${name}`);
      dropDatabase = () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      const url = new URL(baseUrl);
      url.pathname = `/${name}`;
      databaseUrl = url.toString();
    }
    ({ dataSource } = await openDataSource({
      databaseUrl,
      entities: allEntities,
      migrations: allMigrations.filter((m) => timestampOf(m) < FIRST_REVERSAL_MIGRATION),
    }));
    runner = dataSource.createQueryRunner();
  });
  afterAll(async () => {
    await runner?.release();
    await dataSource?.destroy();
    await dropDatabase();
  });

  it('inserts one linked reversal per deletion, in time order, and the chain ends at the wallet', async () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 5, 9, minute));
    const business = randomUUID();
    const member = randomUUID();
    const [kofi, esi] = [randomUUID(), randomUUID()];
    await runner.query(
      `INSERT INTO businesses (id, name, country, currency, timezone, created_at) VALUES ($1, 'Ama', 'GH', 'GHS', 'Africa/Accra', $2)`,
      [business, at(0)],
    );
    await runner.query(
      `INSERT INTO members (id, business_id, name, email, password_hash, role, created_at) VALUES ($1, $2, 'Ama', $3, 'x', 'OWNER', $4)`,
      [member, business, `${member}@example.com`, at(0)],
    );
    for (const customer of [kofi, esi]) {
      await runner.query(
        `INSERT INTO customers (id, business_id, name, portal_token, created_at) VALUES ($1, $2, 'C', $3, $4)`,
        [customer, business, randomUUID(), at(0)],
      );
    }
    const ids: Record<string, string> = {};
    // The old ledger: Kofi's refund (minute 3) deleted at minute 5, his correction (minute 4)
    // deleted at minute 7; Esi's entries interleaved and never deleted.
    const entries: Array<[string, string, string, number, number, number, number | null]> = [
      ['purchase', kofi, 'PURCHASE', 40, 40, 1, null],
      ['esiPurchase', esi, 'PURCHASE', 9, 9, 2, null],
      ['spend', kofi, 'SPEND', -30, 10, 2, null],
      ['refund', kofi, 'REFUND', 12, 22, 3, 5],
      ['correction', kofi, 'ADJUSTMENT', 5, 27, 4, 7],
      ['laterSpend', kofi, 'SPEND', -3, 12, 6, null],
      ['esiSpend', esi, 'SPEND', -4, 5, 8, null],
    ];
    for (const [key, customer, kind, credits, balanceAfter, minute, deletedMinute] of entries) {
      ids[key] = randomUUID();
      await runner.query(
        `INSERT INTO credit_transactions (id, business_id, customer_id, kind, credits, balance_after,
           refund_of_id, created_at, created_by, deleted_at, deleted_by, delete_reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          ids[key],
          business,
          customer,
          kind,
          credits,
          balanceAfter,
          kind === 'REFUND' ? ids['spend'] : null,
          at(minute),
          member,
          deletedMinute === null ? null : at(deletedMinute),
          deletedMinute === null ? null : member,
          deletedMinute === null ? null : `mistake ${key}`,
        ],
      );
    }
    await runner.query(
      `INSERT INTO credit_wallets (customer_id, business_id, balance) VALUES ($1, $2, 7), ($3, $2, 5)`,
      [kofi, business, esi],
    );

    const rest = allMigrations
      .filter((m) => timestampOf(m) >= FIRST_REVERSAL_MIGRATION)
      .sort((a, b) => timestampOf(a) - timestampOf(b));
    for (const Migration of rest) {
      await (new (Migration as new () => MigrationInterface)() as MigrationInterface).up(runner);
    }

    const ledger = async (customer: string) =>
      (
        (await runner.query(
          `SELECT id, kind, credits, balance_after, reverses_id, created_at, created_by, description
             FROM credit_transactions WHERE customer_id = $1 ORDER BY seq`,
          [customer],
        )) as any[]
      ).map((row) => ({
        id: row.id,
        kind: row.kind,
        credits: Number(row.credits),
        balanceAfter: Number(row.balance_after),
        reverses: row.reverses_id,
        at: new Date(row.created_at).toISOString(),
        by: row.created_by,
        why: row.description,
      }));

    const kofiLedger = await ledger(kofi);
    expect(kofiLedger.map((e) => [e.kind, e.credits, e.balanceAfter])).toEqual([
      ['PURCHASE', 40, 40],
      ['SPEND', -30, 10],
      ['REFUND', 12, 22],
      ['ADJUSTMENT', 5, 27],
      ['REVERSAL', -12, 15],
      ['SPEND', -3, 12],
      ['REVERSAL', -5, 7],
    ]);
    expect(kofiLedger[4]).toMatchObject({
      reverses: ids['refund'],
      at: at(5).toISOString(),
      by: member,
      why: 'mistake refund',
    });
    expect(kofiLedger[6]).toMatchObject({ reverses: ids['correction'], at: at(7).toISOString() });
    // Untouched customers keep their entries and order.
    expect((await ledger(esi)).map((e) => e.id)).toEqual([ids['esiPurchase'], ids['esiSpend']]);

    // From here on the ledger is append-only.
    await expect(
      runner.query(`UPDATE credit_transactions SET description = 'x' WHERE id = $1`, [
        ids['spend'],
      ]),
    ).rejects.toThrow(/append-only/);
  });
});

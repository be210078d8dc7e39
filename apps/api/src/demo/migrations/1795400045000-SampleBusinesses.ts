import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sample data lives in a business of its own, flagged here: nothing in a real business's
 * append-only ledgers, gap-free numbers or audit log is ever made up or deleted. Removing a sample
 * business closes it (sessions and keys revoked, `sample_removed_at` set) and keeps its rows.
 */
export class SampleBusinesses1795400045000 implements MigrationInterface {
  name = 'SampleBusinesses1795400045000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE businesses ADD COLUMN sample boolean NOT NULL DEFAULT false`);
    await db.query(`ALTER TABLE businesses ADD COLUMN sample_removed_at timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE businesses DROP COLUMN sample_removed_at`);
    await db.query(`ALTER TABLE businesses DROP COLUMN sample`);
  }
}

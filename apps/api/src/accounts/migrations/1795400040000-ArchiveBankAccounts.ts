import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bank accounts can be archived, never deleted: refunds already paid from one keep pointing at
 * it (the ledger is append-only), while new refunds can no longer choose it.
 */
export class ArchiveBankAccounts1795400040000 implements MigrationInterface {
  name = 'ArchiveBankAccounts1795400040000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE bank_accounts ADD COLUMN archived_at timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE bank_accounts DROP COLUMN archived_at`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Why money went back on an account refund, beside its reference (the three flows share it). */
export class AccountRefundReasons1795400023000 implements MigrationInterface {
  name = 'AccountRefundReasons1795400023000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE account_refunds ADD COLUMN reason_category text
        CHECK (reason_category IN
          ('DUPLICATE_PAYMENT','NOT_DELIVERED','CANCELLED','DISPUTE','GOODWILL','OTHER'))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE account_refunds DROP COLUMN reason_category`);
  }
}

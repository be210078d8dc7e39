import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deleting a credit entry becomes a REVERSAL entry linked to it, instead of an UPDATE of the
 * entry; refunds and reversals carry a reason category. The old deleted_at/deleted_by/
 * delete_reason columns stay (history is never dropped) but are no longer written: the next
 * migration turns every deletion they record into a reversal entry.
 */
export class CreditReversals1795400021000 implements MigrationInterface {
  name = 'CreditReversals1795400021000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE credit_transactions DROP CONSTRAINT credit_transactions_kind_check`,
    );
    await db.query(`
      ALTER TABLE credit_transactions ADD CONSTRAINT credit_transactions_kind_check
        CHECK (kind IN ('PURCHASE','SPEND','REFUND','ADJUSTMENT','REVERSAL'))`);
    await db.query(
      `ALTER TABLE credit_transactions ADD COLUMN reverses_id uuid REFERENCES credit_transactions(id)`,
    );
    await db.query(`ALTER TABLE credit_transactions ADD COLUMN reason_category text`);
    await db.query(`
      ALTER TABLE credit_transactions ADD CONSTRAINT credit_transactions_reversal_link
        CHECK ((kind = 'REVERSAL') = (reverses_id IS NOT NULL))`);
    await db.query(`
      ALTER TABLE credit_transactions ADD CONSTRAINT credit_transactions_reason_category
        CHECK (reason_category IS NULL OR (kind IN ('REFUND','REVERSAL') AND reason_category IN
          ('DUPLICATE_PAYMENT','NOT_DELIVERED','CANCELLED','DISPUTE','GOODWILL','OTHER')))`);
    // One reversal per entry, whatever races past the wallet lock: the database has the last word.
    await db.query(
      `CREATE UNIQUE INDEX credit_transactions_reverses_idx ON credit_transactions (reverses_id) WHERE reverses_id IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM credit_transactions WHERE kind = 'REVERSAL'`);
    await db.query(`DROP INDEX credit_transactions_reverses_idx`);
    await db.query(
      `ALTER TABLE credit_transactions DROP CONSTRAINT credit_transactions_reason_category`,
    );
    await db.query(
      `ALTER TABLE credit_transactions DROP CONSTRAINT credit_transactions_reversal_link`,
    );
    await db.query(`ALTER TABLE credit_transactions DROP COLUMN reason_category`);
    await db.query(`ALTER TABLE credit_transactions DROP COLUMN reverses_id`);
    await db.query(
      `ALTER TABLE credit_transactions DROP CONSTRAINT credit_transactions_kind_check`,
    );
    await db.query(`
      ALTER TABLE credit_transactions ADD CONSTRAINT credit_transactions_kind_check
        CHECK (kind IN ('PURCHASE','SPEND','REFUND','ADJUSTMENT'))`);
  }
}

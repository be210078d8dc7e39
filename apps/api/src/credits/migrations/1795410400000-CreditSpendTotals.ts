import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What has been refunded of each spend, kept beside the ledger: the refunds of the spend that no
 * REVERSAL undid, summed. credit_transactions is append-only, so the total cannot live on the
 * spend's row; this table is not a ledger and is written in the same transaction as the REFUND
 * entry (+credits) and the REVERSAL of a refund (-credits), under the customer's wallet lock.
 * A spend without a row has nothing refunded. Reads take it from here instead of summing every
 * earlier refund, so a refund of a spend with 50,000 refunds costs what the first one did.
 */
export class CreditSpendTotals1795410400000 implements MigrationInterface {
  name = 'CreditSpendTotals1795410400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE credit_spend_totals (
        spend_id uuid PRIMARY KEY REFERENCES credit_transactions(id),
        business_id uuid NOT NULL REFERENCES businesses(id),
        refunded_credits bigint NOT NULL CHECK (refunded_credits >= 0)
      )`);
    // Built from the entries (read only: the ledger itself is never changed). The same statement,
    // with "AND r.business_id = $1", rebuilds one business (e.g. after a bulk load).
    await db.query(`
      INSERT INTO credit_spend_totals (spend_id, business_id, refunded_credits)
      SELECT r.refund_of_id, r.business_id, SUM(r.credits)
        FROM credit_transactions r
       WHERE r.refund_of_id IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM credit_transactions v WHERE v.reverses_id = r.id)
       GROUP BY r.refund_of_id, r.business_id`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE credit_spend_totals`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Turns every deletion recorded the old way (deleted_at on the entry, the wallet moved without an
 * entry) into the REVERSAL entry it should have been: who (deleted_by), when (deleted_at) and why
 * (delete_reason). Runs before the append-only triggers, so it is the last time these rows change.
 *
 * A backfilled reversal belongs where it happened, not at the end of the ledger: the entries
 * written after a deletion already carry its effect in their balance_after. So the insertion order
 * (seq) is rebuilt by time (created_at, then the old seq), and each reversal's balance_after is the
 * running sum at its place. Every balance_after chain is then continuous and ends at the wallet.
 * Nothing else about the existing entries changes.
 */
export class BackfillCreditReversals1795400022000 implements MigrationInterface {
  name = 'BackfillCreditReversals1795400022000';

  async up(db: QueryRunner): Promise<void> {
    const [row]: Array<{ pending: string | number }> = await db.query(
      `SELECT count(*) AS pending FROM credit_transactions WHERE deleted_at IS NOT NULL`,
    );
    if (Number(row?.pending ?? 0) === 0) return;
    await db.query(`
      INSERT INTO credit_transactions (id, business_id, customer_id, kind, credits, balance_after,
                                       description, created_at, created_by, reverses_id)
      SELECT gen_random_uuid(), t.business_id, t.customer_id, 'REVERSAL', -t.credits, 0,
             t.delete_reason, t.deleted_at, t.deleted_by, t.id
        FROM credit_transactions t
       WHERE t.deleted_at IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM credit_transactions v WHERE v.reverses_id = t.id)`);
    // Two steps, so that no new seq collides with an old one under the unique constraint.
    await db.query(`UPDATE credit_transactions SET seq = -seq`);
    await db.query(`
      UPDATE credit_transactions t SET seq = ordered.position
        FROM (SELECT id, row_number() OVER (ORDER BY created_at, -seq) AS position
                FROM credit_transactions) ordered
       WHERE ordered.id = t.id`);
    await db.query(`
      UPDATE credit_transactions t SET balance_after = running.balance
        FROM (SELECT id, SUM(credits) OVER (PARTITION BY customer_id ORDER BY seq) AS balance
                FROM credit_transactions) running
       WHERE running.id = t.id AND t.kind = 'REVERSAL'`);
  }

  async down(): Promise<void> {
    // The reversals are the ledger's record of those deletions; CreditReversals' down removes them.
  }
}

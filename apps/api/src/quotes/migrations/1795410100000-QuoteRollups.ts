import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Flat invoice reads and a cheap refund (issue 15). Kept totals beside the entries, moved by the
 * quotes flow in the same transaction as the entries they sum (quote-rollups.ts):
 *
 * - `quotes.paid_minor`, `refunded_minor`: the invoice's payments less reversals and its refunds,
 *   so a refund checks what is refundable from the row it locks instead of summing every earlier
 *   refund. `cash_allocated_minor`: the account payments allocated to it that revenue counts
 *   (while it is an invoice; a void releases them).
 * - `quote_status_counts`: quotes per status (the tab counts, "Invoices paid").
 * - `quote_invoiced_months`: totals of ACCEPTED or PAID invoices by business-local issue month.
 * - `quote_revenue_days`: cash received (payments + cash allocations − reversals) and refunds by
 *   business-local day (the business's time zone, which no mutation changes). `slot` spreads the
 *   writes of one day over 16 rows (by quote id), so refunds of different invoices do not queue
 *   on one row; a read sums at most 366 × 16 rows.
 *
 * `quote_rollups_rebuild(business)` recomputes all of them from the entries (NULL: every
 * business): the backfill below, and what to run after a bulk load that bypasses the API. It reads
 * the ledgers and never writes them (quotes and the rollups are mutable rows).
 */
export class QuoteRollups1795410100000 implements MigrationInterface {
  name = 'QuoteRollups1795410100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE quotes
        ADD COLUMN paid_minor bigint NOT NULL DEFAULT 0,
        ADD COLUMN refunded_minor bigint NOT NULL DEFAULT 0,
        ADD COLUMN cash_allocated_minor bigint NOT NULL DEFAULT 0`);
    await db.query(`
      CREATE TABLE quote_status_counts (
        business_id uuid NOT NULL REFERENCES businesses(id),
        status text NOT NULL,
        quotes bigint NOT NULL,
        PRIMARY KEY (business_id, status)
      )`);
    await db.query(`
      CREATE TABLE quote_invoiced_months (
        business_id uuid NOT NULL REFERENCES businesses(id),
        month text NOT NULL,
        invoiced_minor bigint NOT NULL,
        PRIMARY KEY (business_id, month)
      )`);
    await db.query(`
      CREATE TABLE quote_revenue_days (
        business_id uuid NOT NULL REFERENCES businesses(id),
        day date NOT NULL,
        slot smallint NOT NULL,
        received_minor bigint NOT NULL,
        refunded_minor bigint NOT NULL,
        PRIMARY KEY (business_id, day, slot)
      )`);
    await db.query(`
      CREATE FUNCTION quote_rollups_rebuild(p_business uuid) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE quotes q SET
          paid_minor = COALESCE((SELECT SUM(CASE p.kind WHEN 'PAYMENT' THEN p.amount_minor
                                                       ELSE -p.amount_minor END)
                                   FROM quote_payments p WHERE p.quote_id = q.id), 0),
          refunded_minor = COALESCE((SELECT SUM(r.amount_minor)
                                       FROM quote_refunds r WHERE r.quote_id = q.id), 0),
          cash_allocated_minor = CASE WHEN q.status IN ('ACCEPTED', 'PAID', 'REFUNDED') THEN
            COALESCE((SELECT SUM(a.amount_minor) FROM account_allocations a
                        JOIN account_credits c ON c.id = a.credit_id AND c.kind = 'PAYMENT'
                       WHERE a.quote_id = q.id), 0) ELSE 0 END
         WHERE p_business IS NULL OR q.business_id = p_business;

        DELETE FROM quote_status_counts WHERE p_business IS NULL OR business_id = p_business;
        INSERT INTO quote_status_counts (business_id, status, quotes)
        SELECT business_id, status, count(*) FROM quotes
         WHERE p_business IS NULL OR business_id = p_business
         GROUP BY business_id, status;

        DELETE FROM quote_invoiced_months WHERE p_business IS NULL OR business_id = p_business;
        INSERT INTO quote_invoiced_months (business_id, month, invoiced_minor)
        SELECT q.business_id, to_char(q.accepted_at AT TIME ZONE b.timezone, 'YYYY-MM'),
               SUM(q.total_minor)
          FROM quotes q JOIN businesses b ON b.id = q.business_id
         WHERE q.status IN ('ACCEPTED', 'PAID') AND q.accepted_at IS NOT NULL
           AND (p_business IS NULL OR q.business_id = p_business)
         GROUP BY 1, 2;

        DELETE FROM quote_revenue_days WHERE p_business IS NULL OR business_id = p_business;
        INSERT INTO quote_revenue_days (business_id, day, slot, received_minor, refunded_minor)
        SELECT m.business_id, (m.at AT TIME ZONE b.timezone)::date, 0,
               SUM(m.received), SUM(m.refunded)
          FROM (
            SELECT p.business_id, p.paid_at AS at,
                   CASE p.kind WHEN 'PAYMENT' THEN p.amount_minor ELSE -p.amount_minor END
                     AS received,
                   0::bigint AS refunded
              FROM quote_payments p
             WHERE p_business IS NULL OR p.business_id = p_business
            UNION ALL
            SELECT a.business_id, a.created_at, a.amount_minor, 0
              FROM account_allocations a
              JOIN account_credits c ON c.id = a.credit_id AND c.kind = 'PAYMENT'
              JOIN quotes q ON q.id = a.quote_id AND q.status IN ('ACCEPTED', 'PAID', 'REFUNDED')
             WHERE p_business IS NULL OR a.business_id = p_business
            UNION ALL
            SELECT r.business_id, r.recorded_at, 0, r.amount_minor
              FROM quote_refunds r
             WHERE p_business IS NULL OR r.business_id = p_business
          ) m JOIN businesses b ON b.id = m.business_id
         GROUP BY 1, 2;
      END $$`);
    await db.query(`SELECT quote_rollups_rebuild(NULL)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION quote_rollups_rebuild(uuid)`);
    await db.query(`DROP TABLE quote_revenue_days`);
    await db.query(`DROP TABLE quote_invoiced_months`);
    await db.query(`DROP TABLE quote_status_counts`);
    await db.query(`
      ALTER TABLE quotes
        DROP COLUMN paid_minor, DROP COLUMN refunded_minor, DROP COLUMN cash_allocated_minor`);
  }
}

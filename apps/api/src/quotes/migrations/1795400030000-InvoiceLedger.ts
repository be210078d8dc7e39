import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One settlement rule for invoices (issue 11, packages/domain/ACCOUNTING.md):
 * - `quote_payments`: what "Mark paid" records, and the reversing entries of "Mark unpaid".
 *   Append-only; `quotes.status` and `paid_at` are kept beside the entries in the same
 *   transaction. Backfilled from today's PAID and REFUNDED invoices (the payment the statement
 *   used to derive: total less allocations), so the statement shows the same lines as before.
 * - `quote_refunds` loses its one-per-quote constraint (partial refunds) and gains the reason
 *   category. The backfills run here, before the append-only triggers (1795409990000).
 */
export class InvoiceLedger1795400030000 implements MigrationInterface {
  name = 'InvoiceLedger1795400030000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE quote_payments (
        id uuid PRIMARY KEY,
        business_id uuid NOT NULL REFERENCES businesses(id),
        quote_id uuid NOT NULL REFERENCES quotes(id),
        customer_id uuid NOT NULL REFERENCES customers(id),
        kind text NOT NULL CHECK (kind IN ('PAYMENT', 'REVERSAL')),
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency char(3) NOT NULL,
        paid_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        recorded_by uuid REFERENCES members(id),
        reverses_id uuid REFERENCES quote_payments(id),
        CHECK ((kind = 'REVERSAL') = (reverses_id IS NOT NULL))
      )`);
    await db.query(`CREATE INDEX quote_payments_quote_idx ON quote_payments (quote_id)`);
    // Revenue reads a business's payments by date; the statement a customer's.
    await db.query(`CREATE INDEX quote_payments_paid_idx ON quote_payments (business_id, paid_at)`);
    await db.query(
      `CREATE INDEX quote_payments_customer_idx ON quote_payments (business_id, customer_id, paid_at)`,
    );
    await db.query(`
      INSERT INTO quote_payments
        (id, business_id, quote_id, customer_id, kind, amount_minor, currency, paid_at, recorded_at)
      SELECT gen_random_uuid(), q.business_id, q.id, q.customer_id, 'PAYMENT',
             q.total_minor - COALESCE(al.allocated, 0), q.currency, q.paid_at, q.paid_at
        FROM quotes q
        LEFT JOIN (SELECT quote_id, SUM(amount_minor) AS allocated
                     FROM account_allocations GROUP BY quote_id) al ON al.quote_id = q.id
       WHERE q.status IN ('PAID', 'REFUNDED')
         AND q.total_minor - COALESCE(al.allocated, 0) > 0`);
    await db.query(`ALTER TABLE quote_refunds DROP CONSTRAINT quote_refunds_quote_id_key`);
    await db.query(`
      ALTER TABLE quote_refunds ADD COLUMN reason_category text CHECK (reason_category IN
        ('DUPLICATE_PAYMENT','NOT_DELIVERED','CANCELLED','DISPUTE','GOODWILL','OTHER'))`);
    await db.query(
      `CREATE INDEX quote_refunds_quote_idx ON quote_refunds (quote_id, recorded_at, id)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX quote_refunds_quote_idx`);
    await db.query(`ALTER TABLE quote_refunds DROP COLUMN reason_category`);
    await db.query(
      `ALTER TABLE quote_refunds ADD CONSTRAINT quote_refunds_quote_id_key UNIQUE (quote_id)`,
    );
    await db.query(`DROP TABLE quote_payments`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The customer's portal page lists that customer's newest quotes (at most 100): an index in that
 * order, so the page reads them from the index instead of sorting all of a customer's quotes.
 */
export class QuotePortalIndex1795410100001 implements MigrationInterface {
  name = 'QuotePortalIndex1795410100001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX quotes_customer_list_idx ON quotes (business_id, customer_id, created_at DESC, id DESC)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX quotes_customer_list_idx`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every table that records a movement of money is a ledger: rows are inserted, never changed or
 * removed (a mistake is corrected by a new, linked entry). Triggers make PostgreSQL itself refuse
 * UPDATE, DELETE and TRUNCATE on them, whoever connects (the embedded PGlite runs the same
 * PL/pgSQL). The audit log got its triggers when it was created (1795400020000-AuditLog, which also
 * defines `refuse_ledger_change()`). This migration is the last one of its round on purpose: the
 * backfills before it (credit reversals, invoice payments) are the last writes that may rewrite.
 */
export const LEDGER_TABLES = [
  'credit_transactions',
  'account_credits',
  'account_allocations',
  'account_refunds',
  'quote_payments',
  'quote_refunds',
] as const;

export class AppendOnlyLedgers1795409990000 implements MigrationInterface {
  name = 'AppendOnlyLedgers1795409990000';

  async up(db: QueryRunner): Promise<void> {
    for (const table of LEDGER_TABLES) {
      await db.query(`
        CREATE TRIGGER ${table}_append_only
          BEFORE UPDATE OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change()`);
      await db.query(`
        CREATE TRIGGER ${table}_no_truncate
          BEFORE TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of LEDGER_TABLES) {
      await db.query(`DROP TRIGGER ${table}_no_truncate ON ${table}`);
      await db.query(`DROP TRIGGER ${table}_append_only ON ${table}`);
    }
  }
}

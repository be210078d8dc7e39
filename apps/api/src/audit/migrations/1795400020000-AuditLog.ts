import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log, append-only from its first row: `refuse_ledger_change()` is the trigger function
 * every ledger table uses (see 1795409990000-AppendOnlyLedgers), so the database itself refuses to
 * rewrite history whatever code or person connects to it.
 */
export class AuditLog1795400020000 implements MigrationInterface {
  name = 'AuditLog1795400020000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE audit_entries (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL UNIQUE,
        business_id uuid NOT NULL REFERENCES businesses(id),
        at timestamptz NOT NULL,
        action text NOT NULL CHECK (action ~ '^[A-Z][A-Z_]*$'),
        actor_kind text NOT NULL CHECK (actor_kind IN ('MEMBER','API_KEY','SYSTEM')),
        actor_member_id uuid REFERENCES members(id),
        actor_api_key_id uuid REFERENCES api_keys(id),
        subject_type text NOT NULL,
        subject_id text,
        changes jsonb NOT NULL DEFAULT '[]',
        reason text,
        CHECK ((actor_kind = 'MEMBER') = (actor_member_id IS NOT NULL)),
        CHECK ((actor_kind = 'API_KEY') = (actor_api_key_id IS NOT NULL))
      )`);
    // Newest first, keyset on seq, for each filter of auditLog.
    await db.query(
      `CREATE INDEX audit_entries_business_idx ON audit_entries (business_id, seq DESC)`,
    );
    await db.query(
      `CREATE INDEX audit_entries_action_idx ON audit_entries (business_id, action, seq DESC)`,
    );
    await db.query(
      `CREATE INDEX audit_entries_subject_idx ON audit_entries (business_id, subject_id, seq DESC)`,
    );
    await db.query(`
      CREATE FUNCTION refuse_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'restrict_violation';
      END
      $$`);
    await db.query(`
      CREATE TRIGGER audit_entries_append_only
        BEFORE UPDATE OR DELETE ON audit_entries
        FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change()`);
    // Row triggers do not see TRUNCATE; a statement trigger does.
    await db.query(`
      CREATE TRIGGER audit_entries_no_truncate
        BEFORE TRUNCATE ON audit_entries
        FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE audit_entries`);
    await db.query(`DROP FUNCTION refuse_ledger_change()`);
  }
}

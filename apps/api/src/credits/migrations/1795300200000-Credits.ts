import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The credit ledger: append-only entries, each with the balance after it, and one wallet row per
 * customer that keeps the balance beside the entries (written in the same transaction) and is the
 * row every credit use case locks.
 */
export class Credits1795300200000 implements MigrationInterface {
  name = 'Credits1795300200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE credit_wallets (
        customer_id uuid PRIMARY KEY REFERENCES customers(id),
        business_id uuid NOT NULL REFERENCES businesses(id),
        balance bigint NOT NULL CHECK (balance >= 0)
      )`);
    await db.query(`
      CREATE TABLE credit_transactions (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL UNIQUE,
        business_id uuid NOT NULL REFERENCES businesses(id),
        customer_id uuid NOT NULL REFERENCES customers(id),
        kind text NOT NULL CHECK (kind IN ('PURCHASE','SPEND','REFUND','ADJUSTMENT')),
        credits bigint NOT NULL CHECK (credits <> 0),
        balance_after bigint NOT NULL CHECK (balance_after >= 0),
        description text,
        refund_of_id uuid REFERENCES credit_transactions(id),
        created_at timestamptz NOT NULL,
        created_by uuid REFERENCES members(id),
        created_by_api_key uuid REFERENCES api_keys(id),
        deleted_at timestamptz,
        deleted_by uuid REFERENCES members(id),
        delete_reason text,
        CHECK ((kind = 'REFUND') = (refund_of_id IS NOT NULL)),
        CHECK (kind NOT IN ('PURCHASE','REFUND') OR credits > 0),
        CHECK (kind <> 'SPEND' OR credits < 0),
        CHECK (deleted_at IS NULL OR kind IN ('REFUND','ADJUSTMENT'))
      )`);
    // Newest first, keyset on seq, for each filter combination of creditTransactions.
    await db.query(
      `CREATE INDEX credit_transactions_business_idx ON credit_transactions (business_id, seq DESC)`,
    );
    await db.query(
      `CREATE INDEX credit_transactions_customer_idx ON credit_transactions (business_id, customer_id, seq DESC)`,
    );
    await db.query(
      `CREATE INDEX credit_transactions_kind_idx ON credit_transactions (business_id, kind, seq DESC)`,
    );
    await db.query(
      `CREATE INDEX credit_transactions_customer_kind_idx ON credit_transactions (business_id, customer_id, kind, seq DESC)`,
    );
    // What has been refunded of a spend.
    await db.query(
      `CREATE INDEX credit_transactions_refund_of_idx ON credit_transactions (refund_of_id) WHERE refund_of_id IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE credit_transactions`);
    await db.query(`DROP TABLE credit_wallets`);
  }
}

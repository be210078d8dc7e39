import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customer accounts: bank accounts, credits (credit notes and payments), allocations and refunds.
 * Append-only ledger tables; a credit's O/S is derived from its allocations and refunds, and the
 * invoices are the quotes flow's rows. quote_id columns carry no foreign key so this migration
 * does not depend on the quotes flow's tables; the service only writes quote ids it has just read
 * (and locked) within the same business and customer.
 */
export class Accounts1795300300000 implements MigrationInterface {
  name = 'Accounts1795300300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE bank_accounts (
        id uuid PRIMARY KEY,
        business_id uuid NOT NULL REFERENCES businesses(id),
        name text NOT NULL,
        currency char(3) NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await db.query(
      `CREATE INDEX bank_accounts_business_idx ON bank_accounts (business_id, created_at, id)`,
    );
    await db.query(`
      CREATE TABLE account_credits (
        id uuid PRIMARY KEY,
        business_id uuid NOT NULL REFERENCES businesses(id),
        customer_id uuid NOT NULL REFERENCES customers(id),
        kind text NOT NULL CHECK (kind IN ('CREDIT_NOTE', 'PAYMENT')),
        number text NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency char(3) NOT NULL,
        description text,
        quote_id uuid,
        created_at timestamptz NOT NULL,
        created_by uuid,
        UNIQUE (business_id, number)
      )`);
    await db.query(
      `CREATE INDEX account_credits_customer_idx ON account_credits (business_id, customer_id, created_at, id)`,
    );
    await db.query(`
      CREATE TABLE account_allocations (
        id uuid PRIMARY KEY,
        business_id uuid NOT NULL REFERENCES businesses(id),
        customer_id uuid NOT NULL REFERENCES customers(id),
        credit_id uuid NOT NULL REFERENCES account_credits(id),
        quote_id uuid NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency char(3) NOT NULL,
        created_at timestamptz NOT NULL,
        created_by uuid
      )`);
    await db.query(
      `CREATE INDEX account_allocations_credit_idx ON account_allocations (credit_id)`,
    );
    await db.query(`CREATE INDEX account_allocations_quote_idx ON account_allocations (quote_id)`);
    await db.query(
      `CREATE INDEX account_allocations_customer_idx ON account_allocations (business_id, customer_id, created_at, id)`,
    );
    await db.query(`
      CREATE TABLE account_refunds (
        id uuid PRIMARY KEY,
        business_id uuid NOT NULL REFERENCES businesses(id),
        customer_id uuid NOT NULL REFERENCES customers(id),
        credit_id uuid NOT NULL REFERENCES account_credits(id),
        bank_account_id uuid NOT NULL REFERENCES bank_accounts(id),
        number text NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency char(3) NOT NULL,
        reference text,
        created_at timestamptz NOT NULL,
        created_by uuid,
        UNIQUE (business_id, number)
      )`);
    await db.query(`CREATE INDEX account_refunds_credit_idx ON account_refunds (credit_id)`);
    await db.query(
      `CREATE INDEX account_refunds_customer_idx ON account_refunds (business_id, customer_id, created_at, id)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'account_refunds',
      'account_allocations',
      'account_credits',
      'bank_accounts',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}

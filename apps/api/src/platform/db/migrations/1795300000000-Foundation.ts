import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Businesses, their members and credentials, customers, and the shared idempotency/counter tables. */
export class Foundation1795300000000 implements MigrationInterface {
  name = 'Foundation1795300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE businesses (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        country char(2) NOT NULL,
        currency char(3) NOT NULL,
        timezone text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await db.query(`
      CREATE TABLE members (
        id uuid PRIMARY KEY,
        business_id uuid NOT NULL REFERENCES businesses(id),
        name text NOT NULL,
        email text NOT NULL,
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('OWNER','ADMIN','MANAGER','AGENT','VIEWER')),
        created_at timestamptz NOT NULL
      )`);
    // Log-in is by email alone, so an email belongs to one member across all businesses.
    await db.query(`CREATE UNIQUE INDEX members_email_key ON members (lower(email))`);
    await db.query(`CREATE INDEX members_business_idx ON members (business_id)`);
    await db.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY,
        member_id uuid NOT NULL REFERENCES members(id),
        business_id uuid NOT NULL REFERENCES businesses(id),
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await db.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        business_id uuid NOT NULL REFERENCES businesses(id),
        name text NOT NULL,
        scopes text[] NOT NULL,
        secret_hash text NOT NULL UNIQUE,
        created_by uuid NOT NULL REFERENCES members(id),
        created_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await db.query(`
      CREATE TABLE customers (
        id uuid PRIMARY KEY,
        business_id uuid NOT NULL REFERENCES businesses(id),
        name text NOT NULL,
        email text,
        portal_token text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL
      )`);
    // Keyset pagination in name order, and the A-Z bar's initial-letter filter.
    await db.query(
      `CREATE INDEX customers_business_name_idx ON customers (business_id, lower(name), id)`,
    );
    await db.query(`
      CREATE TABLE idempotency_keys (
        business_id uuid NOT NULL REFERENCES businesses(id),
        key text NOT NULL,
        operation text NOT NULL,
        request_hash text NOT NULL,
        response jsonb,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (business_id, key)
      )`);
    await db.query(`
      CREATE TABLE business_counters (
        business_id uuid NOT NULL REFERENCES businesses(id),
        name text NOT NULL,
        value bigint NOT NULL,
        PRIMARY KEY (business_id, name)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'business_counters',
      'idempotency_keys',
      'customers',
      'api_keys',
      'sessions',
      'members',
      'businesses',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}

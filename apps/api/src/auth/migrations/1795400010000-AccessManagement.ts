import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cutting access: members can be removed (kept as rows, because sessions, keys, ledger entries and
 * the audit log name them), API keys expire and show when they were last used, and the log-in and
 * sign-up throttle keeps its counters here so every API process shares them.
 */
export class AccessManagement1795400010000 implements MigrationInterface {
  name = 'AccessManagement1795400010000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE members ADD COLUMN removed_at timestamptz`);
    // A removed member's email may join again (another business, or the same one later).
    await db.query(`DROP INDEX members_email_key`);
    await db.query(
      `CREATE UNIQUE INDEX members_email_key ON members (lower(email)) WHERE removed_at IS NULL`,
    );
    await db.query(`ALTER TABLE api_keys ADD COLUMN expires_at timestamptz`);
    await db.query(`ALTER TABLE api_keys ADD COLUMN last_used_at timestamptz`);
    await db.query(`CREATE INDEX api_keys_business_idx ON api_keys (business_id, created_at)`);
    // Removing or demoting a member revokes their open sessions in one indexed update.
    await db.query(
      `CREATE INDEX sessions_member_open_idx ON sessions (member_id) WHERE revoked_at IS NULL`,
    );
    // rate-limiter-flexible's PostgreSQL layout (key, points, expire in epoch ms), created here
    // rather than by the library at start-up so that migrations stay the only schema changes. The
    // key is text, not the library's varchar(255): it holds an email (up to 254) and an address.
    await db.query(`
      CREATE TABLE rate_limits (
        key text PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);
    await db.query(`CREATE INDEX rate_limits_expire_idx ON rate_limits (expire)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE rate_limits`);
    await db.query(`DROP INDEX sessions_member_open_idx`);
    await db.query(`DROP INDEX api_keys_business_idx`);
    await db.query(`ALTER TABLE api_keys DROP COLUMN last_used_at`);
    await db.query(`ALTER TABLE api_keys DROP COLUMN expires_at`);
    await db.query(`DROP INDEX members_email_key`);
    await db.query(`CREATE UNIQUE INDEX members_email_key ON members (lower(email))`);
    await db.query(`ALTER TABLE members DROP COLUMN removed_at`);
  }
}

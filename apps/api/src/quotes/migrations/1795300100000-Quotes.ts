import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The invoice-refunds flow: cases, quotes with their line items, refunds, the activity feed, the
 * follow-up jobs and their outbox.
 *
 * Other flows read these columns (accounts: quotes.status, total_minor, currency, accepted_at,
 * paid_at; quote_refunds.amount_minor, recorded_at): they are stable names.
 */
export class Quotes1795300100000 implements MigrationInterface {
  name = 'Quotes1795300100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE cases (
        id uuid PRIMARY KEY,
        business_id uuid NOT NULL REFERENCES businesses(id),
        customer_id uuid NOT NULL REFERENCES customers(id),
        number text NOT NULL,
        status text NOT NULL CHECK (status IN
          ('NEEDS_REPLY','AWAITING_CUSTOMER','FOLLOW_UP_DUE','ON_HOLD','WON','LOST','ARCHIVED')),
        deal_value_minor bigint CHECK (deal_value_minor >= 0),
        currency char(3) NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        UNIQUE (business_id, number)
      )`);
    await db.query(`CREATE INDEX cases_customer_idx ON cases (business_id, customer_id)`);
    await db.query(`
      CREATE TABLE quotes (
        id uuid PRIMARY KEY,
        business_id uuid NOT NULL REFERENCES businesses(id),
        customer_id uuid NOT NULL REFERENCES customers(id),
        case_id uuid REFERENCES cases(id),
        number text NOT NULL,
        title text,
        status text NOT NULL CHECK (status IN ('DRAFT','SENT','ACCEPTED','PAID','REFUNDED','VOID')),
        total_minor bigint NOT NULL CHECK (total_minor > 0),
        currency char(3) NOT NULL,
        created_at timestamptz NOT NULL,
        created_by uuid REFERENCES members(id),
        sent_at timestamptz,
        accepted_at timestamptz,
        paid_at timestamptz,
        voided_at timestamptz,
        refunded_at timestamptz,
        follow_ups_active boolean NOT NULL DEFAULT false,
        UNIQUE (business_id, number),
        CHECK (status NOT IN ('PAID','REFUNDED') OR paid_at IS NOT NULL),
        CHECK (status <> 'REFUNDED' OR refunded_at IS NOT NULL)
      )`);
    // The list: newest first, all tabs or one status; keyset on (created_at, id).
    await db.query(
      `CREATE INDEX quotes_list_idx ON quotes (business_id, created_at DESC, id DESC)`,
    );
    await db.query(
      `CREATE INDEX quotes_tab_idx ON quotes (business_id, status, created_at DESC, id DESC)`,
    );
    await db.query(`CREATE INDEX quotes_customer_idx ON quotes (business_id, customer_id)`);
    await db.query(`CREATE INDEX quotes_paid_idx ON quotes (business_id, paid_at)`);
    await db.query(`
      CREATE TABLE quote_line_items (
        id uuid PRIMARY KEY,
        quote_id uuid NOT NULL REFERENCES quotes(id),
        position integer NOT NULL,
        description text NOT NULL,
        quantity_unscaled bigint NOT NULL CHECK (quantity_unscaled > 0),
        quantity_scale smallint NOT NULL CHECK (quantity_scale BETWEEN 0 AND 3),
        unit_price_minor bigint NOT NULL CHECK (unit_price_minor >= 0),
        total_minor bigint NOT NULL CHECK (total_minor >= 0),
        UNIQUE (quote_id, position)
      )`);
    // One refund per quote, enforced by the database too: full refunds only, never twice.
    await db.query(`
      CREATE TABLE quote_refunds (
        id uuid PRIMARY KEY,
        business_id uuid NOT NULL REFERENCES businesses(id),
        quote_id uuid NOT NULL UNIQUE REFERENCES quotes(id),
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency char(3) NOT NULL,
        reason text,
        recorded_at timestamptz NOT NULL,
        recorded_by uuid REFERENCES members(id)
      )`);
    await db.query(
      `CREATE INDEX quote_refunds_recorded_idx ON quote_refunds (business_id, recorded_at)`,
    );
    await db.query(`
      CREATE TABLE quote_activity (
        id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        business_id uuid NOT NULL REFERENCES businesses(id),
        quote_id uuid NOT NULL REFERENCES quotes(id),
        kind text NOT NULL,
        at timestamptz NOT NULL,
        actor_member_id uuid REFERENCES members(id),
        actor_name text,
        message text NOT NULL,
        reason text
      )`);
    await db.query(`CREATE INDEX quote_activity_quote_idx ON quote_activity (quote_id, at, seq)`);
    await db.query(`
      CREATE TABLE quote_follow_ups (
        id uuid PRIMARY KEY,
        business_id uuid NOT NULL REFERENCES businesses(id),
        quote_id uuid NOT NULL REFERENCES quotes(id),
        stage text NOT NULL CHECK (stage IN ('SENT','ACCEPTED')),
        sequence smallint NOT NULL,
        due_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING','SENT','CANCELLED')),
        sent_at timestamptz,
        cancelled_at timestamptz
      )`);
    await db.query(
      `CREATE INDEX quote_follow_ups_due_idx ON quote_follow_ups (due_at) WHERE status = 'PENDING'`,
    );
    await db.query(
      `CREATE INDEX quote_follow_ups_quote_idx ON quote_follow_ups (quote_id, status)`,
    );
    // Nudges waiting for a mail transport (a later concern): the worker only writes here.
    await db.query(`
      CREATE TABLE follow_up_outbox (
        id uuid PRIMARY KEY,
        business_id uuid NOT NULL REFERENCES businesses(id),
        follow_up_id uuid NOT NULL UNIQUE REFERENCES quote_follow_ups(id),
        quote_id uuid NOT NULL REFERENCES quotes(id),
        customer_id uuid NOT NULL REFERENCES customers(id),
        to_email text,
        subject text NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL,
        delivered_at timestamptz
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'follow_up_outbox',
      'quote_follow_ups',
      'quote_activity',
      'quote_refunds',
      'quote_line_items',
      'quotes',
      'cases',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}

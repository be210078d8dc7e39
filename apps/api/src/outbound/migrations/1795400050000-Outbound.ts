import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbound side: the event feed, webhook endpoints, e-mail, and the one durable job table
 * that delivers webhooks and e-mail from whichever API process is free.
 */
export class Outbound1795400050000 implements MigrationInterface {
  name = 'Outbound1795400050000';

  async up(db: QueryRunner): Promise<void> {
    // Append-only. `sequence` comes from the business's 'event' counter row, locked until the
    // writing transaction commits, so it has no gaps and grows in commit order.
    await db.query(`
      CREATE TABLE events (
        id uuid PRIMARY KEY,
        business_id uuid NOT NULL REFERENCES businesses(id),
        sequence bigint NOT NULL CHECK (sequence > 0),
        type text NOT NULL,
        occurred_at timestamptz NOT NULL,
        actor_kind text NOT NULL CHECK (actor_kind IN ('MEMBER','API_KEY','SYSTEM')),
        actor_id uuid,
        subject_ids uuid[] NOT NULL,
        payload text NOT NULL,
        UNIQUE (business_id, sequence)
      )`);
    // events(types: [...]) reads in sequence order within the types.
    await db.query(`CREATE INDEX events_type_idx ON events (business_id, type, sequence)`);

    // The signing secret is kept as it is (not hashed): it is the key of every signature the API
    // computes, as with Stripe's endpoint secrets.
    await db.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY,
        business_id uuid NOT NULL REFERENCES businesses(id),
        url text NOT NULL,
        event_types text[] NOT NULL,
        enabled boolean NOT NULL,
        disabled_reason text,
        signing_secret text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(
      `CREATE INDEX webhook_endpoints_business_idx ON webhook_endpoints (business_id, created_at, id)`,
    );

    // Every e-mail the business sends. KEPT: no SMTP server is configured, so it is shown on the
    // "Sent mail" screen and goes nowhere; QUEUED/SENT/FAILED: through SMTP; CANCELLED: a nudge
    // whose reason went away before it could be sent (the invoice was paid or refunded).
    await db.query(`
      CREATE TABLE outbound_mail (
        id uuid PRIMARY KEY,
        business_id uuid NOT NULL REFERENCES businesses(id),
        kind text NOT NULL CHECK (kind IN ('FOLLOW_UP','REFUND_NOTICE','ENDPOINT_DISABLED')),
        to_address text NOT NULL,
        from_name text NOT NULL,
        subject text NOT NULL,
        text_body text NOT NULL,
        html_body text NOT NULL,
        status text NOT NULL CHECK (status IN ('KEPT','QUEUED','SENT','FAILED','CANCELLED')),
        quote_id uuid,
        follow_up_stage text,
        created_at timestamptz NOT NULL,
        sent_at timestamptz,
        last_error text
      )`);
    await db.query(
      `CREATE INDEX outbound_mail_business_idx ON outbound_mail (business_id, created_at DESC, id DESC)`,
    );

    // The durable queue. A job is claimed with FOR UPDATE SKIP LOCKED and leased (lease_token,
    // lease_expires_at) while it runs outside any transaction; a process that dies loses its
    // lease and another takes the job again. Jobs with the same ordering_key (a webhook endpoint)
    // run one at a time in `position` order.
    await db.query(`
      CREATE TABLE outbound_jobs (
        id uuid PRIMARY KEY,
        position bigserial NOT NULL UNIQUE,
        business_id uuid NOT NULL REFERENCES businesses(id),
        kind text NOT NULL CHECK (kind IN ('WEBHOOK','MAIL')),
        ordering_key uuid NOT NULL,
        endpoint_id uuid REFERENCES webhook_endpoints(id),
        event_id uuid REFERENCES events(id),
        mail_id uuid REFERENCES outbound_mail(id),
        status text NOT NULL CHECK (status IN ('PENDING','DELIVERED','FAILED','CANCELLED')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        lease_token uuid,
        lease_expires_at timestamptz,
        last_attempt_at timestamptz,
        last_response_status integer,
        last_duration_ms integer,
        last_error text,
        created_at timestamptz NOT NULL,
        finished_at timestamptz,
        CHECK ((kind = 'WEBHOOK') = (endpoint_id IS NOT NULL AND event_id IS NOT NULL)),
        CHECK ((kind = 'MAIL') = (mail_id IS NOT NULL))
      )`);
    await db.query(
      `CREATE INDEX outbound_jobs_due_idx ON outbound_jobs (next_attempt_at, position) WHERE status = 'PENDING'`,
    );
    await db.query(
      `CREATE INDEX outbound_jobs_ordering_idx ON outbound_jobs (ordering_key, position) WHERE status = 'PENDING'`,
    );
    // The delivery log of an endpoint, newest first.
    await db.query(
      `CREATE INDEX outbound_jobs_endpoint_idx ON outbound_jobs (endpoint_id, position DESC) WHERE endpoint_id IS NOT NULL`,
    );

    // One row per attempt: what the receiver answered and how long it took.
    await db.query(`
      CREATE TABLE outbound_attempts (
        id uuid PRIMARY KEY,
        job_id uuid NOT NULL REFERENCES outbound_jobs(id),
        attempt integer NOT NULL,
        at timestamptz NOT NULL,
        succeeded boolean NOT NULL,
        response_status integer,
        duration_ms integer NOT NULL,
        error text
      )`);
    await db.query(`CREATE INDEX outbound_attempts_job_idx ON outbound_attempts (job_id, attempt)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE outbound_attempts`);
    await db.query(`DROP TABLE outbound_jobs`);
    await db.query(`DROP TABLE outbound_mail`);
    await db.query(`DROP TABLE webhook_endpoints`);
    await db.query(`DROP TABLE events`);
  }
}

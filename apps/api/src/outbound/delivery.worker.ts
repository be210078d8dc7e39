import { randomUUID } from 'node:crypto';
import {
  type FollowUpStage,
  followUpStageOf,
  type QuoteStatus,
  retryDelayMs,
} from '@refunds/domain';
import type { ServiceDeps } from '../services';
import type { Transaction } from '../platform/db/database';
import { newId } from '../platform/ids';
import type { QueueState } from '../platform/observability/metrics';
import type { OutboundSettings } from './outbound.settings';
import type { MailTransport } from './mail-transport';
import { type AttemptResult, postWebhook } from './webhook-sender';
import {
  DELIVERY_ID_HEADER,
  EVENT_TYPE_HEADER,
  SIGNATURE_HEADER,
  signatureHeader,
} from './webhook-signature';
import { queueEndpointDisabledMail } from './mail.queue';
import { returningRows } from './returning';

/**
 * How long a claimed job is this process's alone. Longer than any attempt can take (the webhook
 * timeout is seconds, SMTP's at most half a minute); a process that dies mid-attempt gives the
 * job back when its lease runs out, and another process tries again — so a delivery is made at
 * least once, and receivers drop repeats by the delivery id.
 */
const LEASE_MS = 2 * 60_000;

interface ClaimedJob {
  readonly id: string;
  readonly businessId: string;
  readonly kind: 'WEBHOOK' | 'MAIL';
  readonly endpointId: string | null;
  readonly eventId: string | null;
  readonly mailId: string | null;
  /** This attempt's number: 1 for the first. */
  readonly attempt: number;
  readonly leaseToken: string;
}

/** What came of one attempt, and what the job becomes. */
type Outcome =
  | { readonly kind: 'attempted'; readonly result: AttemptResult }
  /** Nothing to send any more (mail kept without SMTP, a nudge whose reason went away). */
  | { readonly kind: 'settled'; readonly note: string };

export interface DeliveryRun {
  readonly delivered: number;
  readonly retrying: number;
  readonly failed: number;
  readonly settled: number;
}

/**
 * The one delivery mechanism for webhooks and e-mail: a durable job table (outbound_jobs) that
 * every API process polls. Written here rather than taken from a job library because the
 * well-kept PostgreSQL queues (pg-boss, graphile-worker) need LISTEN/NOTIFY, their own schema
 * management or several connections, and none of them runs on the embedded PGlite database,
 * which has a single session; this needs two SQL statements that run on both.
 *
 * A job is claimed in a short transaction with FOR UPDATE SKIP LOCKED (two processes never claim
 * the same job, and neither waits for the other) and leased; the attempt runs outside any
 * transaction (a slow receiver never holds a database session — on PGlite that would stall the
 * whole API); the result is written in a second transaction, only if the lease is still ours.
 * Jobs of one webhook endpoint run strictly one after another, in the order their events were
 * committed: a job is claimable only when no earlier job of its endpoint is still pending.
 */
export class DeliveryWorker {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly settings: OutboundSettings,
    private readonly mail: MailTransport | null,
  ) {}

  /** Runs due jobs one after another until none is left (or `limit` were run). */
  async runDue(options: { limit?: number } = {}): Promise<DeliveryRun> {
    const limit = options.limit ?? 100;
    const run = { delivered: 0, retrying: 0, failed: 0, settled: 0 };
    for (let done = 0; done < limit; done++) {
      const job = await this.claim();
      if (!job) break;
      let outcome: Outcome;
      try {
        outcome = await this.attempt(job);
      } catch (error) {
        outcome = {
          kind: 'attempted',
          result: {
            succeeded: false,
            responseStatus: null,
            durationMs: 0,
            error: error instanceof Error ? error.message : String(error),
          },
        };
      }
      const status = await this.complete(job, outcome);
      if (status === 'DELIVERED') run.delivered++;
      else if (status === 'PENDING') run.retrying++;
      else if (status === 'FAILED') run.failed++;
      else if (status === 'CANCELLED') run.settled++;
    }
    return run;
  }

  private async claim(): Promise<ClaimedJob | null> {
    const now = this.deps.clock.now();
    const token = randomUUID();
    const rows = returningRows<{
      id: string;
      business_id: string;
      kind: 'WEBHOOK' | 'MAIL';
      endpoint_id: string | null;
      event_id: string | null;
      mail_id: string | null;
      attempts: number;
    }>(
      await this.deps.db.transaction((tx) =>
        tx.query(
          `WITH next AS (
           SELECT j.id FROM outbound_jobs j
            WHERE j.status = 'PENDING' AND j.next_attempt_at <= $1
              AND (j.lease_expires_at IS NULL OR j.lease_expires_at <= $1)
              AND (j.endpoint_id IS NULL OR EXISTS (SELECT 1 FROM webhook_endpoints e
                                                     WHERE e.id = j.endpoint_id AND e.enabled))
              AND NOT EXISTS (SELECT 1 FROM outbound_jobs earlier
                               WHERE earlier.ordering_key = j.ordering_key
                                 AND earlier.status = 'PENDING'
                                 AND earlier.position < j.position)
            ORDER BY j.next_attempt_at, j.position
            LIMIT 1
            FOR UPDATE SKIP LOCKED
         )
         UPDATE outbound_jobs j
            SET attempts = j.attempts + 1, lease_token = $2, lease_expires_at = $3,
                last_attempt_at = $1
           FROM next WHERE j.id = next.id
         RETURNING j.id, j.business_id, j.kind, j.endpoint_id, j.event_id, j.mail_id, j.attempts`,
          [now, token, new Date(now.getTime() + LEASE_MS)],
        ),
      ),
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      businessId: row.business_id,
      kind: row.kind,
      endpointId: row.endpoint_id,
      eventId: row.event_id,
      mailId: row.mail_id,
      attempt: Number(row.attempts),
      leaseToken: token,
    };
  }

  private attempt(job: ClaimedJob): Promise<Outcome> {
    return job.kind === 'WEBHOOK' ? this.attemptWebhook(job) : this.attemptMail(job);
  }

  private async attemptWebhook(job: ClaimedJob): Promise<Outcome> {
    const [target]: Array<{ url: string; secret: string; payload: string; type: string }> =
      await this.deps.db.manager.query(
        `SELECT e.url, e.signing_secret AS secret, ev.payload, ev.type
           FROM webhook_endpoints e, events ev
          WHERE e.id = $1 AND ev.id = $2`,
        [job.endpointId, job.eventId],
      );
    if (!target) return { kind: 'settled', note: 'The endpoint or event is gone.' };
    const timestamp = Math.floor(this.deps.clock.now().getTime() / 1000);
    const result = await postWebhook(
      {
        url: target.url,
        body: target.payload,
        headers: {
          [SIGNATURE_HEADER]: signatureHeader(target.secret, timestamp, target.payload),
          [DELIVERY_ID_HEADER]: job.id,
          [EVENT_TYPE_HEADER]: target.type,
        },
        timeoutMs: this.settings.webhookTimeoutMs,
      },
      this.settings,
    );
    return { kind: 'attempted', result };
  }

  private async attemptMail(job: ClaimedJob): Promise<Outcome> {
    const [mail]: Array<{
      to_address: string;
      from_name: string;
      subject: string;
      text_body: string;
      html_body: string;
      quote_id: string | null;
      follow_up_stage: FollowUpStage | null;
    }> = await this.deps.db.manager.query(`SELECT * FROM outbound_mail WHERE id = $1`, [
      job.mailId,
    ]);
    if (!mail) return { kind: 'settled', note: 'The mail is gone.' };
    if (mail.quote_id && mail.follow_up_stage) {
      // A nudge queued while the invoice was unpaid must not reach a customer who has since paid
      // or been refunded: the quote's status is asked again right before the send.
      const [quote]: Array<{ status: QuoteStatus }> = await this.deps.db.manager.query(
        `SELECT status FROM quotes WHERE id = $1`,
        [mail.quote_id],
      );
      if (!quote || followUpStageOf(quote.status) !== mail.follow_up_stage) {
        return { kind: 'settled', note: `Not sent: the quote is ${quote?.status ?? 'gone'} now.` };
      }
    }
    if (!this.mail) {
      return { kind: 'settled', note: 'Kept: no SMTP server is configured (SMTP_URL).' };
    }
    const started = performance.now();
    try {
      await this.mail.send({
        messageId: job.mailId!,
        fromName: mail.from_name,
        fromAddress: this.settings.mailFrom,
        to: mail.to_address,
        subject: mail.subject,
        text: mail.text_body,
        html: mail.html_body,
      });
      return {
        kind: 'attempted',
        result: {
          succeeded: true,
          responseStatus: null,
          durationMs: Math.round(performance.now() - started),
          error: null,
        },
      };
    } catch (error) {
      return {
        kind: 'attempted',
        result: {
          succeeded: false,
          responseStatus: null,
          durationMs: Math.round(performance.now() - started),
          error: error instanceof Error ? error.message : String(error),
        },
      };
    }
  }

  /** Writes the attempt and the job's next state, if the lease is still ours. */
  private async complete(job: ClaimedJob, outcome: Outcome): Promise<string | null> {
    const now = this.deps.clock.now();
    return this.deps.db.transaction(async (tx) => {
      const [owned]: Array<{ id: string }> = await tx.query(
        `SELECT id FROM outbound_jobs WHERE id = $1 AND lease_token = $2 FOR UPDATE`,
        [job.id, job.leaseToken],
      );
      const result = outcome.kind === 'attempted' ? outcome.result : null;
      await tx.query(
        `INSERT INTO outbound_attempts (id, job_id, attempt, at, succeeded, response_status,
                                        duration_ms, error)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          newId(),
          job.id,
          job.attempt,
          now,
          result?.succeeded ?? true,
          result?.responseStatus ?? null,
          result?.durationMs ?? 0,
          result ? result.error : outcome.kind === 'settled' ? outcome.note : null,
        ],
      );
      // The lease ran out and another process has the job: its result is the one that counts.
      if (!owned) return null;
      let status: 'DELIVERED' | 'PENDING' | 'FAILED' | 'CANCELLED';
      let nextAttemptAt: Date | null = null;
      if (!result) status = 'CANCELLED';
      else if (result.succeeded) status = 'DELIVERED';
      else {
        const delay = retryDelayMs(job.attempt);
        status = delay === null ? 'FAILED' : 'PENDING';
        if (delay !== null) nextAttemptAt = new Date(now.getTime() + delay);
      }
      await tx.query(
        `UPDATE outbound_jobs
            SET status = $2, next_attempt_at = COALESCE($3, next_attempt_at),
                lease_token = NULL, lease_expires_at = NULL,
                last_response_status = $4, last_duration_ms = $5, last_error = $6,
                finished_at = CASE WHEN $2 = 'PENDING' THEN NULL ELSE $7::timestamptz END
          WHERE id = $1`,
        [
          job.id,
          status,
          nextAttemptAt,
          result?.responseStatus ?? null,
          result?.durationMs ?? null,
          result ? result.error : outcome.kind === 'settled' ? outcome.note : null,
          now,
        ],
      );
      if (job.kind === 'MAIL') await this.settleMail(tx, job, status, outcome, now);
      if (job.kind === 'WEBHOOK' && status === 'FAILED') await this.disableEndpoint(tx, job, now);
      return status;
    });
  }

  private async settleMail(
    tx: Transaction,
    job: ClaimedJob,
    status: string,
    outcome: Outcome,
    now: Date,
  ): Promise<void> {
    const mailStatus =
      status === 'DELIVERED'
        ? 'SENT'
        : status === 'FAILED'
          ? 'FAILED'
          : status === 'CANCELLED'
            ? this.mail
              ? 'CANCELLED'
              : 'KEPT'
            : 'QUEUED';
    // A follow-up dropped because the quote moved on is CANCELLED even without SMTP.
    const finalStatus =
      outcome.kind === 'settled' && outcome.note.startsWith('Not sent') ? 'CANCELLED' : mailStatus;
    await tx.query(
      `UPDATE outbound_mail SET status = $2, sent_at = $3, last_error = $4 WHERE id = $1`,
      [
        job.mailId,
        finalStatus,
        finalStatus === 'SENT' ? now : null,
        outcome.kind === 'settled' ? outcome.note : outcome.result.error,
      ],
    );
  }

  /**
   * A delivery that failed for a day means the receiver is gone: the endpoint is switched off and
   * its owners are told by e-mail. Its other deliveries wait (a disabled endpoint's jobs are not
   * claimed) and go out in order once someone fixes the receiver and enables it again, rather
   * than each failing for another day.
   */
  private async disableEndpoint(tx: Transaction, job: ClaimedJob, now: Date): Promise<void> {
    const reason = `Disabled on ${now.toISOString()}: a delivery kept failing for about a day.`;
    const [endpoint] = returningRows<{ url: string }>(
      await tx.query(
        `UPDATE webhook_endpoints SET enabled = false, disabled_reason = $2, updated_at = $3
          WHERE id = $1 AND enabled RETURNING url`,
        [job.endpointId, reason, now],
      ),
    );
    if (endpoint) {
      await queueEndpointDisabledMail(tx, {
        businessId: job.businessId,
        url: endpoint.url,
        reason,
        at: now,
      });
    }
  }

  /** Jobs due and not done, and how long the oldest has waited: for the queue metrics. */
  async queueState(): Promise<QueueState> {
    const now = this.deps.clock.now();
    const [row]: Array<{ depth: string; oldest: Date | null }> = await this.deps.db.manager.query(
      `SELECT count(*) AS depth, min(j.next_attempt_at) AS oldest
         FROM outbound_jobs j LEFT JOIN webhook_endpoints e ON e.id = j.endpoint_id
        WHERE j.status = 'PENDING' AND j.next_attempt_at <= $1 AND (e.id IS NULL OR e.enabled)`,
      [now],
    );
    const oldest = row?.oldest ? new Date(row.oldest).getTime() : null;
    return {
      depth: Number(row?.depth ?? 0),
      oldestAgeSeconds: oldest === null ? 0 : Math.max(0, (now.getTime() - oldest) / 1000),
    };
  }

  /** Polls for due jobs in this process until stopped; returns how to stop it. */
  start(): () => Promise<void> {
    let stopped = false;
    let running: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      running = running
        .then(() => (stopped ? undefined : this.runDue()))
        .catch((error: unknown) => console.error('outbound delivery worker:', error));
    }, this.settings.pollIntervalMs);
    timer.unref();
    return async () => {
      stopped = true;
      clearInterval(timer);
      await running;
      this.mail?.close();
    };
  }
}

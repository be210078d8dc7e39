import {
  ActivityKind,
  EventType,
  type FollowUpStage,
  followUpMessage,
  mayFollowUpSend,
  type QuoteStatus,
} from '@refunds/domain';
import type { ServiceDeps } from '../services';
import type { Transaction } from '../platform/db/database';
import { newId } from '../platform/ids';
import { recordEvent } from '../outbound/event.recorder';
import { queueFollowUpMail } from '../outbound/mail.queue';
import { FollowUpOutboxRecord, QuoteActivityRecord, QuoteRecord } from './quote.entities';

export interface FollowUpRun {
  /** Nudges written to the outbox. */
  readonly sent: number;
  /** Due nudges dropped because the quote had moved on (paid, voided ...). */
  readonly dropped: number;
}

/**
 * The follow-up engine's worker: sends the nudges that are due. Each job is claimed in its own
 * transaction, quote first (the lock order of every quote mutation, taken with SKIP LOCKED so
 * several processes drain different quotes side by side), then the job row with
 * `FOR UPDATE SKIP LOCKED`, so two workers never send the same nudge and a payment that races the
 * worker either cancels the nudge first or sees it already sent — never a nudge after payment.
 */
export class FollowUpService {
  constructor(private readonly deps: ServiceDeps) {}

  async runDue(options: { now?: Date; limit?: number } = {}): Promise<FollowUpRun> {
    const now = options.now ?? this.deps.clock.now();
    let sent = 0;
    let dropped = 0;
    for (let claims = 0; claims < (options.limit ?? 100); claims++) {
      const outcome = await this.deps.db.transaction(async (tx) => {
        // Claim the next due nudge whose quote no one holds: the quote row is locked with SKIP
        // LOCKED (still quote first, the lock order of every quote mutation), so processes that
        // run this worker at once each take a different quote instead of queueing on the same
        // first rows, and a quote being paid right now is simply taken on a later tick.
        const [job]: Array<{ id: string; quote_id: string }> = await tx.query(
          `SELECT f.id, f.quote_id FROM quote_follow_ups f JOIN quotes q ON q.id = f.quote_id
            WHERE f.status = 'PENDING' AND f.due_at <= $1
            ORDER BY f.due_at, f.id
            LIMIT 1
            FOR UPDATE OF q SKIP LOCKED`,
          [now],
        );
        if (!job) return 'none' as const;
        const quote = await tx.findOne(QuoteRecord, { where: { id: job.quote_id } });
        const [claimed]: Array<{ stage: FollowUpStage; sequence: number; due_at: Date }> =
          await tx.query(
            `SELECT stage, sequence, due_at FROM quote_follow_ups
              WHERE id = $1 AND status = 'PENDING'
              FOR UPDATE SKIP LOCKED`,
            [job.id],
          );
        if (!quote || !claimed) return 'skipped' as const;
        const followUp = { stage: claimed.stage, dueAt: new Date(claimed.due_at) };
        if (!mayFollowUpSend(followUp, quote.status as QuoteStatus, now)) {
          await tx.query(
            `UPDATE quote_follow_ups SET status = 'CANCELLED', cancelled_at = $2 WHERE id = $1`,
            [job.id, now],
          );
          await this.refreshActive(tx, quote.id);
          return 'dropped' as const;
        }
        const customer: Array<{ email: string | null }> = await tx.query(
          `SELECT email FROM customers WHERE id = $1`,
          [quote.customerId],
        );
        const body = followUpMessage(claimed.stage, Number(claimed.sequence), quote.number);
        await tx.insert(FollowUpOutboxRecord, {
          id: newId(),
          businessId: quote.businessId,
          followUpId: job.id,
          quoteId: quote.id,
          customerId: quote.customerId,
          toEmail: customer[0]?.email ?? null,
          subject: `${claimed.stage === 'SENT' ? 'Quote' : 'Invoice'} ${quote.number}`,
          body,
          createdAt: now,
          deliveredAt: null,
        });
        // The outbox row above is the quote's own record of the nudge; the e-mail itself goes
        // out through the outbound delivery queue (or is kept, without SMTP), in this transaction.
        await queueFollowUpMail(tx, {
          businessId: quote.businessId,
          customerId: quote.customerId,
          quoteId: quote.id,
          stage: claimed.stage,
          subject: `${claimed.stage === 'SENT' ? 'Quote' : 'Invoice'} ${quote.number}`,
          message: body,
          at: now,
        });
        await tx.query(`UPDATE quote_follow_ups SET status = 'SENT', sent_at = $2 WHERE id = $1`, [
          job.id,
          now,
        ]);
        const [last]: Array<{ at: Date | null }> = await tx.query(
          `SELECT max(at) AS at FROM quote_activity WHERE quote_id = $1`,
          [quote.id],
        );
        const lastAt = last?.at ? new Date(last.at) : null;
        await tx.insert(QuoteActivityRecord, {
          id: newId(),
          businessId: quote.businessId,
          quoteId: quote.id,
          kind: ActivityKind.FOLLOW_UP_SENT,
          at: lastAt && lastAt > now ? lastAt : now,
          actorMemberId: null,
          actorName: null,
          message: `Automatic follow-up ${claimed.sequence} sent: ${body}`,
          reason: null,
        });
        await this.refreshActive(tx, quote.id);
        await recordEvent(tx, {
          businessId: quote.businessId,
          type: EventType.FOLLOW_UP_SENT,
          actor: null,
          at: now,
          subjects: { quoteId: quote.id, customerId: quote.customerId, followUpId: job.id },
          data: { stage: claimed.stage, sequence: Number(claimed.sequence) },
        });
        return 'sent' as const;
      });
      if (outcome === 'none') break;
      if (outcome === 'sent') sent++;
      if (outcome === 'dropped') dropped++;
    }
    return { sent, dropped };
  }

  private async refreshActive(tx: Transaction, quoteId: string): Promise<void> {
    await tx.query(
      `UPDATE quotes SET follow_ups_active =
         EXISTS (SELECT 1 FROM quote_follow_ups WHERE quote_id = $1 AND status = 'PENDING')
        WHERE id = $1`,
      [quoteId],
    );
  }

  /** Runs the worker every `intervalMs` in the API process; returns how to stop it. */
  start(intervalMs = 60_000): () => Promise<void> {
    let running: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      running = running
        .then(() => this.runDue())
        .catch((error: unknown) => console.error('follow-up worker:', error));
    }, intervalMs);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await running;
    };
  }
}

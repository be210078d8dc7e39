import {
  activityMessageForPeople,
  add,
  BadInputError,
  type CurrencyCode,
  localMonth,
  quoteStatsFromTotals,
  DomainError,
  formatCaseNumber,
  formatQuoteNumber,
  invoiceBalances,
  type LineItemDraft,
  money,
  type Money,
  NEW_CASE_STATUS,
  normalizeTitle,
  parseOptionalAccountAmount,
  parseRevenueDays,
  portalRefundBanner,
  priceLineItems,
  type QuoteDecision,
  quoteOutstanding,
  type QuoteState,
  QuoteStatus,
  type QuoteStats,
  QuoteTab,
  quoteCreatedActivity,
  type RefundReason,
  type RefundReasonTotal,
  refundsByReason,
  type Result,
  revenueSeriesFromDays,
  revenueWindowDates,
  type RevenueSeries,
  revenueWindowStart,
  statusesOfTab,
  subtract,
  toDecimalString,
  unwrap,
  UserErrorCode,
  acceptQuote,
  addQuoteNote,
  markQuotePaid,
  markQuoteUnpaid,
  recordRefund,
  sendQuote,
  voidQuote,
  decimalToString,
  quoteEventType,
} from '@refunds/domain';
import { invoiceRefundBatchAlone, refundsRecorded } from '../platform/observability/metrics';
import type { ServiceDeps } from '../services';
import type { Transaction } from '../platform/db/database';
import { sqlAll, type Statement } from '../platform/db/statements';
import { nextNumber } from '../platform/db/counters';
import { isUuid, newId } from '../platform/ids';
import { BatchLoader } from '../platform/batch-loader';
import { In } from 'typeorm';
import { decodeCursor, type Page, pageSize, toPage } from '../platform/pagination';
import { toMoneyType } from '../platform/graphql/common-types';
import type { Caller } from '../platform/graphql/context';
import type { IdempotencyClaim } from '../platform/idempotency';
import type { CustomerService } from '../customers/customer.service';
import { auditInsertSql, auditValues, recordAudit } from '../audit/audit.recorder';
import { type EventRecord, eventStatement } from '../outbound/event.recorder';
import { type GroupCommit, groupCommitOn, writeInBatch } from '../platform/db/group-commit';
import {
  type BatchedInvoiceRefund,
  type InvoiceRefundAnswer,
  type PreparedInvoiceRefund,
  writeInvoiceRefundBatch,
} from './invoice-refund.batch';
import { queueRefundNotice } from '../outbound/mail.queue';
import {
  CaseRecord,
  QuoteActivityRecord,
  QuoteLineItemRecord,
  QuotePaymentRecord,
  QuoteRecord,
  QuoteRefundRecord,
} from './quote.entities';
import { QuoteRollupChange, revenueDays, rollupState } from './quote-rollups';
import {
  actorNameOf,
  type AfterRefundLockRow,
  applyQuoteDecision,
  type BusinessInfo,
  businessInfo,
  type LockedInvoice,
  LOCKED_INVOICE_COLUMNS,
  lockedInvoice,
  logActivity,
  quoteState,
} from './invoice-writes';
import type {
  ActivityEventType,
  CaseType,
  LineItemType,
  PortalType,
  QuoteType,
  RefundType,
} from './quote.types';

export interface CreateQuoteRequest {
  customerId: string;
  caseId?: string | null;
  title?: string | null;
  lineItems: LineItemDraft[];
}

/**
 * recordRefund's lock: the quote row (with its kept ledger totals), the business's name, currency
 * and time zone, and the actor's name for the feed. `guard` makes it conditional (a folded claim).
 */
const LOCK_FOR_REFUND = (guard: string) => `
  SELECT ${LOCKED_INVOICE_COLUMNS}, m.name AS member_name, k.name AS api_key_name
    FROM quotes q
    JOIN businesses b ON b.id = q.business_id
    LEFT JOIN members m ON m.id = $3::uuid AND m.business_id = q.business_id
    LEFT JOIN api_keys k ON k.id = $4::uuid AND k.business_id = q.business_id
   WHERE q.id = $1::uuid AND q.business_id = $2::uuid ${guard}
     FOR UPDATE OF q`;

/**
 * What the refund rule needs that the quote's row does not hold: the linked case's status (locked:
 * quote, then case), the feed's newest date and what credits allocated to the invoice. Sent right
 * behind the quote's lock, so PostgreSQL runs it once that lock is held, with a snapshot taken
 * then: it sees every change committed while the lock waited.
 */
const AFTER_REFUND_LOCK = `
  SELECT (SELECT c.status FROM cases c JOIN quotes q ON q.case_id = c.id
           WHERE q.id = $1::uuid AND c.business_id = $2::uuid FOR UPDATE OF c) AS case_status,
         (SELECT max(at) FROM quote_activity WHERE quote_id = $1::uuid) AS last_at,
         (SELECT COALESCE(SUM(amount_minor), 0) FROM account_allocations
           WHERE quote_id = $1::uuid AND business_id = $2::uuid) AS allocated`;

/** recordRefund's input, as the resolver passes it. */
export interface RecordRefundRequest {
  quoteId: string;
  amount?: string | null;
  reason?: string | null;
  reasonCategory?: RefundReason | null;
  idempotencyKey?: string | null;
  notifyCustomer?: boolean | null;
}

/** A page of a quote's feed or refunds: `after` is the id of the last entry shown. */
export interface FeedPage {
  first?: number | null;
  after?: string | null;
}

const isPaged = (page: FeedPage): boolean =>
  (page.first !== null && page.first !== undefined) ||
  (page.after !== null && page.after !== undefined);

function feedPage(page: FeedPage): { size: number; after: string | null } {
  const after = page.after ?? null;
  if (after !== null && !isUuid(after)) {
    throw new BadInputError('That "after" is not the id of an entry this list gave out.', [
      'after',
    ]);
  }
  return { size: pageSize(page.first), after };
}

type Rule = (state: QuoteState, now: Date) => Result<QuoteDecision, Error>;

const notFound = (field: string[], what = 'quote') =>
  new DomainError(
    UserErrorCode.NOT_FOUND,
    `We could not find that ${what}. It may have been removed, or the link is wrong.`,
    field,
  );

/** The event a quote's move from `state` to `to` publishes, if that move publishes one. */
function quoteEvent(
  caller: Caller,
  quote: QuoteRecord,
  state: QuoteState,
  to: QuoteStatus,
  now: Date,
  extra: {
    refund?: boolean;
    subjects?: Record<string, string>;
    amounts?: Record<string, Money>;
    data?: Record<string, string | null>;
  },
): EventRecord | null {
  const type = quoteEventType(state.status, to, { refund: extra.refund ?? false });
  if (!type) return null;
  return {
    businessId: quote.businessId,
    type,
    actor: caller,
    at: now,
    subjects: { quoteId: quote.id, customerId: quote.customerId, ...extra.subjects },
    amounts: { total: state.total, ...extra.amounts },
    data: { number: quote.number, status: to, previousStatus: state.status, ...extra.data },
  };
}

export const toQuoteType = (q: QuoteRecord): QuoteType => ({
  id: q.id,
  number: q.number,
  title: q.title,
  status: q.status,
  createdAt: q.createdAt,
  total: toMoneyType(money(q.totalMinor, q.currency.trim() as CurrencyCode)),
  paidAt: q.paidAt,
  followUpsActive: q.followUpsActive,
  totalMinor: q.totalMinor,
  businessId: q.businessId,
  customerId: q.customerId,
  caseId: q.caseId,
  paidMinor: q.paidMinor,
  refundedMinor: q.refundedMinor,
});

function groupByQuote<T extends { quoteId: string }>(rows: T[]): Map<string, T[]> {
  const byQuote = new Map<string, T[]>();
  for (const row of rows) byQuote.set(row.quoteId, [...(byQuote.get(row.quoteId) ?? []), row]);
  return byQuote;
}

const toRefundType = (r: QuoteRefundRecord): RefundType => ({
  id: r.id,
  amount: toMoneyType(money(r.amountMinor, r.currency.trim() as CurrencyCode)),
  reason: r.reason,
  reasonCategory: r.reasonCategory,
  recordedAt: r.recordedAt,
  businessId: r.businessId,
  recordedById: r.recordedBy,
});

/**
 * The use cases of the invoice-refunds flow. Each mutation is one transaction: it locks the quote
 * (after the idempotency key, before the case), asks the rule in packages/domain, and writes all
 * of the decision — status, case, follow-ups, feed, refund — or nothing.
 */
export class QuoteService {
  /** recordRefund's group commit on PostgreSQL (see invoice-refund.batch.ts). */
  private readonly refundGroupCommit: GroupCommit<BatchedInvoiceRefund, InvoiceRefundAnswer> | null;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly customers: CustomerService,
  ) {
    this.refundGroupCommit = groupCommitOn(
      deps.db,
      deps.groupCommit,
      'invoice refund',
      writeInvoiceRefundBatch,
    );
  }

  private get db() {
    return this.deps.db;
  }

  private now(): Date {
    return this.deps.clock.now();
  }

  // ------------------------------------------------------------------ mutations

  async create(caller: Caller, input: CreateQuoteRequest): Promise<string> {
    return this.db.transaction(async (tx) => {
      const business = await this.business(tx, caller.businessId);
      const customerRows: Array<{ id: string }> = isUuid(input.customerId)
        ? await tx.query(`SELECT id FROM customers WHERE id = $1 AND business_id = $2`, [
            input.customerId,
            caller.businessId,
          ])
        : [];
      if (customerRows.length === 0) throw notFound(['input', 'customerId'], 'customer');
      const title = unwrap(normalizeTitle(input.title));
      const priced = unwrap(priceLineItems(input.lineItems, business.currency));
      const now = this.now();

      let caseId: string;
      if (input.caseId) {
        const rows: Array<{ id: string; customer_id: string }> = isUuid(input.caseId)
          ? await tx.query(
              `SELECT id, customer_id FROM cases WHERE id = $1 AND business_id = $2 FOR UPDATE`,
              [input.caseId, caller.businessId],
            )
          : [];
        const found = rows[0];
        if (!found) throw notFound(['input', 'caseId'], 'case');
        if (found.customer_id !== input.customerId) {
          throw new DomainError(
            UserErrorCode.INVALID_STATE,
            "That case belongs to another customer. Pick one of this customer's cases, or leave it empty to open a new one.",
            ['input', 'caseId'],
          );
        }
        caseId = found.id;
      } else {
        caseId = newId();
        await tx.insert(CaseRecord, {
          id: caseId,
          businessId: caller.businessId,
          customerId: input.customerId,
          number: formatCaseNumber(await nextNumber(tx, caller.businessId, 'case')),
          status: NEW_CASE_STATUS,
          dealValueMinor: null,
          currency: business.currency,
          createdAt: now,
          updatedAt: now,
        });
      }

      const id = newId();
      await tx.insert(QuoteRecord, {
        id,
        businessId: caller.businessId,
        customerId: input.customerId,
        caseId,
        number: formatQuoteNumber(await nextNumber(tx, caller.businessId, 'quote')),
        title,
        status: QuoteStatus.DRAFT,
        totalMinor: priced.total.minor,
        currency: business.currency,
        createdAt: now,
        createdBy: caller.memberId,
        sentAt: null,
        acceptedAt: null,
        paidAt: null,
        voidedAt: null,
        refundedAt: null,
        followUpsActive: false,
        paidMinor: 0n,
        refundedMinor: 0n,
        cashAllocatedMinor: 0n,
      });
      await tx.insert(
        QuoteLineItemRecord,
        priced.lineItems.map((line, position) => ({
          id: newId(),
          quoteId: id,
          position,
          description: line.description,
          quantityUnscaled: line.quantity.unscaled,
          quantityScale: line.quantity.scale,
          unitPriceMinor: line.unitPrice.minor,
          totalMinor: line.total.minor,
        })),
      );
      await logActivity(
        tx,
        caller,
        caller.businessId,
        id,
        quoteCreatedActivity(now, priced.total, business),
      );
      await new QuoteRollupChange(caller.businessId, business.timeZone, business.currency, id)
        .quote(null, { status: QuoteStatus.DRAFT, total: priced.total, acceptedAt: null })
        .write(tx);
      return id;
    });
  }

  send(caller: Caller, quoteId: string): Promise<string> {
    return this.transition(caller, quoteId, ['quoteId'], sendQuote);
  }

  accept(caller: Caller, quoteId: string): Promise<string> {
    return this.transition(caller, quoteId, ['quoteId'], acceptQuote);
  }

  /** Mark unpaid adds a reversing entry of the marked payment: the payment row stays. */
  async markUnpaid(caller: Caller, quoteId: string): Promise<string> {
    return this.db.transaction(async (tx) => {
      const quote = await this.lockQuote(tx, caller.businessId, quoteId, ['quoteId']);
      const { state, decision, now, rollups } = await this.decideAndApply(
        tx,
        caller,
        quote,
        markQuoteUnpaid,
        (d) => ({ paid: -d.reversal.amount.minor }),
      );
      // Reverse the newest payment: Mark paid records one payment per time the invoice is paid,
      // and every earlier one was reversed already (the invoice was ACCEPTED again in between).
      const [payment]: Array<{ id: string }> = await tx.query(
        `SELECT id FROM quote_payments WHERE quote_id = $1 AND business_id = $2 AND kind = 'PAYMENT'
          ORDER BY recorded_at DESC, id DESC LIMIT 1`,
        [quote.id, quote.businessId],
      );
      await tx.insert(QuotePaymentRecord, {
        id: newId(),
        businessId: quote.businessId,
        quoteId: quote.id,
        customerId: quote.customerId,
        kind: 'REVERSAL',
        amountMinor: decision.reversal.amount.minor,
        currency: decision.reversal.amount.currency,
        paidAt: now,
        recordedAt: now,
        recordedBy: caller.memberId,
        reversesId: payment?.id ?? null,
      });
      const before = invoiceBalances(state.total, state.ledger!);
      await recordAudit(tx, {
        businessId: quote.businessId,
        actor: caller,
        action: 'INVOICE_MARKED_UNPAID',
        subjectType: 'Quote',
        subjectId: quote.id,
        changes: [
          { field: 'status', before: state.status, after: decision.status },
          {
            field: 'outstanding',
            before: toDecimalString(before.outstanding),
            after: toDecimalString(add(before.outstanding, decision.reversal.amount)),
          },
        ],
        at: now,
      });
      rollups.revenue([{ kind: 'REVERSAL', amount: decision.reversal.amount, at: now }]);
      await this.recordQuoteEvent(tx, caller, quote, state, decision.status, now, rollups, {
        amounts: { amount: decision.reversal.amount },
      });
      return quote.id;
    });
  }

  void(caller: Caller, quoteId: string): Promise<string> {
    return this.transition(caller, quoteId, ['quoteId'], voidQuote);
  }

  async markPaid(
    caller: Caller,
    input: { quoteId: string; paidAt?: Date | null; idempotencyKey?: string | null },
  ): Promise<string> {
    const result = await this.deps.idempotency.transaction(
      this.db,
      caller.businessId,
      'markQuotePaid',
      input,
      async (tx) => {
        const quote = await this.lockQuote(tx, caller.businessId, input.quoteId, [
          'input',
          'quoteId',
        ]);
        const { state, decision, now, rollups } = await this.decideAndApply(
          tx,
          caller,
          quote,
          (s, at) => markQuotePaid(s, { now: at, paidAt: input.paidAt ?? null }),
          (d) => ({ paid: d.payment.amount.minor }),
        );
        // The payment the customer's statement shows, and revenue counts on the day it arrived.
        await tx.insert(QuotePaymentRecord, {
          id: newId(),
          businessId: quote.businessId,
          quoteId: quote.id,
          customerId: quote.customerId,
          kind: 'PAYMENT',
          amountMinor: decision.payment.amount.minor,
          currency: decision.payment.amount.currency,
          paidAt: decision.payment.paidAt,
          recordedAt: now,
          recordedBy: caller.memberId,
          reversesId: null,
        });
        const before = invoiceBalances(state.total, state.ledger!);
        await recordAudit(tx, {
          businessId: quote.businessId,
          actor: caller,
          action: 'INVOICE_MARKED_PAID',
          subjectType: 'Quote',
          subjectId: quote.id,
          changes: [
            { field: 'status', before: state.status, after: decision.status },
            {
              field: 'outstanding',
              before: toDecimalString(before.outstanding),
              after: toDecimalString(subtract(before.outstanding, decision.payment.amount)),
            },
          ],
          at: now,
        });
        rollups.revenue([
          { kind: 'PAYMENT', amount: decision.payment.amount, at: decision.payment.paidAt },
        ]);
        await this.recordQuoteEvent(tx, caller, quote, state, decision.status, now, rollups, {
          amounts: { amount: decision.payment.amount },
          data: { paidAt: decision.payment.paidAt.toISOString() },
        });
        return { quoteId: quote.id };
      },
    );
    return result.quoteId;
  }

  /**
   * A full or partial refund of a paid invoice, in a handful of statements however many refunds
   * the invoice already has. On PostgreSQL, under load it joins a group commit
   * (invoice-refund.batch.ts) that writes it with others in one transaction, exactly as it would
   * be written alone; a notice to the customer, and what a batch cannot answer as this use case
   * alone would (a replayed key, an unknown quote), run alone: the lock reads the refunded-so-far
   * kept on the quote row (with the business and the actor's name), one read after the lock takes
   * the case's lock and what the lock cannot see fresh (the feed's newest date, the
   * allocations), one statement writes the quote, case, follow-ups, feed entry and refund, then
   * the audit line, the kept totals and the event. The payload is built from what the
   * transaction wrote; only a replayed idempotency key reads it again.
   */
  async recordRefund(
    caller: Caller,
    input: RecordRefundRequest,
  ): Promise<{ refund: RefundType | null; quote: QuoteType | null }> {
    const recorded = () => refundsRecorded.inc({ flow: 'invoice' });
    if (this.refundGroupCommit && !input.notifyCustomer) {
      const key = this.deps.idempotency.keyRow(caller.businessId, 'recordRefund', input);
      const written = await writeInBatch(
        this.refundGroupCommit,
        {
          businessId: caller.businessId,
          key,
          quoteId: input.quoteId,
          actor: { memberId: caller.memberId ?? null, apiKeyId: caller.apiKeyId ?? null },
          prepare: (locked: LockedInvoice) => this.prepareRefund(caller, input, locked),
        },
        invoiceRefundBatchAlone,
      );
      if (written) {
        recorded();
        return written.payload;
      }
    }
    let written: PreparedInvoiceRefund | null = null;
    const ids = await this.deps.idempotency.transaction(
      this.db,
      caller.businessId,
      'recordRefund',
      input,
      async (tx, claim) => {
        written = null;
        // The quote's row lock serialises racing refunds of one invoice: each sees what the
        // previous ones refunded (kept on the row it locks), so together they never exceed what
        // was paid.
        const locked = await this.lockForRefund(tx, caller, input.quoteId, claim);
        const prepared = this.prepareRefund(caller, input, locked);
        const { quote, caseChange } = prepared;
        const write: Statement = {
          name: claim ? 'quotes.recordRefund.writeKeyed' : 'quotes.recordRefund.write',
          text: `WITH q AS (
             UPDATE quotes SET status = $3, refunded_at = COALESCE($4::timestamptz, refunded_at),
                    refunded_minor = refunded_minor + $5::bigint,
                    follow_ups_active = follow_ups_active AND NOT $6::boolean
              WHERE id = $1 AND business_id = $2
           ), c AS (
             UPDATE cases SET status = $7, updated_at = $8
              WHERE $7::text IS NOT NULL AND id = $9 AND business_id = $2
           ), f AS (
             UPDATE quote_follow_ups SET status = 'CANCELLED', cancelled_at = $10
              WHERE $10::timestamptz IS NOT NULL AND quote_id = $1 AND status = 'PENDING'
           ), a AS (
             INSERT INTO quote_activity
               (id, business_id, quote_id, kind, at, actor_member_id, actor_name, message, reason)
             VALUES ($11, $12, $13, $14, $15, $16, $17, $18, $19)
           ), audit AS (${auditInsertSql(20)})${claim ? `, response AS (${claim.responseSql(40)})` : ''}
           INSERT INTO quote_refunds (id, business_id, quote_id, amount_minor, currency, reason,
                                      reason_category, recorded_at, recorded_by)
           VALUES ($31, $32, $33, $34, $35, $36, $37, $38, $39)`,
          values: [
            quote.id,
            quote.businessId,
            quote.status,
            quote.refundedAt,
            String(quote.refundedChange),
            quote.cancelFollowUps,
            caseChange?.status ?? null,
            caseChange?.at ?? null,
            caseChange?.id ?? null,
            prepared.followUpsCancelledAt,
            ...prepared.activity,
            ...prepared.audit,
            ...prepared.refund,
            ...(claim ? claim.responseValues(prepared.result) : []),
          ],
        };
        claim?.responded(prepared.result);
        // The write goes out with the totals, the event and COMMIT: one round trip. A notice to
        // the customer reads their address first, so then the write goes alone before it.
        const statements: Statement[] = [write];
        if (input.notifyCustomer) {
          await sqlAll(tx, statements.splice(0));
          await queueRefundNotice(tx, {
            businessId: quote.businessId,
            customerId: locked.quote.customerId,
            amount: prepared.amount,
            subject: `invoice ${locked.quote.number}`,
            reason: prepared.payload.refund.reason,
            at: prepared.payload.refund.recordedAt,
          });
        }
        statements.push(...prepared.rollups.statements());
        if (prepared.event) statements.push(eventStatement(prepared.event).statement);
        await sqlAll(tx, statements, { commit: true });
        written = prepared;
        return prepared.result;
      },
      { afterCommit: recorded, foldClaim: true },
    );
    if (written) return (written as PreparedInvoiceRefund).payload;
    // A replay of an idempotency key: what that refund and its invoice look like now.
    return {
      refund: await this.findRefund(caller.businessId, ids.refundId),
      quote: await this.find(caller.businessId, ids.quoteId),
    };
  }

  /**
   * recordRefund's rule on the invoice under its lock, and every row the refund writes: the same
   * for the lone path and the group commit. Throws the rule's refusal.
   */
  private prepareRefund(
    caller: Caller,
    input: RecordRefundRequest,
    locked: LockedInvoice,
  ): PreparedInvoiceRefund {
    const { quote, business, actorName, fresh } = locked;
    const currency = quote.currency.trim() as CurrencyCode;
    // The same strict decimal parse as every other optional amount (INVALID_AMOUNT on
    // ["input", "amount"]); absent means "everything still refundable".
    const amount = unwrap(parseOptionalAccountAmount(input.amount, currency)) ?? null;
    const state: QuoteState = {
      status: quote.status,
      total: money(quote.totalMinor, currency),
      paidAt: quote.paidAt,
      caseStatus: fresh.caseStatus,
      lastActivityAt: fresh.lastActivityAt,
      ledger: {
        payments: money(quote.paidMinor, currency),
        allocated: money(fresh.allocatedMinor, currency),
        refunded: money(quote.refundedMinor, currency),
      },
      format: { locale: business.locale, timeZone: business.timeZone },
    };
    const now = this.now();
    const decision = unwrap(
      recordRefund(state, {
        now,
        amount,
        reason: input.reason ?? null,
        reasonCategory: input.reasonCategory ?? null,
      }),
    );
    const { refund } = decision;
    if (decision.followUps.schedule.length > 0) {
      throw new Error('a refund never schedules follow-ups');
    }
    const refundId = newId();
    const refundedAfter = add(state.ledger!.refunded, refund.amount);
    const cancelFollowUps = decision.followUps.cancelPending;
    const refundedAt =
      'refundedAt' in decision.timestamps ? (decision.timestamps.refundedAt ?? null) : null;
    const caseStatus = quote.caseId ? (decision.caseChange?.status ?? null) : null;
    const refundType: RefundType = {
      id: refundId,
      amount: toMoneyType(refund.amount),
      reason: refund.reason,
      reasonCategory: refund.reasonCategory,
      recordedAt: refund.recordedAt,
      businessId: quote.businessId,
      recordedById: caller.memberId ?? null,
    };
    const quoteAfter = Object.assign(new QuoteRecord(), quote, {
      status: decision.status,
      refundedAt: refundedAt ?? quote.refundedAt,
      refundedMinor: refundedAfter.minor,
      followUpsActive: quote.followUpsActive && !cancelFollowUps,
    });
    return {
      quote: {
        id: quote.id,
        businessId: quote.businessId,
        status: decision.status,
        refundedAt,
        refundedChange: refund.amount.minor,
        cancelFollowUps,
      },
      caseChange:
        caseStatus && quote.caseId ? { id: quote.caseId, status: caseStatus, at: now } : null,
      followUpsCancelledAt: cancelFollowUps ? now : null,
      activity: [
        newId(),
        quote.businessId,
        quote.id,
        decision.activity.kind,
        decision.activity.at,
        caller.memberId ?? null,
        actorName,
        decision.activity.message,
        decision.activity.reason,
      ],
      refund: [
        refundId,
        quote.businessId,
        quote.id,
        String(refund.amount.minor),
        refund.amount.currency,
        refund.reason,
        refund.reasonCategory,
        refund.recordedAt,
        caller.memberId ?? null,
      ],
      audit: auditValues({
        businessId: quote.businessId,
        actor: caller,
        action: 'REFUND_RECORDED',
        subjectType: 'Quote',
        subjectId: quote.id,
        changes: [
          { field: 'status', before: state.status, after: decision.status },
          {
            field: 'refunded',
            before: toDecimalString(state.ledger!.refunded),
            after: toDecimalString(refundedAfter),
          },
        ],
        reason: refund.reason,
        at: now,
      }),
      rollups: new QuoteRollupChange(quote.businessId, business.timeZone, currency, quote.id)
        .quote(rollupState(quote), rollupState(quoteAfter))
        .revenue([{ kind: 'REFUND', amount: refund.amount, at: refund.recordedAt }]),
      event: quoteEvent(caller, quote, state, decision.status, now, {
        refund: true,
        subjects: { refundId },
        amounts: { amount: refund.amount, refunded: refundedAfter },
        data: { reason: refund.reason, reasonCategory: refund.reasonCategory },
      }),
      result: { quoteId: quote.id, refundId },
      amount: refund.amount,
      payload: {
        refund: refundType,
        quote: {
          ...toQuoteType(quoteAfter),
          allocatedMinor: fresh.allocatedMinor,
          lastRefund: refundType,
        },
      },
      after: {
        quote: quoteAfter,
        business,
        actorName,
        fresh: {
          caseStatus: caseStatus ?? fresh.caseStatus,
          lastActivityAt: decision.activity.at,
          allocatedMinor: fresh.allocatedMinor,
        },
      },
    };
  }

  /**
   * recordRefund's lock: the quote row (with its kept ledger totals), the business's name,
   * currency and time zone, and the actor's name for the feed, in one statement.
   */
  private async lockForRefund(
    tx: Transaction,
    caller: Caller,
    quoteId: string,
    claim: IdempotencyClaim | null,
  ): Promise<LockedInvoice> {
    if (!isUuid(quoteId)) {
      // Claimed all the same, so a key reused with another input is still refused as such.
      if (claim?.pending) await claim.claimAlone(tx);
      throw notFound(['input', 'quoteId']);
    }
    const values = [quoteId, caller.businessId, caller.memberId ?? null, caller.apiKeyId ?? null];
    // The key's insert folded into the lock (one round trip fewer): the quote is locked only when
    // the key was inserted, so the lock order stays key → quote, and a repeat racing the first
    // request waits on the key, then replays.
    const lock: Statement = claim?.pending
      ? {
          name: 'quotes.recordRefund.lockClaiming',
          text: `WITH claim AS (${claim.claimSql(5)})
         SELECT c.claimed, l.*
           FROM (SELECT EXISTS (SELECT 1 FROM claim) AS claimed) c
           LEFT JOIN LATERAL (${LOCK_FOR_REFUND('AND c.claimed')}) l ON true`,
          values: [...values, ...claim.claimValues()],
        }
      : { name: 'quotes.recordRefund.lock', text: LOCK_FOR_REFUND(''), values };
    // What the rule needs beyond the quote's row rides behind the lock in the same round trip
    // (see AFTER_REFUND_LOCK).
    const [rows, afterRows] = (await sqlAll(tx, [
      lock,
      {
        name: 'quotes.recordRefund.afterLock',
        text: AFTER_REFUND_LOCK,
        values: [quoteId, caller.businessId],
      },
    ])) as [Array<Record<string, unknown>>, AfterRefundLockRow[]];
    if (claim?.pending) claim.claimed(rows[0]?.claimed === true);
    const row = rows[0];
    if (!row || row.id === null || row.id === undefined) throw notFound(['input', 'quoteId']);
    const actorName = actorNameOf(
      caller,
      (row.member_name as string | null) ?? null,
      (row.api_key_name as string | null) ?? null,
    );
    return lockedInvoice(row, afterRows[0]!, actorName);
  }

  async addNote(caller: Caller, quoteId: string, body: string): Promise<string> {
    return this.db.transaction(async (tx) => {
      const quote = await this.lockQuote(tx, caller.businessId, quoteId, ['quoteId']);
      const state = await quoteState(tx, quote);
      await logActivity(
        tx,
        caller,
        quote.businessId,
        quote.id,
        unwrap(addQuoteNote(state, body, this.now())),
      );
      return quote.id;
    });
  }

  // ---------------------------------------------------------------------- reads

  async find(businessId: string, id: string): Promise<QuoteType | null> {
    if (!isUuid(id)) return null;
    const quote = await this.db.manager.findOne(QuoteRecord, { where: { id, businessId } });
    return quote ? toQuoteType(quote) : null;
  }

  /** Newest first, keyset-paginated on (created_at, id), one tab or all. */
  async list(
    businessId: string,
    query: { tab?: QuoteTab | null; first?: number | null; after?: string | null },
  ): Promise<Page<QuoteType>> {
    const size = pageSize(query.first);
    const after = decodeCursor(query.after, ['instant', 'uuid']);
    const builder = this.db.manager
      .createQueryBuilder(QuoteRecord, 'q')
      .where('q.business_id = :businessId', { businessId })
      .orderBy('q.created_at', 'DESC')
      .addOrderBy('q.id', 'DESC')
      .limit(size + 1);
    const tab = query.tab ?? QuoteTab.ALL;
    if (tab !== QuoteTab.ALL) {
      builder.andWhere('q.status IN (:...statuses)', { statuses: [...statusesOfTab(tab)] });
    }
    if (after) {
      const [afterAt, afterId] = after;
      const at = new Date(String(afterAt));
      if (Number.isNaN(at.getTime()) || typeof afterId !== 'string' || !isUuid(afterId)) {
        throw new BadInputError('That "after" cursor is not one this list gave out.', ['after']);
      }
      builder.andWhere('(q.created_at, q.id) < (:afterAt, :afterId)', { afterAt: at, afterId });
    }
    const rows = await builder.getMany();
    const page = toPage(rows, size, (q) => [q.createdAt.toISOString(), q.id]);
    return { nodes: page.nodes.map(toQuoteType), pageInfo: page.pageInfo };
  }

  /** The /quotes header from the kept totals: a few rows, however long the history. */
  async stats(businessId: string): Promise<QuoteStats> {
    const manager = this.db.manager;
    const business = await this.business(manager, businessId);
    const month = localMonth(this.now(), business.timeZone);
    const [row]: Array<{ paid: string | null; invoiced: string | null; has_refund: boolean }> =
      await manager.query(
        `SELECT (SELECT quotes FROM quote_status_counts
                  WHERE business_id = $1 AND status = 'PAID') AS paid,
                (SELECT invoiced_minor FROM quote_invoiced_months
                  WHERE business_id = $1 AND month = $2) AS invoiced,
                EXISTS (SELECT 1 FROM quote_refunds WHERE business_id = $1) AS has_refund`,
        [businessId, month],
      );
    return quoteStatsFromTotals({
      paidCount: Number(row?.paid ?? 0),
      invoicedThisMonth: money(BigInt(row?.invoiced ?? '0'), business.currency),
      hasRefund: Boolean(row?.has_refund),
    });
  }

  /**
   * Cash-basis revenue by business-local day (packages/domain/ACCOUNTING.md), from the kept
   * days: at most `days` × 16 rows however many payments and refunds the business has.
   */
  async revenue(businessId: string, daysArg: number | null | undefined): Promise<RevenueSeries> {
    const days = unwrap(parseRevenueDays(daysArg));
    const manager = this.db.manager;
    const business = await this.business(manager, businessId);
    const now = this.now();
    const window = revenueWindowDates(now, business.timeZone, days);
    return revenueSeriesFromDays({
      days: await revenueDays(manager, businessId, window, business.currency),
      now,
      timeZone: business.timeZone,
      count: days,
      currency: business.currency,
    });
  }

  /**
   * Insights: money refunded in the last `days` days (business time) by reason — invoice refunds
   * and refunds paid out from customer accounts. Credit refunds go back as credits, not money, so
   * they are not summed with these.
   */
  async refundsByReason(
    businessId: string,
    daysArg: number | null | undefined,
  ): Promise<RefundReasonTotal[]> {
    const days = unwrap(parseRevenueDays(daysArg));
    const manager = this.db.manager;
    const business = await this.business(manager, businessId);
    const now = this.now();
    const rows: Array<{ amount_minor: string; reason_category: RefundReason | null }> =
      await manager.query(
        `SELECT amount_minor, reason_category FROM quote_refunds
          WHERE business_id = $1 AND recorded_at >= $2 AND recorded_at <= $3
         UNION ALL
         SELECT amount_minor, reason_category FROM account_refunds
          WHERE business_id = $1 AND created_at >= $2 AND created_at <= $3`,
        [businessId, revenueWindowStart(now, business.timeZone, days), now],
      );
    return refundsByReason(
      rows.map((row) => ({
        amount: money(BigInt(row.amount_minor), business.currency),
        reasonCategory: row.reason_category,
      })),
      business.currency,
    );
  }

  // Batched reads for the Quote's fields: a page of quotes costs one query per field, not one per
  // quote and field.
  private readonly lineItemsLoader = new BatchLoader<QuoteLineItemRecord[]>(
    async (businessId, quoteIds) => {
      // Line items carry no business id: they are reached through their (tenant-scoped) quote.
      const rows = await this.db.manager
        .createQueryBuilder(QuoteLineItemRecord, 'li')
        .innerJoin(QuoteRecord, 'q', 'q.id = li.quote_id AND q.business_id = :businessId', {
          businessId,
        })
        .where('li.quote_id IN (:...quoteIds)', { quoteIds })
        .orderBy('li.quoteId')
        .addOrderBy('li.position', 'ASC')
        .getMany();
      return groupByQuote(rows);
    },
  );
  private readonly activityLoader = new BatchLoader<QuoteActivityRecord[]>((businessId, quoteIds) =>
    this.db.manager
      .find(QuoteActivityRecord, {
        where: { businessId, quoteId: In([...quoteIds]) },
        order: { at: 'ASC', seq: 'ASC' },
      })
      .then(groupByQuote),
  );
  private readonly refundsLoader = new BatchLoader<QuoteRefundRecord[]>((businessId, quoteIds) =>
    this.db.manager
      .find(QuoteRefundRecord, {
        where: { businessId, quoteId: In([...quoteIds]) },
        order: { recordedAt: 'ASC', id: 'ASC' },
      })
      .then(groupByQuote),
  );
  /** What credits on the customer's account allocated to each invoice (a few rows each). */
  private readonly allocatedLoader = new BatchLoader<bigint>(async (businessId, quoteIds) => {
    const rows: Array<{ quote_id: string; allocated: string }> = await this.db.manager.query(
      `SELECT quote_id, SUM(amount_minor) AS allocated FROM account_allocations
        WHERE business_id = $1 AND quote_id = ANY($2::uuid[])
        GROUP BY quote_id`,
      [businessId, [...quoteIds]],
    );
    return new Map(rows.map((row) => [row.quote_id, BigInt(row.allocated)]));
  });
  /** The newest refund of each invoice: one index probe per quote, not all of its refunds. */
  private readonly lastRefundLoader = new BatchLoader<QuoteRefundRecord>(
    async (businessId, quoteIds) => {
      const ids: Array<{ id: string }> = await this.db.manager.query(
        `SELECT last.id FROM unnest($2::uuid[]) AS q(id)
           CROSS JOIN LATERAL (SELECT r.id FROM quote_refunds r
                                WHERE r.quote_id = q.id AND r.business_id = $1
                                ORDER BY r.recorded_at DESC, r.id DESC LIMIT 1) last`,
        [businessId, [...quoteIds]],
      );
      if (ids.length === 0) return new Map();
      const rows = await this.db.manager.find(QuoteRefundRecord, {
        where: { businessId, id: In(ids.map((row) => row.id)) },
      });
      return new Map(rows.map((row) => [row.quoteId, row]));
    },
  );
  /** The business's locale and time zone: one query per batch, however many feeds are read. */
  private readonly formatLoader = new BatchLoader<BusinessInfo>(async (businessId) => {
    const info = await businessInfo(this.db.manager, businessId);
    return new Map([[businessId, info]]);
  });
  private readonly caseLoader = new BatchLoader<CaseRecord>(async (businessId, caseIds) => {
    const rows = await this.db.manager.find(CaseRecord, {
      where: { businessId, id: In([...caseIds]) },
    });
    return new Map(rows.map((row) => [row.id, row]));
  });

  async lineItems(businessId: string, quoteId: string, currency: string): Promise<LineItemType[]> {
    const rows = (await this.lineItemsLoader.load(businessId, quoteId)) ?? [];
    const code = currency as CurrencyCode;
    return rows.map((row) => ({
      description: row.description,
      quantity: decimalToString({ unscaled: row.quantityUnscaled, scale: row.quantityScale }),
      unitPrice: toMoneyType(money(row.unitPriceMinor, code)),
      total: toMoneyType(money(row.totalMinor, code)),
    }));
  }

  async caseOf(businessId: string, caseId: string | null): Promise<CaseType | null> {
    if (!caseId) return null;
    const row = await this.caseLoader.load(businessId, caseId);
    if (!row) return null;
    const currency = row.currency.trim() as CurrencyCode;
    return {
      id: row.id,
      number: row.number,
      status: row.status,
      dealValue:
        row.dealValueMinor === null ? null : toMoneyType(money(row.dealValueMinor, currency)),
      businessId: row.businessId,
      customerId: row.customerId,
    };
  }

  /**
   * The invoice's refunds, oldest first: all of them, or with `first` (and `after`, the id of the
   * last refund a page showed) one keyset page on (recorded_at, id), the order of its index.
   */
  async refundsOf(businessId: string, quoteId: string, page: FeedPage = {}): Promise<RefundType[]> {
    if (!isPaged(page)) {
      return ((await this.refundsLoader.load(businessId, quoteId)) ?? []).map(toRefundType);
    }
    const { size, after } = feedPage(page);
    const rows = await this.db.manager
      .createQueryBuilder(QuoteRefundRecord, 'r')
      .where('r.quote_id = :quoteId AND r.business_id = :businessId', { quoteId, businessId })
      .andWhere(
        after
          ? `(r.recorded_at, r.id) > (SELECT p.recorded_at, p.id FROM quote_refunds p
                                       WHERE p.id = :after AND p.quote_id = :quoteId)`
          : 'TRUE',
        { after },
      )
      .orderBy('r.recorded_at', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .limit(size)
      .getMany();
    return rows.map(toRefundType);
  }

  /** The refund that made the invoice REFUNDED: the last one; null while it is not. */
  async refundOf(quote: QuoteType): Promise<RefundType | null> {
    if (quote.status !== QuoteStatus.REFUNDED) return null;
    return this.lastRefund(quote);
  }

  /** The newest refund of the invoice, or null. */
  private async lastRefund(quote: QuoteType): Promise<RefundType | null> {
    if (quote.lastRefund) return quote.lastRefund;
    if (quote.refundedMinor === 0n) return null;
    const row = await this.lastRefundLoader.load(quote.businessId, quote.id);
    return row ? toRefundType(row) : null;
  }

  /** Refunded, refundable and outstanding amounts: the domain's settlement rule. */
  async balancesOf(
    quote: QuoteType,
  ): Promise<{ paid: Money; refunded: Money; refundable: Money; outstanding: Money }> {
    const currency = quote.total.currency as CurrencyCode;
    // Payments and refunds are kept on the row; allocations come from the accounts flow.
    const allocated =
      quote.allocatedMinor ?? (await this.allocatedLoader.load(quote.businessId, quote.id)) ?? 0n;
    const ledger = {
      payments: money(quote.paidMinor, currency),
      allocated: money(allocated, currency),
      refunded: money(quote.refundedMinor, currency),
    };
    const total = money(quote.totalMinor, currency);
    const balances = invoiceBalances(total, ledger);
    return {
      paid: ledger.payments,
      refunded: balances.refunded,
      refundable: balances.refundable,
      outstanding: quoteOutstanding(quote.status, total, ledger),
    };
  }

  async findRefund(businessId: string, refundId: string): Promise<RefundType | null> {
    const row = await this.db.manager.findOne(QuoteRefundRecord, {
      where: { id: refundId, businessId },
    });
    return row ? toRefundType(row) : null;
  }

  /**
   * The feed, oldest first; entries with the same instant in the order they were written. All of
   * it, or with `first` (and `after`, the id of the last entry a page showed) one keyset page on
   * (at, seq), the order of its index.
   */
  async activity(
    businessId: string,
    quoteId: string,
    page: FeedPage = {},
  ): Promise<ActivityEventType[]> {
    const [rows, business] = await Promise.all([
      isPaged(page)
        ? this.activityPage(businessId, quoteId, feedPage(page))
        : this.activityLoader.load(businessId, quoteId),
      this.formatLoader.load(businessId, businessId),
    ]);
    return (rows ?? []).map((row) => ({
      id: row.id,
      at: row.at,
      kind: row.kind,
      actorName: row.actorName,
      // Entries written before money had one format are shown the way new ones are written.
      message: activityMessageForPeople(row.kind, row.message, business),
      reason: row.reason,
    }));
  }

  private activityPage(
    businessId: string,
    quoteId: string,
    page: { size: number; after: string | null },
  ): Promise<QuoteActivityRecord[]> {
    return this.db.manager
      .createQueryBuilder(QuoteActivityRecord, 'a')
      .where('a.quote_id = :quoteId AND a.business_id = :businessId', { quoteId, businessId })
      .andWhere(
        page.after
          ? `(a.at, a.seq) > (SELECT p.at, p.seq FROM quote_activity p
                               WHERE p.id = :after AND p.quote_id = :quoteId)`
          : 'TRUE',
        { after: page.after },
      )
      .orderBy('a.at', 'ASC')
      .addOrderBy('a.seq', 'ASC')
      .limit(page.size)
      .getMany();
  }

  /** What /c/<token> shows: no caller, read-only, only that customer's quotes (never drafts). */
  async portal(token: string): Promise<PortalType | null> {
    const customer = await this.customers.findByPortalToken(token);
    if (!customer) return null;
    const business = await this.business(this.db.manager, customer.businessId);
    const quotes = await this.db.manager
      .createQueryBuilder(QuoteRecord, 'q')
      .where('q.business_id = :businessId AND q.customer_id = :customerId', {
        businessId: customer.businessId,
        customerId: customer.id,
      })
      .andWhere(`q.status <> 'DRAFT'`)
      .orderBy('q.created_at', 'DESC')
      .addOrderBy('q.id', 'DESC')
      .limit(100)
      .getMany();
    const shown = quotes.map(toQuoteType);
    return {
      businessName: business.name,
      businessCountry: business.country,
      customerName: customer.name,
      quotes: await Promise.all(
        shown.map(async (quote) => {
          const { refunded } = await this.balancesOf(quote);
          const last = await this.lastRefund(quote);
          return {
            number: quote.number,
            status: quote.status,
            total: quote.total,
            refundedAmount: toMoneyType(refunded),
            refundedAt: last?.recordedAt ?? null,
            refundBanner: portalRefundBanner({
              status: quote.status,
              total: money(quote.totalMinor, business.currency),
              refunded,
              refundedAt: last?.recordedAt ?? null,
              reason: last?.reason ?? null,
              businessName: business.name,
              format: business,
            }),
            businessId: quote.businessId,
            quoteId: quote.id,
          };
        }),
      ),
      businessId: customer.businessId,
      customerId: customer.id,
    };
  }

  // -------------------------------------------------------------------- helpers

  private async transition(
    caller: Caller,
    quoteId: string,
    field: string[],
    rule: Rule,
  ): Promise<string> {
    return this.db.transaction(async (tx) => {
      const quote = await this.lockQuote(tx, caller.businessId, quoteId, field);
      const { state, decision, now, rollups } = await this.decideAndApply(tx, caller, quote, rule);
      await this.recordQuoteEvent(tx, caller, quote, state, decision.status, now, rollups);
      return quote.id;
    });
  }

  /**
   * The kept totals the change moved, then its event, last in the use case's transaction (see
   * recordEvent); a change that is no news to third parties (the same status) writes no event.
   */
  private async recordQuoteEvent(
    tx: Transaction,
    caller: Caller,
    quote: QuoteRecord,
    state: QuoteState,
    to: QuoteStatus,
    now: Date,
    rollups: QuoteRollupChange,
    extra: {
      refund?: boolean;
      subjects?: Record<string, string>;
      amounts?: Record<string, Money>;
      data?: Record<string, string | null>;
      /** The use case's own last writes, sent in the same round trip, before the totals. */
      before?: readonly Statement[];
      /** Ends the transaction with these statements (see sql's `commit`). */
      commit?: boolean;
    } = {},
  ): Promise<void> {
    // The kept totals are shared by the whole business: locked here, after every other write,
    // and the event's counter row last of all.
    const statements = [...(extra.before ?? []), ...rollups.statements()];
    const event = quoteEvent(caller, quote, state, to, now, extra);
    if (event) statements.push(eventStatement(event).statement);
    await sqlAll(tx, statements, { commit: extra.commit === true });
  }

  /** The quote of this business, locked for the rest of the transaction; else NOT_FOUND. */
  private async lockQuote(
    tx: Transaction,
    businessId: string,
    quoteId: string,
    field: string[],
  ): Promise<QuoteRecord> {
    const quote = isUuid(quoteId)
      ? await tx.findOne(QuoteRecord, {
          where: { id: quoteId, businessId },
          lock: { mode: 'pessimistic_write' },
        })
      : null;
    if (!quote) throw notFound(field);
    return quote;
  }

  /** Asks the rule with the state read under the lock, then writes all of its decision. */
  private async decideAndApply<D extends QuoteDecision>(
    tx: Transaction,
    caller: Caller,
    quote: QuoteRecord,
    rule: (state: QuoteState, now: Date) => Result<D, Error>,
    kept: (decision: D) => { paid?: bigint } = () => ({}),
  ): Promise<{ state: QuoteState; decision: D; now: Date; rollups: QuoteRollupChange }> {
    const state = await quoteState(tx, quote);
    const now = this.now();
    const decision = unwrap(rule(state, now));
    const rollups = new QuoteRollupChange(
      quote.businessId,
      state.format!.timeZone,
      state.total.currency,
      quote.id,
    );
    await applyQuoteDecision(tx, caller, quote, decision, now, rollups, kept(decision));
    return { state, decision, now, rollups };
  }

  private async business(manager: Transaction, businessId: string): Promise<BusinessInfo> {
    return businessInfo(manager, businessId);
  }
}

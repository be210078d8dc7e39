import {
  activityMessageForPeople,
  add,
  BadInputError,
  type CurrencyCode,
  computeQuoteStats,
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
  revenueSeries,
  type RevenueSeries,
  revenueWindowStart,
  startOfLocalMonth,
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
import { refundsRecorded } from '../platform/observability/metrics';
import type { ServiceDeps } from '../services';
import type { Transaction } from '../platform/db/database';
import { nextNumber } from '../platform/db/counters';
import { isUuid, newId } from '../platform/ids';
import { BatchLoader } from '../platform/batch-loader';
import { In } from 'typeorm';
import { decodeCursor, type Page, pageSize, toPage } from '../platform/pagination';
import { toMoneyType } from '../platform/graphql/common-types';
import type { Caller } from '../platform/graphql/context';
import type { CustomerService } from '../customers/customer.service';
import { recordAudit } from '../audit/audit.recorder';
import { recordEvent } from '../outbound/event.recorder';
import { queueRefundNotice } from '../outbound/mail.queue';
import {
  CaseRecord,
  QuoteActivityRecord,
  QuoteLineItemRecord,
  QuotePaymentRecord,
  QuoteRecord,
  QuoteRefundRecord,
} from './quote.entities';
import {
  applyQuoteDecision,
  type BusinessInfo,
  businessInfo,
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

/** An invoice's ledger sums in minor units, as one batched query reads them. */
interface LedgerSums {
  payments: bigint;
  allocated: bigint;
  refunded: bigint;
}

type Rule = (state: QuoteState, now: Date) => Result<QuoteDecision, Error>;

const notFound = (field: string[], what = 'quote') =>
  new DomainError(
    UserErrorCode.NOT_FOUND,
    `We could not find that ${what}. It may have been removed, or the link is wrong.`,
    field,
  );

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
  constructor(
    private readonly deps: ServiceDeps,
    private readonly customers: CustomerService,
  ) {}

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
      const { state, decision, now } = await this.decideAndApply(
        tx,
        caller,
        quote,
        markQuoteUnpaid,
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
      await this.recordQuoteEvent(tx, caller, quote, state, decision.status, now, {
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
        const { state, decision, now } = await this.decideAndApply(tx, caller, quote, (s, at) =>
          markQuotePaid(s, { now: at, paidAt: input.paidAt ?? null }),
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
        await this.recordQuoteEvent(tx, caller, quote, state, decision.status, now, {
          amounts: { amount: decision.payment.amount },
          data: { paidAt: decision.payment.paidAt.toISOString() },
        });
        return { quoteId: quote.id };
      },
    );
    return result.quoteId;
  }

  async recordRefund(
    caller: Caller,
    input: {
      quoteId: string;
      amount?: string | null;
      reason?: string | null;
      reasonCategory?: RefundReason | null;
      idempotencyKey?: string | null;
      notifyCustomer?: boolean | null;
    },
  ): Promise<{ quoteId: string; refundId: string }> {
    return this.deps.idempotency.transaction(
      this.db,
      caller.businessId,
      'recordRefund',
      input,
      async (tx) => {
        // The quote's row lock serialises racing refunds of one invoice: each sees what the
        // previous ones refunded, so together they never exceed what was paid.
        const quote = await this.lockQuote(tx, caller.businessId, input.quoteId, [
          'input',
          'quoteId',
        ]);
        const currency = quote.currency.trim() as CurrencyCode;
        // The same strict decimal parse as every other optional amount (INVALID_AMOUNT on
        // ["input", "amount"]); absent means "everything still refundable".
        const amount = unwrap(parseOptionalAccountAmount(input.amount, currency)) ?? null;
        const refundId = newId();
        const { state, decision, now } = await this.decideAndApply(tx, caller, quote, (s, at) =>
          recordRefund(s, {
            now: at,
            amount,
            reason: input.reason ?? null,
            reasonCategory: input.reasonCategory ?? null,
          }),
        );
        const { refund } = decision;
        await tx.insert(QuoteRefundRecord, {
          id: refundId,
          businessId: caller.businessId,
          quoteId: quote.id,
          amountMinor: refund.amount.minor,
          currency: refund.amount.currency,
          reason: refund.reason,
          reasonCategory: refund.reasonCategory,
          recordedAt: refund.recordedAt,
          recordedBy: caller.memberId,
        });
        await recordAudit(tx, {
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
              after: toDecimalString(add(state.ledger!.refunded, refund.amount)),
            },
          ],
          reason: refund.reason,
          at: now,
        });
        if (input.notifyCustomer) {
          await queueRefundNotice(tx, {
            businessId: quote.businessId,
            customerId: quote.customerId,
            amount: refund.amount,
            subject: `invoice ${quote.number}`,
            reason: refund.reason,
            at: now,
          });
        }
        await this.recordQuoteEvent(tx, caller, quote, state, decision.status, now, {
          refund: true,
          subjects: { refundId },
          amounts: { amount: refund.amount, refunded: add(state.ledger!.refunded, refund.amount) },
          data: { reason: refund.reason, reasonCategory: refund.reasonCategory },
        });
        return { quoteId: quote.id, refundId };
      },
      { afterCommit: () => refundsRecorded.inc({ flow: 'invoice' }) },
    );
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

  async stats(businessId: string): Promise<QuoteStats> {
    const manager = this.db.manager;
    const business = await this.business(manager, businessId);
    const now = this.now();
    const monthStart = startOfLocalMonth(now, business.timeZone);
    // PAID now (any issue date) and ACCEPTED this month: the domain does the arithmetic.
    const rows: Array<{ status: QuoteStatus; total_minor: string; accepted_at: Date | null }> =
      await manager.query(
        `SELECT status, total_minor, accepted_at FROM quotes
          WHERE business_id = $1
            AND (status = 'PAID' OR (status = 'ACCEPTED' AND accepted_at >= $2))`,
        [businessId, monthStart],
      );
    const refunds: unknown[] = await manager.query(
      `SELECT 1 FROM quote_refunds WHERE business_id = $1 LIMIT 1`,
      [businessId],
    );
    return computeQuoteStats({
      quotes: rows.map((row) => ({
        status: row.status,
        total: money(BigInt(row.total_minor), business.currency),
        issuedAt: row.accepted_at ? new Date(row.accepted_at) : null,
      })),
      hasRefund: refunds.length > 0,
      now,
      timeZone: business.timeZone,
      currency: business.currency,
    });
  }

  async revenue(businessId: string, daysArg: number | null | undefined): Promise<RevenueSeries> {
    const days = unwrap(parseRevenueDays(daysArg));
    const manager = this.db.manager;
    const business = await this.business(manager, businessId);
    const now = this.now();
    const start = revenueWindowStart(now, business.timeZone, days);
    // Cash basis, cash counted once (packages/domain/ACCOUNTING.md): payments marked paid and
    // their reversals, account payments when they settle an invoice (credit notes are not cash),
    // and refunds, each on its own date. A payment stays a payment when it is later refunded.
    const payments: Array<{ kind: 'PAYMENT' | 'REVERSAL'; amount_minor: string; at: Date }> =
      await manager.query(
        `SELECT kind, amount_minor, paid_at AS at FROM quote_payments
          WHERE business_id = $1 AND paid_at >= $2 AND paid_at <= $3
         UNION ALL
         SELECT 'PAYMENT', a.amount_minor, a.created_at FROM account_allocations a
           JOIN account_credits c ON c.id = a.credit_id AND c.kind = 'PAYMENT'
           JOIN quotes q ON q.id = a.quote_id AND q.status IN ('ACCEPTED', 'PAID', 'REFUNDED')
          WHERE a.business_id = $1 AND a.created_at >= $2 AND a.created_at <= $3`,
        [businessId, start, now],
      );
    const refunds: Array<{ amount_minor: string; recorded_at: Date }> = await manager.query(
      `SELECT amount_minor, recorded_at FROM quote_refunds
        WHERE business_id = $1 AND recorded_at >= $2 AND recorded_at <= $3`,
      [businessId, start, now],
    );
    const amount = (minor: string): Money => money(BigInt(minor), business.currency);
    return revenueSeries({
      movements: [
        ...payments.map((p) => ({
          kind: p.kind,
          amount: amount(p.amount_minor),
          at: new Date(p.at),
        })),
        ...refunds.map((r) => ({
          kind: 'REFUND' as const,
          amount: amount(r.amount_minor),
          at: new Date(r.recorded_at),
        })),
      ],
      now,
      timeZone: business.timeZone,
      days,
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
  private readonly ledgerLoader = new BatchLoader<LedgerSums>(async (businessId, quoteIds) => {
    const rows: Array<{ quote_id: string; payments: string; allocated: string; refunded: string }> =
      await this.db.manager.query(
        `SELECT q.id AS quote_id,
                COALESCE(p.payments, 0) AS payments,
                COALESCE(a.allocated, 0) AS allocated,
                COALESCE(r.refunded, 0) AS refunded
           FROM quotes q
           LEFT JOIN (SELECT quote_id,
                             SUM(CASE kind WHEN 'PAYMENT' THEN amount_minor ELSE -amount_minor END) AS payments
                        FROM quote_payments WHERE business_id = $1 AND quote_id = ANY($2::uuid[])
                       GROUP BY quote_id) p ON p.quote_id = q.id
           LEFT JOIN (SELECT quote_id, SUM(amount_minor) AS allocated
                        FROM account_allocations WHERE business_id = $1 AND quote_id = ANY($2::uuid[])
                       GROUP BY quote_id) a ON a.quote_id = q.id
           LEFT JOIN (SELECT quote_id, SUM(amount_minor) AS refunded
                        FROM quote_refunds WHERE business_id = $1 AND quote_id = ANY($2::uuid[])
                       GROUP BY quote_id) r ON r.quote_id = q.id
          WHERE q.business_id = $1 AND q.id = ANY($2::uuid[])`,
        [businessId, [...quoteIds]],
      );
    return new Map(
      rows.map((row) => [
        row.quote_id,
        {
          payments: BigInt(row.payments),
          allocated: BigInt(row.allocated),
          refunded: BigInt(row.refunded),
        },
      ]),
    );
  });
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

  /** Every refund of the invoice, oldest first. */
  async refundsOf(businessId: string, quoteId: string): Promise<RefundType[]> {
    return ((await this.refundsLoader.load(businessId, quoteId)) ?? []).map(toRefundType);
  }

  /** The refund that made the invoice REFUNDED: the last one; null while it is not. */
  async refundOf(quote: QuoteType): Promise<RefundType | null> {
    if (quote.status !== QuoteStatus.REFUNDED) return null;
    return (await this.refundsOf(quote.businessId, quote.id)).at(-1) ?? null;
  }

  /** Refunded, refundable and outstanding amounts: the domain's settlement rule. */
  async balancesOf(
    quote: QuoteType,
  ): Promise<{ refunded: Money; refundable: Money; outstanding: Money }> {
    const currency = quote.total.currency as CurrencyCode;
    const sums = await this.ledgerLoader.load(quote.businessId, quote.id);
    const ledger = {
      payments: money(sums?.payments ?? 0n, currency),
      allocated: money(sums?.allocated ?? 0n, currency),
      refunded: money(sums?.refunded ?? 0n, currency),
    };
    const total = money(quote.totalMinor, currency);
    const balances = invoiceBalances(total, ledger);
    return {
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

  /** The feed, oldest first; entries with the same instant in the order they were written. */
  async activity(businessId: string, quoteId: string): Promise<ActivityEventType[]> {
    const [rows, business] = await Promise.all([
      this.activityLoader.load(businessId, quoteId),
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
          const refunds = await this.refundsOf(quote.businessId, quote.id);
          const { refunded } = await this.balancesOf(quote);
          const last = refunds.at(-1) ?? null;
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
      const { state, decision, now } = await this.decideAndApply(tx, caller, quote, rule);
      await this.recordQuoteEvent(tx, caller, quote, state, decision.status, now);
      return quote.id;
    });
  }

  /**
   * The event of a quote change, last in the use case's transaction (see recordEvent); a change
   * that is no news to third parties (the same status) writes none.
   */
  private async recordQuoteEvent(
    tx: Transaction,
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
    } = {},
  ): Promise<void> {
    const type = quoteEventType(state.status, to, { refund: extra.refund ?? false });
    if (!type) return;
    await recordEvent(tx, {
      businessId: quote.businessId,
      type,
      actor: caller,
      at: now,
      subjects: { quoteId: quote.id, customerId: quote.customerId, ...extra.subjects },
      amounts: { total: state.total, ...extra.amounts },
      data: { number: quote.number, status: to, previousStatus: state.status, ...extra.data },
    });
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
  ): Promise<{ state: QuoteState; decision: D; now: Date }> {
    const state = await quoteState(tx, quote);
    const now = this.now();
    const decision = unwrap(rule(state, now));
    await applyQuoteDecision(tx, caller, quote, decision, now);
    return { state, decision, now };
  }

  private async business(manager: Transaction, businessId: string): Promise<BusinessInfo> {
    return businessInfo(manager, businessId);
  }
}

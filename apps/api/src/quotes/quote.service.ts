import {
  type ActivityEntry,
  BadInputError,
  type CurrencyCode,
  computeQuoteStats,
  DomainError,
  FollowUpStage,
  type FollowUpPlan,
  formatCaseNumber,
  formatQuoteNumber,
  type LineItemDraft,
  money,
  type Money,
  NEW_CASE_STATUS,
  normalizeTitle,
  parseRevenueDays,
  portalRefundBanner,
  priceLineItems,
  type QuoteDecision,
  type QuoteState,
  QuoteStatus,
  type QuoteStats,
  QuoteTab,
  quoteCreatedActivity,
  type RefundDecision,
  type Result,
  revenueSeries,
  type RevenueSeries,
  revenueWindowStart,
  startOfLocalMonth,
  statusesOfTab,
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
} from '@refunds/domain';
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
import { Business } from '../auth/auth.entities';
import {
  CaseRecord,
  QuoteActivityRecord,
  QuoteFollowUpRecord,
  QuoteLineItemRecord,
  QuoteRecord,
  QuoteRefundRecord,
} from './quote.entities';
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
      await this.log(tx, caller, id, quoteCreatedActivity(now, priced.total));
      return id;
    });
  }

  send(caller: Caller, quoteId: string): Promise<string> {
    return this.transition(caller, quoteId, ['quoteId'], sendQuote);
  }

  accept(caller: Caller, quoteId: string): Promise<string> {
    return this.transition(caller, quoteId, ['quoteId'], acceptQuote);
  }

  markUnpaid(caller: Caller, quoteId: string): Promise<string> {
    return this.transition(caller, quoteId, ['quoteId'], markQuoteUnpaid);
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
        await this.decideAndApply(tx, caller, quote, (state, now) =>
          markQuotePaid(state, { now, paidAt: input.paidAt ?? null }),
        );
        return { quoteId: quote.id };
      },
    );
    return result.quoteId;
  }

  async recordRefund(
    caller: Caller,
    input: { quoteId: string; reason?: string | null; idempotencyKey?: string | null },
  ): Promise<{ quoteId: string; refundId: string }> {
    return this.deps.idempotency.transaction(
      this.db,
      caller.businessId,
      'recordRefund',
      input,
      async (tx) => {
        const quote = await this.lockQuote(tx, caller.businessId, input.quoteId, [
          'input',
          'quoteId',
        ]);
        const refundId = newId();
        await this.decideAndApply(
          tx,
          caller,
          quote,
          (state, now) => recordRefund(state, { now, reason: input.reason ?? null }),
          async (decision) => {
            const { refund } = decision as RefundDecision;
            await tx.insert(QuoteRefundRecord, {
              id: refundId,
              businessId: caller.businessId,
              quoteId: quote.id,
              amountMinor: refund.amount.minor,
              currency: refund.amount.currency,
              reason: refund.reason,
              recordedAt: refund.recordedAt,
              recordedBy: caller.memberId,
            });
          },
        );
        return { quoteId: quote.id, refundId };
      },
    );
  }

  async addNote(caller: Caller, quoteId: string, body: string): Promise<string> {
    return this.db.transaction(async (tx) => {
      const quote = await this.lockQuote(tx, caller.businessId, quoteId, ['quoteId']);
      const state = await this.stateOf(tx, quote);
      await this.log(tx, caller, quote.id, unwrap(addQuoteNote(state, body, this.now())));
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
    const monthStart = startOfLocalMonth(now, business.timezone);
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
      timeZone: business.timezone,
      currency: business.currency,
    });
  }

  async revenue(businessId: string, daysArg: number | null | undefined): Promise<RevenueSeries> {
    const days = unwrap(parseRevenueDays(daysArg));
    const manager = this.db.manager;
    const business = await this.business(manager, businessId);
    const now = this.now();
    const start = revenueWindowStart(now, business.timezone, days);
    // A payment stays a payment when it is later refunded: the refund is its own dated movement.
    const payments: Array<{ total_minor: string; paid_at: Date }> = await manager.query(
      `SELECT total_minor, paid_at FROM quotes
        WHERE business_id = $1 AND status IN ('PAID', 'REFUNDED') AND paid_at >= $2 AND paid_at <= $3`,
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
          kind: 'PAYMENT' as const,
          amount: amount(p.total_minor),
          at: new Date(p.paid_at),
        })),
        ...refunds.map((r) => ({
          kind: 'REFUND' as const,
          amount: amount(r.amount_minor),
          at: new Date(r.recorded_at),
        })),
      ],
      now,
      timeZone: business.timezone,
      days,
      currency: business.currency,
    });
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
  private readonly refundLoader = new BatchLoader<QuoteRefundRecord>(
    async (businessId, quoteIds) => {
      const rows = await this.db.manager.find(QuoteRefundRecord, {
        where: { businessId, quoteId: In([...quoteIds]) },
      });
      return new Map(rows.map((row) => [row.quoteId, row]));
    },
  );
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

  async refundOf(businessId: string, quoteId: string): Promise<RefundType | null> {
    const row = await this.refundLoader.load(businessId, quoteId);
    return row ? toRefundType(row) : null;
  }

  async findRefund(businessId: string, refundId: string): Promise<RefundType | null> {
    const row = await this.db.manager.findOne(QuoteRefundRecord, {
      where: { id: refundId, businessId },
    });
    return row ? toRefundType(row) : null;
  }

  /** The feed, oldest first; entries with the same instant in the order they were written. */
  async activity(businessId: string, quoteId: string): Promise<ActivityEventType[]> {
    const rows = (await this.activityLoader.load(businessId, quoteId)) ?? [];
    return rows.map((row) => ({
      id: row.id,
      at: row.at,
      kind: row.kind,
      actorName: row.actorName,
      message: row.message,
      reason: row.reason,
    }));
  }

  /** What /c/<token> shows: no caller, read-only, only that customer's quotes (never drafts). */
  async portal(token: string): Promise<PortalType | null> {
    const customer = await this.customers.findByPortalToken(token);
    if (!customer) return null;
    const business = await this.db.manager.findOne(Business, {
      where: { id: customer.businessId },
    });
    if (!business) return null;
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
    const refunds = quotes.some((q) => q.status === QuoteStatus.REFUNDED)
      ? await this.db.manager.find(QuoteRefundRecord, {
          where: { businessId: customer.businessId },
        })
      : [];
    const reasonOf = new Map(refunds.map((r) => [r.quoteId, r.reason]));
    return {
      businessName: business.name,
      customerName: customer.name,
      quotes: quotes.map((q) => ({
        number: q.number,
        status: q.status,
        total: toQuoteType(q).total,
        refundBanner: portalRefundBanner(q.status, reasonOf.get(q.id) ?? null, business.name),
      })),
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
      await this.decideAndApply(tx, caller, quote, rule);
      return quote.id;
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

  /** What the rules need, read under the quote's lock (the case is locked after the quote). */
  private async stateOf(tx: Transaction, quote: QuoteRecord): Promise<QuoteState> {
    const caseRows: Array<{ status: QuoteState['caseStatus'] }> = quote.caseId
      ? await tx.query(`SELECT status FROM cases WHERE id = $1 AND business_id = $2 FOR UPDATE`, [
          quote.caseId,
          quote.businessId,
        ])
      : [];
    const [last]: Array<{ at: Date | null }> = await tx.query(
      `SELECT max(at) AS at FROM quote_activity WHERE quote_id = $1`,
      [quote.id],
    );
    const [sent]: Array<{ n: string }> = await tx.query(
      `SELECT count(*) AS n FROM quote_follow_ups WHERE quote_id = $1 AND stage = $2 AND status = 'SENT'`,
      [quote.id, FollowUpStage.ACCEPTED],
    );
    return {
      status: quote.status,
      total: money(quote.totalMinor, quote.currency.trim() as CurrencyCode),
      paidAt: quote.paidAt,
      caseStatus: caseRows[0]?.status ?? null,
      lastActivityAt: last?.at ? new Date(last.at) : null,
      acceptedFollowUpsSent: Number(sent?.n ?? 0),
    };
  }

  private async decideAndApply(
    tx: Transaction,
    caller: Caller,
    quote: QuoteRecord,
    rule: Rule,
    extra?: (decision: QuoteDecision) => Promise<void>,
  ): Promise<void> {
    const state = await this.stateOf(tx, quote);
    const now = this.now();
    const decision = unwrap(rule(state, now));
    const { timestamps } = decision;
    await tx.update(
      QuoteRecord,
      { id: quote.id, businessId: quote.businessId },
      {
        status: decision.status,
        ...('sentAt' in timestamps ? { sentAt: timestamps.sentAt } : {}),
        ...('acceptedAt' in timestamps ? { acceptedAt: timestamps.acceptedAt } : {}),
        ...('paidAt' in timestamps ? { paidAt: timestamps.paidAt } : {}),
        ...('voidedAt' in timestamps ? { voidedAt: timestamps.voidedAt } : {}),
        ...('refundedAt' in timestamps ? { refundedAt: timestamps.refundedAt } : {}),
      },
    );
    if (decision.caseChange && quote.caseId) {
      await tx.update(
        CaseRecord,
        { id: quote.caseId, businessId: quote.businessId },
        {
          status: decision.caseChange.status,
          ...(decision.caseChange.dealValue
            ? { dealValueMinor: decision.caseChange.dealValue.minor }
            : {}),
          updatedAt: now,
        },
      );
    }
    await this.applyFollowUps(tx, quote, decision.followUps, now);
    if (extra) await extra(decision);
    await this.log(tx, caller, quote.id, decision.activity, quote.businessId);
  }

  private async applyFollowUps(
    tx: Transaction,
    quote: QuoteRecord,
    plan: FollowUpPlan,
    now: Date,
  ): Promise<void> {
    if (plan.cancelPending) {
      await tx.query(
        `UPDATE quote_follow_ups SET status = 'CANCELLED', cancelled_at = $2
          WHERE quote_id = $1 AND status = 'PENDING'`,
        [quote.id, now],
      );
    }
    if (plan.schedule.length > 0) {
      await tx.insert(
        QuoteFollowUpRecord,
        plan.schedule.map((nudge) => ({
          id: newId(),
          businessId: quote.businessId,
          quoteId: quote.id,
          stage: nudge.stage,
          sequence: nudge.sequence,
          dueAt: nudge.dueAt,
          status: 'PENDING' as const,
          sentAt: null,
          cancelledAt: null,
        })),
      );
    }
    if (plan.cancelPending || plan.schedule.length > 0) {
      const [pending]: Array<{ active: boolean }> = await tx.query(
        `SELECT EXISTS (SELECT 1 FROM quote_follow_ups WHERE quote_id = $1 AND status = 'PENDING') AS active`,
        [quote.id],
      );
      await tx.update(QuoteRecord, { id: quote.id }, { followUpsActive: Boolean(pending?.active) });
    }
  }

  private async log(
    tx: Transaction,
    caller: Caller,
    quoteId: string,
    entry: ActivityEntry,
    businessId = caller.businessId,
  ): Promise<void> {
    await tx.insert(QuoteActivityRecord, {
      id: newId(),
      businessId,
      quoteId,
      kind: entry.kind,
      at: entry.at,
      actorMemberId: caller.memberId,
      actorName: await this.actorName(tx, caller),
      message: entry.message,
      reason: entry.reason,
    });
  }

  private async actorName(tx: Transaction, caller: Caller): Promise<string | null> {
    if (caller.memberId) {
      const rows: Array<{ name: string }> = await tx.query(
        `SELECT name FROM members WHERE id = $1 AND business_id = $2`,
        [caller.memberId, caller.businessId],
      );
      return rows[0]?.name ?? null;
    }
    if (caller.apiKeyId) {
      const rows: Array<{ name: string }> = await tx.query(
        `SELECT name FROM api_keys WHERE id = $1 AND business_id = $2`,
        [caller.apiKeyId, caller.businessId],
      );
      return rows[0] ? `API key "${rows[0].name}"` : 'API key';
    }
    return null;
  }

  private async business(
    manager: Transaction,
    businessId: string,
  ): Promise<{ name: string; currency: CurrencyCode; timezone: string }> {
    const business = await manager.findOne(Business, { where: { id: businessId } });
    if (!business) throw new Error(`business ${businessId} is missing`);
    return {
      name: business.name,
      currency: business.currency.trim() as CurrencyCode,
      timezone: business.timezone,
    };
  }
}

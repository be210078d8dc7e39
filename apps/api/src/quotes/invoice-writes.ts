import {
  type ActivityEntry,
  type BusinessFormat,
  type CurrencyCode,
  type FollowUpPlan,
  FollowUpStage,
  type InvoiceLedger,
  invoiceBalances,
  localeForCountry,
  money,
  type QuoteDecision,
  type QuoteState,
  settlementByCredits,
  toDecimalString,
  EventType,
  QuoteStatus,
} from '@refunds/domain';
import type { Transaction } from '../platform/db/database';
import type { Caller } from '../platform/graphql/context';
import { newId } from '../platform/ids';
import { recordAudit } from '../audit/audit.recorder';
import { recordEvent } from '../outbound/event.recorder';
import {
  CaseRecord,
  QuoteActivityRecord,
  QuoteFollowUpRecord,
  QuoteRecord,
} from './quote.entities';
import { QuoteRollupChange, rollupState } from './quote-rollups';

/**
 * The writes every invoice use case shares — read the state under the quote's lock, apply a
 * decision of the rules — kept apart from QuoteService so that the accounts flow settles an
 * invoice through exactly the same code when its allocations pay it in full.
 */

/**
 * The invoice's three ledger sums (see packages/domain/ACCOUNTING.md), read under its lock:
 * payments and refunds from the totals kept on the quote row in the same transaction as their
 * entries (flat however many refunds it had), allocations summed (the accounts flow writes them;
 * an invoice has a few).
 */
export async function loadInvoiceLedger(
  tx: Transaction,
  quote: { id: string; businessId: string; currency: string },
): Promise<InvoiceLedger> {
  const [row]: Array<{ payments: string; allocated: string; refunded: string }> = await tx.query(
    `SELECT q.paid_minor AS payments, q.refunded_minor AS refunded,
            (SELECT COALESCE(SUM(amount_minor), 0)
               FROM account_allocations WHERE quote_id = $1 AND business_id = $2) AS allocated
       FROM quotes q WHERE q.id = $1 AND q.business_id = $2`,
    [quote.id, quote.businessId],
  );
  const currency = quote.currency.trim() as CurrencyCode;
  return {
    payments: money(BigInt(row?.payments ?? '0'), currency),
    allocated: money(BigInt(row?.allocated ?? '0'), currency),
    refunded: money(BigInt(row?.refunded ?? '0'), currency),
  };
}

export interface BusinessInfo extends BusinessFormat {
  readonly name: string;
  readonly country: string;
  readonly currency: CurrencyCode;
}

/** The business's name, currency, and how its people read money and days. */
export async function businessInfo(tx: Transaction, businessId: string): Promise<BusinessInfo> {
  const [row]: Array<{ name: string; currency: string; country: string; timezone: string }> =
    await tx.query(`SELECT name, currency, country, timezone FROM businesses WHERE id = $1`, [
      businessId,
    ]);
  if (!row) throw new Error(`business ${businessId} is missing`);
  return {
    name: row.name,
    country: row.country.trim(),
    currency: row.currency.trim() as CurrencyCode,
    locale: localeForCountry(row.country.trim()),
    timeZone: row.timezone,
  };
}

/**
 * recordRefund's view of an invoice under its lock: the quote row (with its kept ledger totals),
 * the business, the actor's name for the feed, and what the row does not hold (the linked case's
 * status, the feed's newest date, what credits allocated to it).
 */
export interface LockedInvoice {
  readonly quote: QuoteRecord;
  readonly business: BusinessInfo;
  readonly actorName: string | null;
  readonly fresh: {
    readonly caseStatus: QuoteState['caseStatus'];
    readonly lastActivityAt: Date | null;
    readonly allocatedMinor: bigint;
  };
}

/** The columns of quotes `q` and businesses `b` that lockedInvoice reads. */
export const LOCKED_INVOICE_COLUMNS = `q.id, q.business_id, q.customer_id, q.case_id, q.number,
  q.title, q.status, q.total_minor, q.currency, q.created_at, q.created_by, q.sent_at,
  q.accepted_at, q.paid_at, q.voided_at, q.refunded_at, q.follow_ups_active, q.paid_minor,
  q.refunded_minor, q.cash_allocated_minor, b.name AS business_name,
  b.currency AS business_currency, b.country AS business_country,
  b.timezone AS business_timezone`;

/** What is read beside the quote's row, once its lock (and its case's) is held. */
export interface AfterRefundLockRow {
  case_status: string | null;
  last_at: Date | string | null;
  allocated: string | null;
}

/** A row of LOCKED_INVOICE_COLUMNS and the facts read after the lock, as a LockedInvoice. */
export function lockedInvoice(
  row: Record<string, unknown>,
  after: AfterRefundLockRow,
  actorName: string | null,
): LockedInvoice {
  const instant = (value: unknown): Date | null =>
    value === null || value === undefined ? null : new Date(value as string);
  const quote = Object.assign(new QuoteRecord(), {
    id: row.id as string,
    businessId: row.business_id as string,
    customerId: row.customer_id as string,
    caseId: (row.case_id as string | null) ?? null,
    number: row.number as string,
    title: (row.title as string | null) ?? null,
    status: row.status as QuoteStatus,
    totalMinor: BigInt(row.total_minor as string),
    currency: row.currency as string,
    createdAt: instant(row.created_at)!,
    createdBy: (row.created_by as string | null) ?? null,
    sentAt: instant(row.sent_at),
    acceptedAt: instant(row.accepted_at),
    paidAt: instant(row.paid_at),
    voidedAt: instant(row.voided_at),
    refundedAt: instant(row.refunded_at),
    followUpsActive: Boolean(row.follow_ups_active),
    paidMinor: BigInt(row.paid_minor as string),
    refundedMinor: BigInt(row.refunded_minor as string),
    cashAllocatedMinor: BigInt(row.cash_allocated_minor as string),
  });
  const country = String(row.business_country).trim();
  return {
    quote,
    business: {
      name: row.business_name as string,
      country,
      currency: String(row.business_currency).trim() as CurrencyCode,
      locale: localeForCountry(country),
      timeZone: row.business_timezone as string,
    },
    actorName,
    fresh: {
      caseStatus: (after.case_status ?? null) as QuoteState['caseStatus'],
      lastActivityAt: after.last_at ? new Date(after.last_at) : null,
      allocatedMinor: BigInt(after.allocated ?? '0'),
    },
  };
}

/** The feed's name for an actor: the member's name, or the API key's. */
export function actorNameOf(
  actor: { readonly memberId?: string | null; readonly apiKeyId?: string | null },
  memberName: string | null,
  apiKeyName: string | null,
): string | null {
  if (actor.memberId) return memberName;
  if (actor.apiKeyId) return apiKeyName ? `API key "${apiKeyName}"` : 'API key';
  return null;
}

/** What the rules need, read under the quote's lock (the case is locked after the quote). */
export async function quoteState(tx: Transaction, quote: QuoteRecord): Promise<QuoteState> {
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
  const business = await businessInfo(tx, quote.businessId);
  return {
    status: quote.status,
    total: money(quote.totalMinor, quote.currency.trim() as CurrencyCode),
    paidAt: quote.paidAt,
    caseStatus: caseRows[0]?.status ?? null,
    lastActivityAt: last?.at ? new Date(last.at) : null,
    acceptedFollowUpsSent: Number(sent?.n ?? 0),
    ledger: await loadInvoiceLedger(tx, quote),
    format: { locale: business.locale, timeZone: business.timeZone },
  };
}

/**
 * Writes all of a decision: status and timestamps (and the kept ledger totals the use case moved),
 * the case, the follow-ups, the feed. The quote's move between statuses goes into `rollups`, which
 * the use case writes just before its event.
 */
export async function applyQuoteDecision(
  tx: Transaction,
  caller: Caller | null,
  quote: QuoteRecord,
  decision: QuoteDecision,
  now: Date,
  rollups: QuoteRollupChange,
  kept: { paid?: bigint } = {},
): Promise<void> {
  const { timestamps } = decision;
  const before = rollupState(quote);
  const after = rollupState({
    ...quote,
    status: decision.status,
    acceptedAt: 'acceptedAt' in timestamps ? (timestamps.acceptedAt ?? null) : quote.acceptedAt,
  });
  rollups.quote(before, after);
  // Account payments allocated to the invoice count in revenue while it is an invoice: one that
  // stops being one (a void) takes them back out, on their own dates, as revenue read them.
  const releasesCash = isInvoice(before.status) && !isInvoice(after.status);
  if (releasesCash && quote.cashAllocatedMinor > 0n) {
    const allocations: Array<{ amount_minor: string; created_at: Date }> = await tx.query(
      `SELECT a.amount_minor, a.created_at FROM account_allocations a
         JOIN account_credits c ON c.id = a.credit_id AND c.kind = 'PAYMENT'
        WHERE a.quote_id = $1 AND a.business_id = $2`,
      [quote.id, quote.businessId],
    );
    rollups.revenue(
      allocations.map((a) => ({
        kind: 'PAYMENT' as const,
        amount: money(BigInt(a.amount_minor), rollups.currency),
        at: new Date(a.created_at),
      })),
      { undo: true },
    );
  }
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
      ...(kept.paid ? { paidMinor: () => `paid_minor + (${String(kept.paid)})` } : {}),
      ...(releasesCash ? { cashAllocatedMinor: 0n } : {}),
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
  await applyFollowUps(tx, quote, decision.followUps, now);
  await logActivity(tx, caller, quote.businessId, quote.id, decision.activity);
}

/** Statuses in which a quote is an invoice (the accounts flow's INVOICE_STATUSES_SQL). */
const isInvoice = (status: QuoteStatus): boolean =>
  status === QuoteStatus.ACCEPTED || status === QuoteStatus.PAID || status === QuoteStatus.REFUNDED;

async function applyFollowUps(
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

export async function logActivity(
  tx: Transaction,
  caller: Caller | null,
  businessId: string,
  quoteId: string,
  entry: ActivityEntry,
): Promise<void> {
  await tx.insert(QuoteActivityRecord, {
    id: newId(),
    businessId,
    quoteId,
    kind: entry.kind,
    at: entry.at,
    actorMemberId: caller?.memberId ?? null,
    actorName: caller ? await actorName(tx, caller) : null,
    message: entry.message,
    reason: entry.reason,
  });
}

async function actorName(tx: Transaction, caller: Caller): Promise<string | null> {
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

/**
 * The "any route" half of the settlement rule, for the accounts flow: after an allocation to an
 * invoice (whose row the caller already holds locked), an invoice that no longer owes anything
 * becomes PAID exactly as Mark paid would make it — case won, nudges stopped, dated now.
 *
 * Every allocation to an invoice is followed by this call in the same transaction, so it is also
 * where an account payment allocated to the invoice enters revenue (cash basis: on the day it is
 * allocated, `now`) and the invoice's kept `cash_allocated_minor` follows.
 */
export async function settleInvoiceIfPaidInFull(
  tx: Transaction,
  caller: Caller,
  quoteId: string,
  now: Date,
): Promise<void> {
  const quote = await tx.findOne(QuoteRecord, {
    where: { id: quoteId, businessId: caller.businessId },
    lock: { mode: 'pessimistic_write' },
  });
  if (!quote) return;
  const state = await quoteState(tx, quote);
  const rollups = new QuoteRollupChange(
    quote.businessId,
    state.format!.timeZone,
    state.total.currency,
    quote.id,
  );
  const [cash]: Array<{ minor: string }> = await tx.query(
    `SELECT COALESCE(SUM(a.amount_minor), 0) AS minor FROM account_allocations a
       JOIN account_credits c ON c.id = a.credit_id AND c.kind = 'PAYMENT'
      WHERE a.quote_id = $1 AND a.business_id = $2`,
    [quote.id, quote.businessId],
  );
  const cashAllocated = BigInt(cash?.minor ?? '0');
  const newCash = cashAllocated - quote.cashAllocatedMinor;
  if (newCash !== 0n) {
    rollups.revenue([{ kind: 'PAYMENT', amount: money(newCash, state.total.currency), at: now }]);
    await tx.update(
      QuoteRecord,
      { id: quote.id, businessId: quote.businessId },
      { cashAllocatedMinor: cashAllocated },
    );
  }
  const decision = settlementByCredits({
    status: state.status,
    total: state.total,
    ledger: state.ledger!,
    caseStatus: state.caseStatus,
    at: now,
    format: state.format,
  });
  if (!decision) {
    await rollups.write(tx);
    return;
  }
  await applyQuoteDecision(tx, caller, quote, decision, now, rollups);
  const balances = invoiceBalances(state.total, state.ledger!);
  await recordAudit(tx, {
    businessId: quote.businessId,
    actor: caller,
    action: 'INVOICE_SETTLED',
    subjectType: 'Quote',
    subjectId: quote.id,
    changes: [
      { field: 'status', before: state.status, after: decision.status },
      { field: 'outstanding', before: null, after: toDecimalString(balances.outstanding) },
    ],
    at: now,
  });
  await rollups.write(tx);
  await recordEvent(tx, {
    businessId: quote.businessId,
    type: EventType.QUOTE_PAID,
    actor: caller,
    at: now,
    subjects: { quoteId: quote.id, customerId: quote.customerId },
    amounts: { total: state.total },
    data: {
      number: quote.number,
      status: decision.status,
      previousStatus: state.status,
      settledBy: 'credits',
    },
  });
}

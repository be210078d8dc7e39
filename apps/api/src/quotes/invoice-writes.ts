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

/**
 * The writes every invoice use case shares — read the state under the quote's lock, apply a
 * decision of the rules — kept apart from QuoteService so that the accounts flow settles an
 * invoice through exactly the same code when its allocations pay it in full.
 */

/** The invoice's three ledger sums (see packages/domain/ACCOUNTING.md), read under its lock. */
export async function loadInvoiceLedger(
  tx: Transaction,
  quote: { id: string; businessId: string; currency: string },
): Promise<InvoiceLedger> {
  const [row]: Array<{ payments: string; allocated: string; refunded: string }> = await tx.query(
    `SELECT
       (SELECT COALESCE(SUM(CASE kind WHEN 'PAYMENT' THEN amount_minor ELSE -amount_minor END), 0)
          FROM quote_payments WHERE quote_id = $1 AND business_id = $2) AS payments,
       (SELECT COALESCE(SUM(amount_minor), 0)
          FROM account_allocations WHERE quote_id = $1 AND business_id = $2) AS allocated,
       (SELECT COALESCE(SUM(amount_minor), 0)
          FROM quote_refunds WHERE quote_id = $1 AND business_id = $2) AS refunded`,
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

/** Writes all of a decision: status and timestamps, the case, the follow-ups, the feed. */
export async function applyQuoteDecision(
  tx: Transaction,
  caller: Caller | null,
  quote: QuoteRecord,
  decision: QuoteDecision,
  now: Date,
): Promise<void> {
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
  await applyFollowUps(tx, quote, decision.followUps, now);
  await logActivity(tx, caller, quote.businessId, quote.id, decision.activity);
}

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
  const decision = settlementByCredits({
    status: state.status,
    total: state.total,
    ledger: state.ledger!,
    caseStatus: state.caseStatus,
    at: now,
    format: state.format,
  });
  if (!decision) return;
  await applyQuoteDecision(tx, caller, quote, decision, now);
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

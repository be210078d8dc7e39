import { DomainError, type Money } from '@refunds/domain';
import { auditBatchInsertSql } from '../audit/audit.recorder';
import {
  type EventRecord,
  eventBatchCtes,
  eventBatchRow,
  prepareEvent,
} from '../outbound/event.recorder';
import {
  type BatchAnswer,
  batchKeys,
  claimedKeys,
  claimKeysStatement,
  columns,
  commitTracked,
  keyId,
  releaseKeys,
  responseRow,
  responsesCte,
} from '../platform/db/batch-sql';
import type { Database } from '../platform/db/database';
import { sqlAll } from '../platform/db/statements';
import type { IdempotencyKeyRow } from '../platform/idempotency';
import { isUuid } from '../platform/ids';
import { invoiceRefundBatchAlone, invoiceRefundBatchSize } from '../platform/observability/metrics';
import {
  type AfterRefundLockRow,
  actorNameOf,
  type LockedInvoice,
  LOCKED_INVOICE_COLUMNS,
  lockedInvoice,
} from './invoice-writes';
import { type QuoteRollupChange, revenueSlot } from './quote-rollups';
import type { QuoteType, RefundType } from './quote.types';

/**
 * The invoice refund group commit: several recordRefund use cases written in one transaction, in
 * the order they arrived, each with exactly the rows it would write alone (the quote's status and
 * kept refunded total, the case, the follow-ups, the feed entry, the refund and with it the
 * statement lines, the audit entry, the kept rollups, the event and its webhook jobs, the stored
 * response). Two round trips whatever its size, as in the credit batch (credit.batch.ts):
 *
 *   1. the keys claimed, the quotes locked in id order, then their cases in id order (the lone
 *      path locks a quote, then its case: every quote before any case keeps one order), then
 *      what the rule needs beside the rows (the feed's newest date, the allocations, the actors'
 *      names), read once the locks are held;
 *   2. in Node, each use case's rule on the invoice as the batch's earlier refunds of it left it;
 *      then one set-based statement writes everything, COMMIT behind it.
 *
 * What the batch cannot answer as the use case alone would (its key already taken or repeated
 * in the batch, its quote not found) is answered `alone`; a refusal is that use case's answer.
 */

/** One recordRefund in a batch: whose quote it locks, and its rule under the lock. */
export interface BatchedInvoiceRefund {
  readonly businessId: string;
  readonly key: IdempotencyKeyRow | null;
  readonly quoteId: string;
  readonly actor: { readonly memberId: string | null; readonly apiKeyId: string | null };
  /** The rule and everything the refund writes, given the invoice as the batch has it so far. */
  readonly prepare: (locked: LockedInvoice) => PreparedInvoiceRefund;
}

/** Everything one invoice refund writes (alone or in a batch), and what it answers. */
export interface PreparedInvoiceRefund {
  readonly quote: {
    readonly id: string;
    readonly businessId: string;
    readonly status: string;
    readonly refundedAt: Date | null;
    readonly refundedChange: bigint;
    readonly cancelFollowUps: boolean;
  };
  readonly caseChange: { readonly id: string; readonly status: string; readonly at: Date } | null;
  /** When the pending follow-ups are cancelled; null when they are left alone. */
  readonly followUpsCancelledAt: Date | null;
  /** The feed entry: id, business, quote, kind, at, member, actor name, message, reason. */
  readonly activity: readonly unknown[];
  /** The refund: id, business, quote, amount, currency, reason, category, recorded at and by. */
  readonly refund: readonly unknown[];
  /** auditValues' 11. */
  readonly audit: readonly unknown[];
  readonly rollups: QuoteRollupChange;
  readonly event: EventRecord | null;
  /** What the idempotency key stores. */
  readonly result: { readonly quoteId: string; readonly refundId: string };
  /** The amount refunded (for the customer's notice). */
  readonly amount: Money;
  /** The mutation's answer, built from what the refund wrote. */
  readonly payload: { readonly refund: RefundType; readonly quote: QuoteType };
  /** The invoice as this refund leaves it, for the batch's later refunds of it. */
  readonly after: LockedInvoice;
}

export type InvoiceRefundAnswer = BatchAnswer<PreparedInvoiceRefund>;

const ALONE: InvoiceRefundAnswer = { kind: 'alone' };

const LOCK_QUOTES = `
  SELECT ${LOCKED_INVOICE_COLUMNS}
    FROM quotes q
    JOIN businesses b ON b.id = q.business_id
   WHERE q.id = ANY ($1::uuid[]) AND q.business_id = ANY ($2::uuid[])
   ORDER BY q.id
     FOR UPDATE OF q`;

const LOCK_CASES = `
  SELECT c.id, c.status FROM cases c
   WHERE c.id = ANY (ARRAY(SELECT q.case_id FROM quotes q
                            WHERE q.id = ANY ($1::uuid[]) AND q.business_id = ANY ($2::uuid[])))
     AND c.business_id = ANY ($2::uuid[])
   ORDER BY c.id
     FOR UPDATE OF c`;

/** Per quote: the feed's newest date and what credits allocated to it (see AFTER_REFUND_LOCK). */
const AFTER_LOCKS = `
  SELECT q.id,
         (SELECT max(at) FROM quote_activity a WHERE a.quote_id = q.id) AS last_at,
         (SELECT COALESCE(SUM(al.amount_minor), 0) FROM account_allocations al
           WHERE al.quote_id = q.id AND al.business_id = q.business_id) AS allocated
    FROM quotes q
   WHERE q.id = ANY ($1::uuid[]) AND q.business_id = ANY ($2::uuid[])`;

/** The names the feed gives the batch's actors. */
const ACTOR_NAMES = `
  SELECT 'member' AS kind, id, business_id, name FROM members
   WHERE id = ANY ($1::uuid[]) AND business_id = ANY ($3::uuid[])
  UNION ALL
  SELECT 'key', id, business_id, name FROM api_keys
   WHERE id = ANY ($2::uuid[]) AND business_id = ANY ($3::uuid[])`;

/**
 * The batch's own rows. The quotes, cases and follow-ups are updated joined to arrays of one row
 * each (aggregated in Node: an UPDATE may not change a row twice), found through `= ANY` so that
 * the lookup is an index scan whatever the tables' statistics. The refunds go in one INSERT, so
 * the statement lines follow in one call of its trigger.
 */
const WRITE_ENTRIES = `
  WITH quote_change AS (
    UPDATE quotes q
       SET status = u.status, refunded_at = COALESCE(u.refunded_at, q.refunded_at),
           refunded_minor = q.refunded_minor + u.refunded_change,
           follow_ups_active = q.follow_ups_active AND NOT u.cancel_follow_ups
      FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::bigint[],
                  $6::boolean[])
        AS u(id, business_id, status, refunded_at, refunded_change, cancel_follow_ups)
     WHERE q.id = ANY ($1::uuid[]) AND q.id = u.id AND q.business_id = u.business_id
  ), case_change AS (
    UPDATE cases c SET status = u.status, updated_at = u.at
      FROM unnest($7::uuid[], $8::uuid[], $9::text[], $10::timestamptz[])
        AS u(id, business_id, status, at)
     WHERE c.id = ANY ($7::uuid[]) AND c.id = u.id AND c.business_id = u.business_id
  ), follow_ups AS (
    UPDATE quote_follow_ups f SET status = 'CANCELLED', cancelled_at = u.at
      FROM unnest($11::uuid[], $12::timestamptz[]) AS u(quote_id, at)
     WHERE f.quote_id = ANY ($11::uuid[]) AND f.quote_id = u.quote_id AND f.status = 'PENDING'
  ), activity AS (
    INSERT INTO quote_activity
      (id, business_id, quote_id, kind, at, actor_member_id, actor_name, message, reason)
    SELECT id, business_id, quote_id, kind, at, actor_member_id, actor_name, message, reason
      FROM unnest($13::uuid[], $14::uuid[], $15::uuid[], $16::text[], $17::timestamptz[],
                  $18::uuid[], $19::text[], $20::text[], $21::text[]) WITH ORDINALITY
        AS a(id, business_id, quote_id, kind, at, actor_member_id, actor_name, message, reason,
             ord)
     ORDER BY ord
  ), refund AS (
    INSERT INTO quote_refunds (id, business_id, quote_id, amount_minor, currency, reason,
                               reason_category, recorded_at, recorded_by)
    SELECT id, business_id, quote_id, amount_minor, currency, reason, reason_category,
           recorded_at, recorded_by
      FROM unnest($22::uuid[], $23::uuid[], $24::uuid[], $25::bigint[], $26::text[], $27::text[],
                  $28::text[], $29::timestamptz[], $30::uuid[]) WITH ORDINALITY
        AS r(id, business_id, quote_id, amount_minor, currency, reason, reason_category,
             recorded_at, recorded_by, ord)
     ORDER BY ord
  ), audit AS (${auditBatchInsertSql(31)}
  )
  SELECT 1 AS written`;

/**
 * Then, in the same round trip, the shared rows: the rollups (summed per row in Node), the event
 * counters, the events and their webhook jobs, the stored responses. A statement of its own, so
 * that the refunds' statement lines (their trigger runs at the end of WRITE_ENTRIES) lock the
 * customers' balances before these rows, as the lone path does: status counts, months, days,
 * then the event counters.
 */
const WRITE_TOTALS = `
  WITH status_counts AS (
    INSERT INTO quote_status_counts (business_id, status, quotes)
    SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[]) AS t(business_id, status, n)
     ORDER BY business_id, status COLLATE "C"
    ON CONFLICT (business_id, status)
    DO UPDATE SET quotes = quote_status_counts.quotes + EXCLUDED.quotes
  ), invoiced_months AS (
    INSERT INTO quote_invoiced_months (business_id, month, invoiced_minor)
    SELECT * FROM unnest($4::uuid[], $5::text[], $6::bigint[]) AS t(business_id, month, n)
     ORDER BY business_id, month COLLATE "C"
    ON CONFLICT (business_id, month)
    DO UPDATE SET invoiced_minor = quote_invoiced_months.invoiced_minor + EXCLUDED.invoiced_minor
  ), revenue_days AS (
    INSERT INTO quote_revenue_days (business_id, day, slot, received_minor, refunded_minor)
    SELECT business_id, day::date, slot, received, refunded
      FROM unnest($7::uuid[], $8::text[], $9::smallint[], $10::bigint[], $11::bigint[])
        AS t(business_id, day, slot, received, refunded)
     ORDER BY business_id, day COLLATE "C", slot
    ON CONFLICT (business_id, day, slot) DO UPDATE SET
      received_minor = quote_revenue_days.received_minor + EXCLUDED.received_minor,
      refunded_minor = quote_revenue_days.refunded_minor + EXCLUDED.refunded_minor
  ), ${eventBatchCtes(12)}, response AS (${responsesCte(22)}
  )
  SELECT 1 AS written`;

/**
 * Writes a batch of invoice refunds in one transaction (see above) and answers each, in order.
 * A failure of the transaction itself (after its retries) rejects; the caller runs each use
 * case alone then.
 */
export async function writeInvoiceRefundBatch(
  db: Database,
  useCases: readonly BatchedInvoiceRefund[],
): Promise<InvoiceRefundAnswer[]> {
  invoiceRefundBatchSize.observe(useCases.length);
  return commitTracked((progress) => writeBatch(db, useCases, progress));
}

async function writeBatch(
  db: Database,
  useCases: readonly BatchedInvoiceRefund[],
  progress: { commitSent: boolean },
): Promise<InvoiceRefundAnswer[]> {
  return db.transaction(async (tx) => {
    progress.commitSent = false; // a retried attempt starts again
    const answers: InvoiceRefundAnswer[] = useCases.map(() => ALONE);
    const alone = (reason: string) => invoiceRefundBatchAlone.inc({ reason });
    const { rows: keyRows, repeats } = batchKeys(useCases.map((useCase) => useCase.key));
    const quoteIds = [...new Set(useCases.map((u) => u.quoteId).filter(isUuid))];
    const businessIds = [...new Set(useCases.map((useCase) => useCase.businessId))];
    const memberIds = [...new Set(useCases.flatMap((u) => u.actor.memberId ?? []))];
    const apiKeyIds = [...new Set(useCases.flatMap((u) => u.actor.apiKeyId ?? []))];

    // Round trip 1: BEGIN, the claims, the quotes' then the cases' locks, and what the rule
    // needs beside them (statements of their own: their snapshots are taken once the locks are
    // held).
    const lockValues = [quoteIds, businessIds];
    const results = await sqlAll(tx, [
      ...(keyRows.length > 0 ? [claimKeysStatement('invoiceRefundBatchClaimKeys', keyRows)] : []),
      { name: 'invoiceRefundBatchLockQuotes', text: LOCK_QUOTES, values: lockValues },
      { name: 'invoiceRefundBatchLockCases', text: LOCK_CASES, values: lockValues },
      { name: 'invoiceRefundBatchAfterLocks', text: AFTER_LOCKS, values: lockValues },
      {
        name: 'invoiceRefundBatchActorNames',
        text: ACTOR_NAMES,
        values: [memberIds, apiKeyIds, businessIds],
      },
    ]);
    const claimed = claimedKeys(
      (keyRows.length > 0 ? results.shift()! : []) as Array<{ business_id: string; key: string }>,
    );
    const [quoteRows, caseRows, afterRows, nameRows] = results as [
      Array<Record<string, unknown>>,
      Array<{ id: string; status: string }>,
      Array<AfterRefundLockRow & { id: string }>,
      Array<{ kind: string; id: string; business_id: string; name: string }>,
    ];
    const caseStatus = new Map(caseRows.map((row) => [row.id, row.status]));
    const after = new Map(afterRows.map((row) => [row.id, row]));
    const names = new Map(nameRows.map((row) => [`${row.kind}/${row.id}`, row]));
    // Each quote as the batch's refunds so far leave it (without the actor's name: per use case).
    const invoices = new Map<string, LockedInvoice>();
    for (const row of quoteRows) {
      const caseId = row.case_id as string | null;
      const facts = after.get(row.id as string)!;
      invoices.set(
        row.id as string,
        lockedInvoice(
          row,
          { ...facts, case_status: caseId ? (caseStatus.get(caseId) ?? null) : null },
          null,
        ),
      );
    }

    // In Node: each use case's rule, on its invoice as the earlier ones left it.
    const written: Array<{ index: number; prepared: PreparedInvoiceRefund }> = [];
    const released: IdempotencyKeyRow[] = [];
    useCases.forEach((useCase, i) => {
      const { key, businessId, actor } = useCase;
      if (key && repeats.has(i)) return alone('repeated key');
      if (key && !claimed.has(keyId(key))) return alone('key taken');
      const invoice = invoices.get(useCase.quoteId);
      if (!invoice || invoice.quote.businessId !== businessId) {
        if (key) released.push(key);
        return alone('no quote'); // NOT_FOUND, from the lone path
      }
      const name = (kind: string, id: string | null) => {
        const row = id ? names.get(`${kind}/${id}`) : undefined;
        return row && row.business_id === businessId ? row.name : null;
      };
      const actorName = actorNameOf(
        actor,
        name('member', actor.memberId),
        name('key', actor.apiKeyId),
      );
      let prepared: PreparedInvoiceRefund;
      try {
        prepared = useCase.prepare({ ...invoice, actorName });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        answers[i] = { kind: 'refused', error };
        if (key) released.push(key);
        return;
      }
      invoices.set(useCase.quoteId, prepared.after);
      written.push({ index: i, prepared });
    });
    await releaseKeys(tx, released);
    if (written.length === 0) return answers;

    // Round trip 2: everything written in one statement, COMMIT behind it.
    progress.commitSent = true;
    const values = writeValues(useCases, written);
    await sqlAll(
      tx,
      [
        { name: 'invoiceRefundBatchEntries', text: WRITE_ENTRIES, values: values.entries },
        { name: 'invoiceRefundBatchTotals', text: WRITE_TOTALS, values: values.totals },
      ],
      { commit: true },
    );
    for (const { index, prepared } of written)
      answers[index] = { kind: 'written', written: prepared };
    return answers;
  });
}

/** The parameters of WRITE_ENTRIES and WRITE_TOTALS: each row changed once, new rows in order. */
function writeValues(
  useCases: readonly BatchedInvoiceRefund[],
  written: ReadonlyArray<{ index: number; prepared: PreparedInvoiceRefund }>,
): { entries: unknown[]; totals: unknown[] } {
  const quotes = new Map<
    string,
    {
      change: PreparedInvoiceRefund['quote'];
      refunded: bigint;
      cancel: boolean;
      refundedAt: Date | null;
    }
  >();
  const cases = new Map<
    string,
    NonNullable<PreparedInvoiceRefund['caseChange']> & { businessId: string }
  >();
  const followUps = new Map<string, Date>();
  // Rollup rows by their key (business, status / month / day and slot): summed deltas.
  const statusCounts = new Map<string, { businessId: string; status: string; n: bigint }>();
  const months = new Map<string, { businessId: string; month: string; n: bigint }>();
  const days = new Map<
    string,
    { businessId: string; day: string; slot: number; received: bigint; refunded: bigint }
  >();
  for (const { prepared } of written) {
    const q = prepared.quote;
    const was = quotes.get(q.id);
    // The last refund's status, every refund's amount; a refund that cancels the follow-ups or
    // dates the full refund does so for the quote.
    quotes.set(q.id, {
      change: q,
      refunded: (was?.refunded ?? 0n) + q.refundedChange,
      cancel: (was?.cancel ?? false) || q.cancelFollowUps,
      refundedAt: q.refundedAt ?? was?.refundedAt ?? null,
    });
    if (prepared.caseChange) {
      cases.set(prepared.caseChange.id, { ...prepared.caseChange, businessId: q.businessId });
    }
    if (prepared.followUpsCancelledAt && !followUps.has(q.id)) {
      followUps.set(q.id, prepared.followUpsCancelledAt);
    }
    const deltas = prepared.rollups.deltas();
    const businessId = q.businessId;
    for (const [status, n] of deltas.statusCounts) {
      const row = statusCounts.get(`${businessId}/${status}`) ?? { businessId, status, n: 0n };
      statusCounts.set(`${businessId}/${status}`, { ...row, n: row.n + BigInt(n) });
    }
    for (const [month, n] of deltas.invoicedMonths) {
      const row = months.get(`${businessId}/${month}`) ?? { businessId, month, n: 0n };
      months.set(`${businessId}/${month}`, { ...row, n: row.n + n });
    }
    const slot = revenueSlot(q.id);
    for (const [day, change] of deltas.revenueDays) {
      const id = `${businessId}/${day}/${slot}`;
      const row = days.get(id) ?? { businessId, day, slot, received: 0n, refunded: 0n };
      days.set(id, {
        ...row,
        received: row.received + change.received,
        refunded: row.refunded + change.refunded,
      });
    }
  }
  const events = written.flatMap(({ prepared }) =>
    prepared.event ? [eventBatchRow(prepareEvent(prepared.event).values)] : [],
  );
  const responses = written.flatMap(({ index, prepared }) => {
    const key = useCases[index]!.key;
    return key ? [responseRow(key, prepared.result)] : [];
  });
  const text = (n: bigint) => n.toString();
  const entries = [
    ...columns(
      [...quotes.values()].map((q) => [
        q.change.id,
        q.change.businessId,
        q.change.status,
        q.refundedAt,
        text(q.refunded),
        q.cancel,
      ]),
      6,
    ),
    ...columns(
      [...cases.values()].map((c) => [c.id, c.businessId, c.status, c.at]),
      4,
    ),
    ...columns(
      [...followUps].map(([quoteId, at]) => [quoteId, at]),
      2,
    ),
    ...columns(
      written.map(({ prepared }) => prepared.activity),
      9,
    ),
    ...columns(
      written.map(({ prepared }) => prepared.refund),
      9,
    ),
    ...columns(
      written.map(({ prepared }) => prepared.audit),
      11,
    ),
  ];
  const totals = [
    ...columns(
      [...statusCounts.values()]
        .filter((row) => row.n !== 0n)
        .map((row) => [row.businessId, row.status, text(row.n)]),
      3,
    ),
    ...columns(
      [...months.values()]
        .filter((row) => row.n !== 0n)
        .map((row) => [row.businessId, row.month, text(row.n)]),
      3,
    ),
    ...columns(
      [...days.values()]
        .filter((row) => row.received !== 0n || row.refunded !== 0n)
        .map((row) => [row.businessId, row.day, row.slot, text(row.received), text(row.refunded)]),
      5,
    ),
    ...columns(events, 10),
    ...columns(responses, 6),
  ];
  return { entries, totals };
}

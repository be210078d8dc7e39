import {
  type CurrencyCode,
  type MoneyMovement,
  type QuoteRollupState,
  type QuoteStatsDelta,
  type QuoteStatus,
  type RevenueDayDelta,
  money,
  quoteStatsDelta,
  revenueDayDeltas,
} from '@refunds/domain';
import type { Transaction } from '../platform/db/database';
import { sqlAll, type Statement } from '../platform/db/statements';

/**
 * The quotes flow's kept totals (migration 1795410100000): per-status counts, invoiced per month
 * and revenue per business-local day. Every use case that changes what they sum collects its
 * change here and writes it with `write`, just before its event: the rows are shared by every
 * writer of the business, so they are locked as late as the transaction allows (only the event
 * counter, the idempotency record and COMMIT follow). Within the write the rows are locked in a
 * fixed order — counts by status, then months, then days by date — so two writers never deadlock.
 */
export class QuoteRollupChange {
  private statusCounts = new Map<QuoteStatus, number>();
  private invoicedMonths = new Map<string, bigint>();
  private revenueDays = new Map<string, { received: bigint; refunded: bigint }>();

  constructor(
    readonly businessId: string,
    readonly timeZone: string,
    readonly currency: CurrencyCode,
    /** The quote whose change this is: picks its revenue slot. */
    readonly quoteId: string,
  ) {}

  /** A quote created (`before` null) or changed. */
  quote(before: QuoteRollupState | null, after: QuoteRollupState): this {
    return this.stats(quoteStatsDelta(before, after, this.timeZone));
  }

  stats(delta: QuoteStatsDelta): this {
    for (const { status, delta: n } of delta.statusCounts) {
      this.statusCounts.set(status, (this.statusCounts.get(status) ?? 0) + n);
    }
    for (const { month, delta: amount } of delta.invoicedMonths) {
      this.invoicedMonths.set(month, (this.invoicedMonths.get(month) ?? 0n) + amount.minor);
    }
    return this;
  }

  /** Cash movements (payments, reversals, refunds) on their business-local days. */
  revenue(movements: readonly MoneyMovement[], options: { undo?: boolean } = {}): this {
    for (const day of revenueDayDeltas(movements, this.timeZone, this.currency, options)) {
      this.addDay(day);
    }
    return this;
  }

  private addDay(day: RevenueDayDelta): void {
    const was = this.revenueDays.get(day.date) ?? { received: 0n, refunded: 0n };
    this.revenueDays.set(day.date, {
      received: was.received + day.received.minor,
      refunded: was.refunded + day.refunded.minor,
    });
  }

  /** Writes the change: at most three statements, none when nothing moved. */
  async write(tx: Transaction): Promise<void> {
    await sqlAll(tx, this.statements());
  }

  /** What was collected, without the rows that net to nothing, each list in its lock order. */
  deltas(): {
    statusCounts: Array<[QuoteStatus, number]>;
    invoicedMonths: Array<[string, bigint]>;
    revenueDays: Array<[string, { received: bigint; refunded: bigint }]>;
  } {
    const byKey = <K extends string>([a]: [K, unknown], [b]: [K, unknown]) =>
      a < b ? -1 : a > b ? 1 : 0;
    return {
      statusCounts: [...this.statusCounts].filter(([, n]) => n !== 0).sort(byKey),
      invoicedMonths: [...this.invoicedMonths].filter(([, n]) => n !== 0n).sort(byKey),
      revenueDays: [...this.revenueDays]
        .filter(([, d]) => d.received !== 0n || d.refunded !== 0n)
        .sort(byKey),
    };
  }

  /** The upserts of what was collected (none when nothing changed), in the lock order; clears. */
  statements(): Statement[] {
    const statements: Statement[] = [];
    const { statusCounts: counts, invoicedMonths: months, revenueDays: days } = this.deltas();
    if (counts.length > 0) {
      statements.push({
        name: 'quotes.rollups.statusCounts',
        text: `INSERT INTO quote_status_counts (business_id, status, quotes)
         SELECT $1::uuid, t.status, t.n FROM unnest($2::text[], $3::bigint[]) WITH ORDINALITY AS t(status, n, i)
          ORDER BY t.i
         ON CONFLICT (business_id, status)
         DO UPDATE SET quotes = quote_status_counts.quotes + EXCLUDED.quotes`,
        values: [this.businessId, counts.map(([s]) => s), counts.map(([, n]) => String(n))],
      });
    }
    if (months.length > 0) {
      statements.push({
        name: 'quotes.rollups.invoicedMonths',
        text: `INSERT INTO quote_invoiced_months (business_id, month, invoiced_minor)
         SELECT $1::uuid, t.month, t.n FROM unnest($2::text[], $3::bigint[]) WITH ORDINALITY AS t(month, n, i)
          ORDER BY t.i
         ON CONFLICT (business_id, month)
         DO UPDATE SET invoiced_minor = quote_invoiced_months.invoiced_minor + EXCLUDED.invoiced_minor`,
        values: [this.businessId, months.map(([m]) => m), months.map(([, n]) => String(n))],
      });
    }
    if (days.length > 0) {
      statements.push({
        name: 'quotes.rollups.revenueDays',
        text: `INSERT INTO quote_revenue_days (business_id, day, slot, received_minor, refunded_minor)
         SELECT $1::uuid, t.day::date, $2::smallint, t.received, t.refunded
           FROM unnest($3::text[], $4::bigint[], $5::bigint[]) WITH ORDINALITY AS t(day, received, refunded, i)
          ORDER BY t.i
         ON CONFLICT (business_id, day, slot) DO UPDATE SET
           received_minor = quote_revenue_days.received_minor + EXCLUDED.received_minor,
           refunded_minor = quote_revenue_days.refunded_minor + EXCLUDED.refunded_minor`,
        values: [
          this.businessId,
          revenueSlot(this.quoteId),
          days.map(([d]) => d),
          days.map(([, d]) => String(d.received)),
          days.map(([, d]) => String(d.refunded)),
        ],
      });
    }
    this.statusCounts.clear();
    this.invoicedMonths.clear();
    this.revenueDays.clear();
    return statements;
  }
}

/** 16 revenue rows per business and day, picked by the quote's id (a uuid's last hex digit). */
export function revenueSlot(quoteId: string): number {
  const slot = parseInt(quoteId.slice(-1), 16);
  return Number.isNaN(slot) ? 0 : slot;
}

/** A quote row as the rollups see it. */
export const rollupState = (q: {
  status: QuoteStatus;
  totalMinor: bigint;
  currency: string;
  acceptedAt: Date | null;
}): QuoteRollupState => ({
  status: q.status,
  total: money(q.totalMinor, q.currency.trim() as CurrencyCode),
  acceptedAt: q.acceptedAt,
});

/** How many quotes of the business are in each status (no row: none). */
export async function statusCounts(
  tx: Transaction,
  businessId: string,
): Promise<Map<QuoteStatus, number>> {
  const rows: Array<{ status: QuoteStatus; quotes: string | number }> = await tx.query(
    `SELECT status, quotes FROM quote_status_counts WHERE business_id = $1`,
    [businessId],
  );
  return new Map(rows.map((row) => [row.status, Number(row.quotes)]));
}

/** The kept revenue days of a window of business-local dates (inclusive), one row per day. */
export async function revenueDays(
  tx: Transaction,
  businessId: string,
  window: { from: string; to: string },
  currency: CurrencyCode,
): Promise<RevenueDayDelta[]> {
  const rows: Array<{ day: string; received: string; refunded: string }> = await tx.query(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day,
            SUM(received_minor) AS received, SUM(refunded_minor) AS refunded
       FROM quote_revenue_days
      WHERE business_id = $1 AND day BETWEEN $2::date AND $3::date
      GROUP BY day`,
    [businessId, window.from, window.to],
  );
  return rows.map((row) => ({
    date: row.day,
    received: money(BigInt(row.received), currency),
    refunded: money(BigInt(row.refunded), currency),
  }));
}

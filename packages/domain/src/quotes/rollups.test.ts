import fc from 'fast-check';
import { unwrap } from '../errors';
import { type Money, add, money, parseCurrency, zero } from '../money';
import { type MoneyMovement, revenueSeries } from './revenue';
import {
  type QuoteRollupState,
  quoteStatsDelta,
  quoteStatsFromTotals,
  revenueDayDeltas,
  revenueSeriesFromDays,
  revenueWindowDates,
} from './rollups';
import { computeQuoteStats } from './stats';
import { QUOTE_STATUSES, QuoteStatus } from './status';

const USD = unwrap(parseCurrency('USD'));
const now = new Date('2026-03-14T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const ZONES = ['UTC', 'Africa/Accra', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham'];

describe('quoteStatsDelta', () => {
  const paid: QuoteRollupState = {
    status: QuoteStatus.PAID,
    total: money(40_00n, USD),
    acceptedAt: new Date('2026-03-05T10:00:00Z'),
  };

  it('a new draft adds one DRAFT and nothing invoiced', () => {
    const delta = quoteStatsDelta(
      null,
      { status: QuoteStatus.DRAFT, total: money(10_00n, USD), acceptedAt: null },
      'UTC',
    );
    expect(delta).toEqual({
      statusCounts: [{ status: QuoteStatus.DRAFT, delta: 1 }],
      invoicedMonths: [],
    });
  });

  it('a full refund moves PAID to REFUNDED and takes the total out of its issue month', () => {
    const delta = quoteStatsDelta(paid, { ...paid, status: QuoteStatus.REFUNDED }, 'UTC');
    expect(delta.statusCounts).toEqual([
      { status: QuoteStatus.PAID, delta: -1 },
      { status: QuoteStatus.REFUNDED, delta: 1 },
    ]);
    expect(delta.invoicedMonths).toEqual([{ month: '2026-03', delta: money(-40_00n, USD) }]);
  });

  it('mark paid and mark unpaid move the counts but not the invoiced total', () => {
    const accepted = { ...paid, status: QuoteStatus.ACCEPTED };
    expect(quoteStatsDelta(accepted, paid, 'UTC').invoicedMonths).toEqual([]);
    expect(quoteStatsDelta(paid, accepted, 'UTC').statusCounts).toEqual([
      { status: QuoteStatus.ACCEPTED, delta: 1 },
      { status: QuoteStatus.PAID, delta: -1 },
    ]);
  });

  it('no change, no delta', () => {
    expect(quoteStatsDelta(paid, paid, 'UTC')).toEqual({ statusCounts: [], invoicedMonths: [] });
  });

  it('summed over any lifecycle, equals computeQuoteStats over the final quotes', () => {
    const state = fc.record({
      status: fc.constantFrom(...QUOTE_STATUSES),
      cents: fc.bigInt({ min: 1n, max: 10_000_00n }),
      acceptedDay: fc.option(fc.integer({ min: -70, max: 0 })),
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(state, { minLength: 1, maxLength: 5 }), { maxLength: 12 }),
        fc.constantFrom(...ZONES),
        (histories, timeZone) => {
          const counts = new Map<QuoteStatus, number>();
          const months = new Map<string, Money>();
          const finals: QuoteRollupState[] = [];
          for (const history of histories) {
            let before: QuoteRollupState | null = null;
            for (const step of history) {
              const after: QuoteRollupState = {
                status: step.status,
                total: money(step.cents, USD),
                acceptedAt:
                  step.acceptedDay === null
                    ? null
                    : new Date(now.getTime() + step.acceptedDay * DAY),
              };
              const delta = quoteStatsDelta(before, after, timeZone);
              for (const c of delta.statusCounts) {
                counts.set(c.status, (counts.get(c.status) ?? 0) + c.delta);
              }
              for (const m of delta.invoicedMonths) {
                const was = months.get(m.month) ?? zero(USD);
                months.set(m.month, add(was, m.delta));
              }
              before = after;
            }
            finals.push(before!);
          }
          const expected = computeQuoteStats({
            quotes: finals.map((q) => ({
              status: q.status,
              total: q.total,
              issuedAt: q.acceptedAt,
            })),
            hasRefund: false,
            now,
            timeZone,
            currency: USD,
          });
          const thisMonth = revenueWindowDates(now, timeZone, 1).to.slice(0, 7);
          const fromTotals = quoteStatsFromTotals({
            paidCount: counts.get(QuoteStatus.PAID) ?? 0,
            invoicedThisMonth: months.get(thisMonth) ?? zero(USD),
            hasRefund: false,
          });
          expect(fromTotals).toEqual(expected);
          for (const status of QUOTE_STATUSES) {
            expect(counts.get(status) ?? 0).toBe(finals.filter((q) => q.status === status).length);
          }
        },
      ),
    );
  });
});

describe('revenueDayDeltas and revenueSeriesFromDays', () => {
  it('splits received and refunded by business-local day, sorted', () => {
    const deltas = revenueDayDeltas(
      [
        { kind: 'REFUND', amount: money(5_00n, USD), at: new Date('2026-03-14T02:00:00Z') },
        { kind: 'PAYMENT', amount: money(30_00n, USD), at: new Date('2026-03-13T23:30:00Z') },
        { kind: 'REVERSAL', amount: money(10_00n, USD), at: new Date('2026-03-13T10:00:00Z') },
      ],
      'America/New_York',
      USD,
    );
    expect(deltas).toEqual([
      { date: '2026-03-13', received: money(20_00n, USD), refunded: money(5_00n, USD) },
    ]);
  });

  it('undo takes movements back out', () => {
    const movement: MoneyMovement = { kind: 'PAYMENT', amount: money(7_00n, USD), at: now };
    expect(revenueDayDeltas([movement], 'UTC', USD, { undo: true })).toEqual([
      { date: '2026-03-14', received: money(-7_00n, USD), refunded: zero(USD) },
    ]);
  });

  it('gives the same series as revenueSeries over the movements, in any zone', () => {
    const movement = fc.record({
      kind: fc.constantFrom<'PAYMENT' | 'REVERSAL' | 'REFUND'>('PAYMENT', 'REVERSAL', 'REFUND'),
      cents: fc.bigInt({ min: 1n, max: 1_000_00n }),
      // Up to 400 days back, never after now (no movement is dated in the future).
      ago: fc.integer({ min: 0, max: 400 * 24 * 60 }),
    });
    fc.assert(
      fc.property(
        fc.array(movement, { maxLength: 40 }),
        fc.constantFrom(...ZONES),
        fc.integer({ min: 1, max: 366 }),
        (raw, timeZone, days) => {
          const movements: MoneyMovement[] = raw.map((m) => ({
            kind: m.kind,
            amount: money(m.cents, USD),
            at: new Date(now.getTime() - m.ago * 60_000),
          }));
          const kept = revenueDayDeltas(movements, timeZone, USD);
          const { from, to } = revenueWindowDates(now, timeZone, days);
          const read = kept.filter((d) => d.date >= from && d.date <= to);
          expect(
            revenueSeriesFromDays({ days: read, now, timeZone, count: days, currency: USD }),
          ).toEqual(revenueSeries({ movements, now, timeZone, days, currency: USD }));
        },
      ),
    );
  });
});

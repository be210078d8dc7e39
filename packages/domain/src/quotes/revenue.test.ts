import fc from 'fast-check';
import { unwrap } from '../errors';
import { money, parseCurrency } from '../money';
import { addDays, localDate } from './calendar';
import { type MoneyMovement, parseRevenueDays, revenueSeries, revenueWindowStart } from './revenue';

const USD = unwrap(parseCurrency('USD'));
const now = new Date('2026-03-14T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

const series = (movements: MoneyMovement[], days = 14, timeZone = 'UTC', at = now) =>
  revenueSeries({ movements, now: at, timeZone, days, currency: USD });

describe('revenueSeries', () => {
  it('is exactly `days` long, oldest first, ending today', () => {
    const result = series([]);
    expect(result.days).toHaveLength(14);
    expect(result.days[0]?.date).toBe('2026-03-01');
    expect(result.days[13]?.date).toBe('2026-03-14');
    expect(result.days.every((d) => d.net.minor === 0n && d.net.currency === 'USD')).toBe(true);
    expect(result.total).toEqual(money(0n, USD));
  });

  it('counts a backdated payment on its paid date and a refund today as a dip', () => {
    const paidAt = new Date(now.getTime() - 5 * DAY);
    const result = series([
      { kind: 'PAYMENT', amount: money(125_00n, USD), at: paidAt },
      { kind: 'PAYMENT', amount: money(40_00n, USD), at: new Date(now.getTime() - 2 * DAY) },
      { kind: 'REFUND', amount: money(125_00n, USD), at: now },
    ]);
    const byDate = Object.fromEntries(result.days.map((d) => [d.date, d.net.minor]));
    expect(byDate['2026-03-09']).toBe(125_00n);
    expect(byDate['2026-03-12']).toBe(40_00n);
    expect(byDate['2026-03-14']).toBe(-125_00n);
    expect(result.total).toEqual(money(40_00n, USD));
  });

  it('ignores movements outside the window', () => {
    const result = series(
      [
        { kind: 'PAYMENT', amount: money(1n, USD), at: new Date('2026-02-28T23:59:59Z') },
        { kind: 'PAYMENT', amount: money(2n, USD), at: new Date('2026-03-01T00:00:00Z') },
      ],
      14,
    );
    expect(result.total.minor).toBe(2n);
  });

  it('buckets by the business timezone', () => {
    // 03:00Z on the 14th is the 13th in New York.
    const movement: MoneyMovement = {
      kind: 'PAYMENT',
      amount: money(9_00n, USD),
      at: new Date('2026-03-14T03:00:00Z'),
    };
    const ny = series([movement], 3, 'America/New_York');
    expect(ny.days.map((d) => [d.date, d.net.minor])).toEqual([
      ['2026-03-12', 0n],
      ['2026-03-13', 900n],
      ['2026-03-14', 0n],
    ]);
  });

  it('starts its window at local midnight of the oldest day', () => {
    expect(revenueWindowStart(now, 'UTC', 14).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(revenueWindowStart(now, 'America/New_York', 1).toISOString()).toBe(
      '2026-03-14T04:00:00.000Z',
    );
  });

  it('validates days: 14 by default, 1 to 366', () => {
    expect(parseRevenueDays(undefined)).toEqual({ ok: true, value: 14 });
    expect(parseRevenueDays(null)).toEqual({ ok: true, value: 14 });
    expect(parseRevenueDays(30)).toEqual({ ok: true, value: 30 });
    for (const bad of [0, -1, 367, 1.5]) expect(parseRevenueDays(bad).ok).toBe(false);
  });

  it('property: consecutive days, exact length, total = payments − refunds inside the window', () => {
    const zones = ['UTC', 'Africa/Accra', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham'];
    const movementArb = fc.record({
      kind: fc.constantFrom<'PAYMENT' | 'REFUND'>('PAYMENT', 'REFUND'),
      minor: fc.bigInt({ min: 1n, max: 10n ** 12n }),
      msAgo: fc.integer({ min: -DAY, max: 60 * DAY }),
    });
    fc.assert(
      fc.property(
        fc.array(movementArb, { maxLength: 40 }),
        fc.integer({ min: 1, max: 60 }),
        fc.constantFrom(...zones),
        (raw, days, timeZone) => {
          const movements: MoneyMovement[] = raw
            .map((m) => ({
              kind: m.kind,
              amount: money(m.minor, USD),
              at: new Date(now.getTime() - m.msAgo),
            }))
            // Money never arrives in the future.
            .filter((m) => m.at.getTime() <= now.getTime());
          const result = series(movements, days, timeZone);
          expect(result.days).toHaveLength(days);
          expect(result.days[days - 1]?.date).toBe(localDate(now, timeZone));
          result.days.forEach((day, i) => {
            if (i > 0) expect(day.date).toBe(addDays(result.days[i - 1]?.date as string, 1));
          });
          const start = revenueWindowStart(now, timeZone, days).getTime();
          const expected = movements
            .filter((m) => m.at.getTime() >= start)
            .reduce(
              (total, m) => total + (m.kind === 'PAYMENT' ? m.amount.minor : -m.amount.minor),
              0n,
            );
          expect(result.total.minor).toBe(expected);
          expect(result.days.reduce((t, d) => t + d.net.minor, 0n)).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

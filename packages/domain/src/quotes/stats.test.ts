import fc from 'fast-check';
import { unwrap } from '../errors';
import { money, parseCurrency, subtract } from '../money';
import { computeQuoteStats, type QuoteForStats, quoteTabs } from './stats';
import { QUOTE_STATUSES, QuoteStatus } from './status';

const USD = unwrap(parseCurrency('USD'));
const now = new Date('2026-03-14T12:00:00Z');

const q = (status: QuoteStatus, cents: bigint, issuedAt: string | null): QuoteForStats => ({
  status,
  total: money(cents, USD),
  issuedAt: issuedAt ? new Date(issuedAt) : null,
});

const stats = (quotes: QuoteForStats[], hasRefund = false, timeZone = 'UTC', at = now) =>
  computeQuoteStats({ quotes, hasRefund, now: at, timeZone, currency: USD });

describe('computeQuoteStats', () => {
  const base = [
    q(QuoteStatus.DRAFT, 10_00n, null),
    q(QuoteStatus.SENT, 20_00n, null),
    q(QuoteStatus.ACCEPTED, 30_00n, '2026-03-02T10:00:00Z'),
    q(QuoteStatus.PAID, 40_00n, '2026-03-05T10:00:00Z'),
    q(QuoteStatus.PAID, 50_00n, '2026-02-20T10:00:00Z'), // issued last month
    q(QuoteStatus.VOID, 60_00n, '2026-03-06T10:00:00Z'),
  ];

  it('counts PAID invoices and sums invoices ACCEPTED or PAID issued this month', () => {
    const result = stats(base);
    expect(result.invoicesPaidCount).toBe(2);
    expect(result.invoicedThisMonth).toEqual(money(70_00n, USD));
    expect(result.tabs).toEqual(['ALL', 'DRAFT', 'SENT', 'ACCEPTED', 'PAID', 'VOID']);
  });

  it('a refund takes the invoice out of both numbers and shows the REFUNDED tab', () => {
    const after = base.map((quote, i) =>
      i === 3 ? { ...quote, status: QuoteStatus.REFUNDED } : quote,
    );
    const result = stats(after, true);
    expect(result.invoicesPaidCount).toBe(1);
    expect(result.invoicedThisMonth).toEqual(money(30_00n, USD));
    expect(result.tabs).toEqual(['ALL', 'DRAFT', 'SENT', 'ACCEPTED', 'PAID', 'REFUNDED', 'VOID']);
  });

  it('is zero in the business currency when nothing was invoiced', () => {
    expect(stats([]).invoicedThisMonth).toEqual(money(0n, USD));
  });

  it('reads "this month" in the business timezone', () => {
    // 2026-03-01T03:00Z is still February in New York, and it is March 1st there only from 05:00Z.
    const quotes = [q(QuoteStatus.ACCEPTED, 5_00n, '2026-03-01T03:00:00Z')];
    expect(stats(quotes, false, 'UTC').invoicedThisMonth.minor).toBe(5_00n);
    expect(stats(quotes, false, 'America/New_York').invoicedThisMonth.minor).toBe(0n);
    const earlyMarchNy = new Date('2026-03-01T04:30:00Z'); // Feb 28th 23:30 in New York
    expect(stats(quotes, false, 'America/New_York', earlyMarchNy).invoicedThisMonth.minor).toBe(
      5_00n,
    );
  });

  it('shows REFUNDED only once the business has a refund', () => {
    expect(quoteTabs(false)).not.toContain('REFUNDED');
    expect(quoteTabs(true)).toContain('REFUNDED');
  });

  it('property: refunding a paid invoice lowers the count by one and this month by its total if issued this month', () => {
    const quoteArb = fc.record({
      status: fc.constantFrom(...QUOTE_STATUSES),
      cents: fc.bigInt({ min: 1n, max: 10n ** 12n }),
      issuedAt: fc.option(
        fc.date({
          min: new Date('2026-01-01T00:00:00Z'),
          max: now,
          noInvalidDate: true,
        }),
      ),
    });
    fc.assert(
      fc.property(
        fc.array(quoteArb, { maxLength: 30 }),
        fc.nat(),
        fc.constantFrom('UTC', 'Africa/Accra', 'America/New_York', 'Asia/Tokyo'),
        (raw, pick, timeZone) => {
          const quotes: QuoteForStats[] = raw.map((r) => ({
            status: r.status,
            total: money(r.cents, USD),
            issuedAt:
              r.status === QuoteStatus.DRAFT || r.status === QuoteStatus.SENT ? null : r.issuedAt,
          }));
          const paidIndexes = quotes.flatMap((x, i) => (x.status === QuoteStatus.PAID ? [i] : []));
          const before = stats(quotes, false, timeZone);
          expect(before.invoicedThisMonth.minor >= 0n).toBe(true);
          if (paidIndexes.length === 0) return;
          const index = paidIndexes[pick % paidIndexes.length] as number;
          const refunded = quotes[index] as QuoteForStats;
          const after = stats(
            quotes.map((x, i) => (i === index ? { ...x, status: QuoteStatus.REFUNDED } : x)),
            true,
            timeZone,
          );
          expect(after.invoicesPaidCount).toBe(before.invoicesPaidCount - 1);
          const issuedThisMonth =
            refunded.issuedAt !== null &&
            new Intl.DateTimeFormat('en-CA', {
              timeZone,
              year: 'numeric',
              month: '2-digit',
            }).format(refunded.issuedAt) ===
              new Intl.DateTimeFormat('en-CA', {
                timeZone,
                year: 'numeric',
                month: '2-digit',
              }).format(now);
          expect(after.invoicedThisMonth).toEqual(
            issuedThisMonth
              ? subtract(before.invoicedThisMonth, refunded.total)
              : before.invoicedThisMonth,
          );
          expect(after.tabs).toContain('REFUNDED');
        },
      ),
      { numRuns: 300 },
    );
  });
});

import fc from 'fast-check';
import { BadInputError, type DomainError, unwrap, UserErrorCode } from '../errors';
import { formatMoney, money, parseCurrency } from '../money';
import { normalizeRefundReason, portalRefundBanner, recordRefund } from './refund';
import { ActivityKind, CASE_STATUSES, CaseStatus, QUOTE_STATUSES, QuoteStatus } from './status';
import { markQuotePaid, markQuoteUnpaid, type QuoteState } from './transitions';

const GHS = unwrap(parseCurrency('GHS'));
const now = new Date('2026-03-14T12:00:00Z');

const paid = (extra: Partial<QuoteState> = {}): QuoteState => ({
  status: QuoteStatus.PAID,
  total: money(1_250_00n, GHS),
  paidAt: new Date('2026-03-10T09:00:00Z'),
  caseStatus: CaseStatus.WON,
  lastActivityAt: new Date('2026-03-10T09:00:05Z'),
  ...extra,
});

describe('recordRefund', () => {
  it('refunds the whole total, flips the case to LOST, stops the nudges, logs the reason', () => {
    const decision = unwrap(recordRefund(paid(), { now, reason: '  customer cancelled ' }));
    expect(decision.status).toBe(QuoteStatus.REFUNDED);
    expect(decision.refund).toEqual({
      amount: money(1_250_00n, GHS),
      reason: 'customer cancelled',
      reasonCategory: null,
      recordedAt: now,
    });
    expect(decision.timestamps).toEqual({ refundedAt: now });
    expect(decision.caseChange).toEqual({ status: CaseStatus.LOST });
    expect(decision.followUps).toEqual({ cancelPending: true, schedule: [] });
    expect(decision.activity).toEqual({
      kind: ActivityKind.REFUND_RECORDED,
      at: now,
      message: `Refund recorded: ${formatMoney(money(1_250_00n, GHS), 'en-US')}.`,
      reason: 'customer cancelled',
    });
  });

  it('records no reason when it is left blank', () => {
    const decision = unwrap(recordRefund(paid(), { now, reason: '   ' }));
    expect(decision.refund.reason).toBeNull();
    expect(decision.activity.reason).toBeNull();
    expect(decision.activity.message).toBe(
      `Refund recorded: ${formatMoney(money(1_250_00n, GHS), 'en-US')}.`,
    );
  });

  it.each(CASE_STATUSES.filter((s) => s !== CaseStatus.WON))(
    'leaves a %s case alone',
    (caseStatus) => {
      expect(unwrap(recordRefund(paid({ caseStatus }), { now })).caseChange).toBeNull();
    },
  );

  it('leaves the case alone when there is none', () => {
    expect(unwrap(recordRefund(paid({ caseStatus: null }), { now })).caseChange).toBeNull();
  });

  it('is slotted after Marked paid even when the clock is behind the feed', () => {
    const markedAt = new Date(now.getTime() + 30_000);
    const decision = unwrap(recordRefund(paid({ lastActivityAt: markedAt }), { now }));
    expect(decision.activity.at).toEqual(markedAt);
    expect(decision.refund.recordedAt).toEqual(markedAt);
  });

  it('a second refund is ALREADY_REFUNDED; an unpaid quote is QUOTE_NOT_PAID', () => {
    const again = recordRefund(paid({ status: QuoteStatus.REFUNDED }), { now });
    expect(!again.ok && (again.error as DomainError).code).toBe(UserErrorCode.ALREADY_REFUNDED);
    for (const status of QUOTE_STATUSES.filter(
      (s) => s !== QuoteStatus.PAID && s !== QuoteStatus.REFUNDED,
    )) {
      const result = recordRefund(paid({ status }), { now });
      expect(!result.ok && (result.error as DomainError).code).toBe(UserErrorCode.QUOTE_NOT_PAID);
    }
  });

  it('is terminal: neither Mark unpaid nor Mark paid works afterwards', () => {
    const refunded = paid({ status: QuoteStatus.REFUNDED });
    const unpaid = markQuoteUnpaid(refunded, now);
    expect(!unpaid.ok && (unpaid.error as DomainError).code).toBe(UserErrorCode.INVALID_STATE);
    const repaid = markQuotePaid(refunded, { now });
    expect(!repaid.ok && (repaid.error as DomainError).code).toBe(UserErrorCode.INVALID_STATE);
  });

  it('refuses an over-long reason as bad input', () => {
    const result = recordRefund(paid(), { now, reason: 'x'.repeat(1001) });
    expect(!result.ok && result.error).toBeInstanceOf(BadInputError);
    expect(normalizeRefundReason('x'.repeat(1000)).ok).toBe(true);
  });

  it('property: a refund of any paid invoice returns exactly its total and ends in REFUNDED', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 15n }),
        fc.constantFrom(...CASE_STATUSES, null),
        fc.option(fc.string({ maxLength: 1000 })),
        (minor, caseStatus, reason) => {
          const state = paid({ total: money(minor, GHS), caseStatus });
          const decision = unwrap(recordRefund(state, { now, reason }));
          expect(decision.refund.amount).toEqual(state.total);
          expect(decision.status).toBe(QuoteStatus.REFUNDED);
          expect(decision.caseChange).toEqual(
            caseStatus === CaseStatus.WON ? { status: CaseStatus.LOST } : null,
          );
          const again = recordRefund({ ...state, status: decision.status }, { now, reason });
          expect(!again.ok && (again.error as DomainError).code).toBe(
            UserErrorCode.ALREADY_REFUNDED,
          );
        },
      ),
    );
  });
});

const banner = (status: QuoteStatus, reason: string | null, refunded = 0n) =>
  portalRefundBanner({
    status,
    reason,
    businessName: 'Ama Cleaning',
    total: money(345_50n, GHS),
    refunded: money(refunded, GHS),
    refundedAt: new Date('2026-11-19T10:00:00Z'),
    format: { locale: 'en-GH-u-nu-latn', timeZone: 'Africa/Accra' },
  });

describe('portalRefundBanner', () => {
  it("shows the owner's reason", () => {
    expect(banner(QuoteStatus.REFUNDED, 'Service cancelled', 345_50n)).toEqual({
      message: 'Service cancelled',
      reason: 'Service cancelled',
    });
  });

  it('shows a generic line when the reason was left blank', () => {
    const shown = banner(QuoteStatus.REFUNDED, null, 345_50n);
    expect(shown?.reason).toBeNull();
    expect(shown?.message).toMatch(/Refunded by Ama Cleaning/);
    expect(shown?.message).toMatch(/on their way back/);
    expect(shown?.message).toMatch(/check your payment account/);
    expect(banner(QuoteStatus.REFUNDED, '  ', 345_50n)?.reason).toBeNull();
  });

  it('says how much of a partly refunded invoice came back, and when', () => {
    expect(banner(QuoteStatus.PAID, 'One room skipped', 100_00n)).toEqual({
      message: 'Ama Cleaning refunded GH₵100.00 of GH₵345.50 on 19 Nov 2026. One room skipped',
      reason: 'One room skipped',
    });
  });

  it.each(QUOTE_STATUSES.filter((s) => s !== QuoteStatus.REFUNDED))(
    'shows nothing on a %s quote with nothing refunded',
    (status) => {
      expect(banner(status, 'reason')).toBeNull();
    },
  );
});

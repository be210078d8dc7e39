import { type DomainError, unwrap, UserErrorCode } from '../errors';
import { money, parseCurrency } from '../money';
import { RefundReason } from '../refunds';
import { recordRefund } from './refund';
import { refundsByReason } from './refunds-by-reason';
import {
  activityMessageForPeople,
  invoiceBalances,
  quoteOutstanding,
  settlementByCredits,
} from './settlement';
import { ActivityKind, CaseStatus, QuoteStatus } from './status';
import { markQuoteUnpaid, markUnpaidRefusal, type QuoteState } from './transitions';

const GBP = unwrap(parseCurrency('GBP'));
const gbp = (pence: bigint) => money(pence, GBP);
const now = new Date('2026-03-14T12:00:00Z');
const format = { locale: 'en-GB', timeZone: 'Europe/London' };
const ledger = (payments: bigint, allocated: bigint, refunded: bigint) => ({
  payments: gbp(payments),
  allocated: gbp(allocated),
  refunded: gbp(refunded),
});
const paid = (l = ledger(20_00n, 0n, 0n)): QuoteState => ({
  status: QuoteStatus.PAID,
  total: gbp(20_00n),
  paidAt: new Date('2026-03-10T09:00:00Z'),
  caseStatus: CaseStatus.WON,
  lastActivityAt: new Date('2026-03-10T09:00:05Z'),
  ledger: l,
  format,
});
const code = (result: { ok: boolean; error?: unknown }) =>
  !result.ok && (result.error as DomainError).code;

describe('invoiceBalances', () => {
  it('owes total − payments − allocations, whichever flow recorded them', () => {
    expect(invoiceBalances(gbp(20_00n), ledger(5_00n, 10_00n, 3_00n))).toEqual({
      settled: gbp(15_00n),
      outstanding: gbp(5_00n),
      refunded: gbp(3_00n),
      refundable: gbp(12_00n),
    });
  });

  it('throws on a ledger that settles more than the total or refunds more than was paid', () => {
    expect(() => invoiceBalances(gbp(20_00n), ledger(15_00n, 10_00n, 0n))).toThrow(/Corrupted/);
    expect(() => invoiceBalances(gbp(20_00n), ledger(5_00n, 0n, 6_00n))).toThrow(/Corrupted/);
  });

  it('a quote that is not an invoice owes nothing', () => {
    for (const status of [QuoteStatus.DRAFT, QuoteStatus.SENT, QuoteStatus.VOID]) {
      expect(quoteOutstanding(status, gbp(20_00n), ledger(0n, 0n, 0n))).toEqual(gbp(0n));
    }
    expect(quoteOutstanding(QuoteStatus.ACCEPTED, gbp(20_00n), ledger(0n, 5_00n, 0n))).toEqual(
      gbp(15_00n),
    );
  });
});

describe('settlementByCredits', () => {
  const accepted = { status: QuoteStatus.ACCEPTED, total: gbp(20_00n), at: now, format };

  it('makes an invoice that credits settle in full PAID: case won, nudges stopped', () => {
    const decision = settlementByCredits({
      ...accepted,
      ledger: ledger(0n, 20_00n, 0n),
      caseStatus: CaseStatus.AWAITING_CUSTOMER,
    });
    expect(decision).toMatchObject({
      status: QuoteStatus.PAID,
      timestamps: { paidAt: now },
      caseChange: { status: CaseStatus.WON, dealValue: gbp(20_00n) },
      followUps: { cancelPending: true, schedule: [] },
      activity: { kind: ActivityKind.SETTLED, at: now },
    });
    expect(decision?.activity.message).toContain('£20.00');
  });

  it('changes nothing while something is still owed, or once it is no longer ACCEPTED', () => {
    expect(
      settlementByCredits({ ...accepted, ledger: ledger(0n, 19_99n, 0n), caseStatus: null }),
    ).toBeNull();
    expect(
      settlementByCredits({
        ...accepted,
        status: QuoteStatus.PAID,
        ledger: ledger(0n, 20_00n, 0n),
        caseStatus: null,
      }),
    ).toBeNull();
  });
});

describe('partial refunds', () => {
  it('defaults to everything still refundable, which refunds the invoice in full', () => {
    const decision = unwrap(recordRefund(paid(ledger(20_00n, 0n, 5_00n)), { now }));
    expect(decision.refund.amount).toEqual(gbp(15_00n));
    expect(decision.status).toBe(QuoteStatus.REFUNDED);
    expect(decision.caseChange).toEqual({ status: CaseStatus.LOST });
  });

  it('leaves a partly refunded invoice PAID, its case and nudges alone, and says what is left', () => {
    const decision = unwrap(
      recordRefund(paid(), {
        now,
        amount: gbp(5_00n),
        reasonCategory: RefundReason.NOT_DELIVERED,
      }),
    );
    expect(decision.status).toBe(QuoteStatus.PAID);
    expect(decision.timestamps).toEqual({});
    expect(decision.caseChange).toBeNull();
    expect(decision.followUps).toEqual({ cancelPending: false, schedule: [] });
    expect(decision.refund).toMatchObject({
      amount: gbp(5_00n),
      reasonCategory: RefundReason.NOT_DELIVERED,
    });
    expect(decision.activity.message).toBe(
      'Partial refund recorded: £5.00 of £20.00 (£5.00 refunded so far, £15.00 still refundable).',
    );
  });

  it('refuses more than was paid less what is already refunded', () => {
    const result = recordRefund(paid(ledger(20_00n, 0n, 15_00n)), { now, amount: gbp(5_01n) });
    expect(code(result)).toBe(UserErrorCode.AMOUNT_EXCEEDS_REFUNDABLE);
    expect(!result.ok && result.error.message).toContain('£5.00');
    expect(code(recordRefund(paid(), { now, amount: gbp(0n) }))).toBe(UserErrorCode.INVALID_AMOUNT);
  });

  it('refunds an invoice settled by credits like one marked paid (the money goes back)', () => {
    const decision = unwrap(recordRefund(paid(ledger(0n, 20_00n, 0n)), { now }));
    expect(decision.refund.amount).toEqual(gbp(20_00n));
  });
});

describe('markQuoteUnpaid', () => {
  it('reverses the marked payment by an entry of the same amount', () => {
    const decision = unwrap(markQuoteUnpaid(paid(ledger(15_00n, 5_00n, 0n)), now));
    expect(decision.reversal).toEqual({ amount: gbp(15_00n) });
    expect(decision.status).toBe(QuoteStatus.ACCEPTED);
    expect(decision.activity.message).toContain('£15.00 payment');
  });

  it('refuses an invoice settled only by credits, and one with refunds', () => {
    expect(code(markQuoteUnpaid(paid(ledger(0n, 20_00n, 0n)), now))).toBe(
      UserErrorCode.INVALID_STATE,
    );
    expect(code(markQuoteUnpaid(paid(ledger(20_00n, 0n, 1_00n)), now))).toBe(
      UserErrorCode.INVALID_STATE,
    );
  });
});

describe('markUnpaidRefusal (what the SPA asks before offering "Mark unpaid")', () => {
  it('agrees with markQuoteUnpaid on every status and ledger', () => {
    const ledgers = [
      ledger(20_00n, 0n, 0n),
      ledger(15_00n, 5_00n, 0n),
      ledger(0n, 20_00n, 0n),
      ledger(20_00n, 0n, 1_00n),
      ledger(0n, 20_00n, 20_00n),
      ledger(0n, 0n, 0n),
    ];
    for (const status of Object.values(QuoteStatus)) {
      for (const l of ledgers) {
        const state = { ...paid(l), status };
        const refusal = markUnpaidRefusal(status, l.payments, l.refunded);
        const decision = markQuoteUnpaid(state, now);
        expect(refusal === null).toBe(decision.ok);
        if (!decision.ok) expect(refusal?.message).toBe(decision.error.message);
      }
    }
  });

  it('offers it only for a PAID invoice with a marked payment and no refund', () => {
    expect(markUnpaidRefusal(QuoteStatus.PAID, gbp(20_00n), gbp(0n))).toBeNull();
    expect(markUnpaidRefusal(QuoteStatus.PAID, gbp(0n), gbp(0n))?.message).toMatch(
      /nothing to mark unpaid/,
    );
    expect(markUnpaidRefusal(QuoteStatus.PAID, gbp(20_00n), gbp(1n))?.message).toMatch(
      /refund is final/,
    );
  });
});

describe('refundsByReason', () => {
  it('totals per category, largest first, uncategorised last', () => {
    expect(
      refundsByReason(
        [
          { amount: gbp(5_00n), reasonCategory: RefundReason.DISPUTE },
          { amount: gbp(1_00n), reasonCategory: null },
          { amount: gbp(7_00n), reasonCategory: RefundReason.CANCELLED },
          { amount: gbp(4_00n), reasonCategory: RefundReason.DISPUTE },
        ],
        GBP,
      ),
    ).toEqual([
      { reason: RefundReason.DISPUTE, count: 2, amount: gbp(9_00n) },
      { reason: RefundReason.CANCELLED, count: 1, amount: gbp(7_00n) },
      { reason: null, count: 1, amount: gbp(1_00n) },
    ]);
  });
});

describe('activityMessageForPeople', () => {
  const ghana = { locale: 'en-GH-u-nu-latn', timeZone: 'Africa/Accra' };

  it('shows an old system-worded entry in the business locale, money and day', () => {
    expect(
      activityMessageForPeople(
        ActivityKind.MARKED_PAID,
        'Marked paid: 345.50 GHS received on 2026-11-19.',
        ghana,
      ),
    ).toBe('Marked paid: GH₵345.50 received on 19 Nov 2026.');
    expect(
      activityMessageForPeople(
        ActivityKind.REFUND_RECORDED,
        'Refund recorded: 1250.00 GHS.',
        ghana,
      ),
    ).toBe('Refund recorded: GH₵1,250.00.');
  });

  it("leaves people's notes and new messages as they are", () => {
    const note = 'Paid 345.50 GHS on 2026-11-19 by MoMo';
    expect(activityMessageForPeople(ActivityKind.NOTE_ADDED, note, ghana)).toBe(note);
    const current = 'Marked paid: GH₵345.50 received on 19 Nov 2026.';
    expect(activityMessageForPeople(ActivityKind.MARKED_PAID, current, ghana)).toBe(current);
  });
});

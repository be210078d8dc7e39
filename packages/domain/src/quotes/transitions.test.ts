import { BadInputError, DomainError, type Result, unwrap, UserErrorCode } from '../errors';
import { money, parseCurrency } from '../money';
import { FollowUpStage } from './follow-ups';
import { recordRefund } from './refund';
import { ActivityKind, CaseStatus, QUOTE_STATUSES, QuoteStatus } from './status';
import {
  acceptQuote,
  addQuoteNote,
  ALLOWED_FROM,
  markQuotePaid,
  markQuoteUnpaid,
  type QuoteAction,
  type QuoteDecision,
  type QuoteState,
  sendQuote,
  voidQuote,
} from './transitions';

const USD = unwrap(parseCurrency('USD'));
const now = new Date('2026-03-14T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

const state = (status: QuoteStatus, extra: Partial<QuoteState> = {}): QuoteState => ({
  status,
  total: money(125_00n, USD),
  paidAt: status === QuoteStatus.PAID ? new Date('2026-03-10T09:00:00Z') : null,
  caseStatus: CaseStatus.AWAITING_CUSTOMER,
  lastActivityAt: new Date('2026-03-13T12:00:00Z'),
  ...extra,
});

const run: Record<QuoteAction, (s: QuoteState) => Result<QuoteDecision, Error>> = {
  send: (s) => sendQuote(s, now),
  accept: (s) => acceptQuote(s, now),
  markPaid: (s) => markQuotePaid(s, { now }),
  markUnpaid: (s) => markQuoteUnpaid(s, now),
  void: (s) => voidQuote(s, now),
  refund: (s) => recordRefund(s, { now }),
};

const target: Record<QuoteAction, QuoteStatus> = {
  send: QuoteStatus.SENT,
  accept: QuoteStatus.ACCEPTED,
  markPaid: QuoteStatus.PAID,
  markUnpaid: QuoteStatus.ACCEPTED,
  void: QuoteStatus.VOID,
  refund: QuoteStatus.REFUNDED,
};

/** The code each refused transition must give: INVALID_STATE, except the refund's own codes. */
function expectedCode(action: QuoteAction, from: QuoteStatus): UserErrorCode {
  if (action !== 'refund') return UserErrorCode.INVALID_STATE;
  return from === QuoteStatus.REFUNDED
    ? UserErrorCode.ALREADY_REFUNDED
    : UserErrorCode.QUOTE_NOT_PAID;
}

describe('the quote lifecycle', () => {
  const cases = (Object.keys(run) as QuoteAction[]).flatMap((action) =>
    QUOTE_STATUSES.map((from) => [action, from] as const),
  );

  it.each(cases)(
    '%s from %s: allowed exactly per the table, else the right code',
    (action, from) => {
      const result = run[action](state(from));
      if (ALLOWED_FROM[action].includes(from)) {
        if (!result.ok) throw result.error;
        expect(result.value.status).toBe(target[action]);
      } else {
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.error).toBeInstanceOf(DomainError);
        expect((result.error as DomainError).code).toBe(expectedCode(action, from));
        // A sentence a person can act on, not the generic default.
        expect(result.error.message.length).toBeGreaterThan(20);
      }
    },
  );

  it('has exactly the transitions of the issue', () => {
    expect(ALLOWED_FROM).toEqual({
      send: ['DRAFT'],
      accept: ['SENT'],
      markPaid: ['ACCEPTED'],
      markUnpaid: ['PAID'],
      void: ['DRAFT', 'SENT', 'ACCEPTED'],
      refund: ['PAID'],
    });
  });

  it('says what to do instead', () => {
    const voidPaid = voidQuote(state(QuoteStatus.PAID), now);
    expect(!voidPaid.ok && voidPaid.error.message).toMatch(/record a refund|mark it unpaid/);
    const unpaidRefunded = markQuoteUnpaid(state(QuoteStatus.REFUNDED), now);
    expect(!unpaidRefunded.ok && unpaidRefunded.error.message).toMatch(/refund is final/);
    const acceptDraft = acceptQuote(state(QuoteStatus.DRAFT), now);
    expect(!acceptDraft.ok && acceptDraft.error.message).toMatch(/Send the quote/);
  });
});

describe('sendQuote and acceptQuote', () => {
  it('schedules three nudges for the sent stage, at 2, 5 and 10 days', () => {
    const decision = unwrap(sendQuote(state(QuoteStatus.DRAFT), now));
    expect(decision.timestamps).toEqual({ sentAt: now });
    expect(decision.followUps.cancelPending).toBe(true);
    expect(decision.followUps.schedule).toEqual([
      { stage: FollowUpStage.SENT, sequence: 1, dueAt: new Date(now.getTime() + 2 * DAY) },
      { stage: FollowUpStage.SENT, sequence: 2, dueAt: new Date(now.getTime() + 5 * DAY) },
      { stage: FollowUpStage.SENT, sequence: 3, dueAt: new Date(now.getTime() + 10 * DAY) },
    ]);
    expect(decision.activity).toMatchObject({ kind: ActivityKind.SENT, at: now, reason: null });
  });

  it('accepting makes an invoice: issued now, sent-stage nudges replaced by payment nudges', () => {
    const decision = unwrap(acceptQuote(state(QuoteStatus.SENT), now));
    expect(decision.timestamps).toEqual({ acceptedAt: now });
    expect(decision.followUps.cancelPending).toBe(true);
    expect(decision.followUps.schedule.map((f) => f.stage)).toEqual([
      FollowUpStage.ACCEPTED,
      FollowUpStage.ACCEPTED,
      FollowUpStage.ACCEPTED,
    ]);
    expect(decision.caseChange).toBeNull();
  });
});

describe('markQuotePaid', () => {
  it('pays now by default, wins the case with the total as deal value, stops the nudges', () => {
    const decision = unwrap(markQuotePaid(state(QuoteStatus.ACCEPTED), { now }));
    expect(decision.status).toBe(QuoteStatus.PAID);
    expect(decision.timestamps).toEqual({ paidAt: now });
    expect(decision.caseChange).toEqual({ status: CaseStatus.WON, dealValue: money(125_00n, USD) });
    expect(decision.followUps).toEqual({ cancelPending: true, schedule: [] });
    expect(decision.activity.kind).toBe(ActivityKind.MARKED_PAID);
    // Formatted by the business's locale (en-US by default), the same way the screens do.
    expect(decision.activity.message).toBe('Marked paid: $125.00 received.');
    expect(decision.payment).toEqual({ amount: money(125_00n, USD), paidAt: now });
  });

  it('records a payment of what credits on the account left owing, in the business locale', () => {
    const ledger = {
      payments: money(0n, USD),
      allocated: money(25_00n, USD),
      refunded: money(0n, USD),
    };
    const format = { locale: 'en-GB', timeZone: 'Europe/London' };
    const paidAt = new Date('2026-03-09T23:30:00Z');
    const decision = unwrap(
      markQuotePaid(state(QuoteStatus.ACCEPTED, { ledger, format }), { now, paidAt }),
    );
    expect(decision.payment.amount).toEqual(money(100_00n, USD));
    expect(decision.activity.message).toBe('Marked paid: US$100.00 received on 9 Mar 2026.');
  });

  it('refuses to mark paid an invoice that credits already settle', () => {
    const ledger = {
      payments: money(0n, USD),
      allocated: money(125_00n, USD),
      refunded: money(0n, USD),
    };
    const result = markQuotePaid(state(QuoteStatus.ACCEPTED, { ledger }), { now });
    expect(!result.ok && (result.error as DomainError).code).toBe(UserErrorCode.INVALID_STATE);
  });

  it('accepts a backdated payment date, and dates the feed entry when it was marked', () => {
    const paidAt = new Date(now.getTime() - 5 * DAY);
    const decision = unwrap(markQuotePaid(state(QuoteStatus.ACCEPTED), { now, paidAt }));
    expect(decision.timestamps.paidAt).toEqual(paidAt);
    expect(decision.activity.at).toEqual(now);
    expect(decision.activity.message).toContain('received on Mar 9, 2026.');
  });

  it('refuses a payment date in the future as bad input on input.paidAt', () => {
    const result = markQuotePaid(state(QuoteStatus.ACCEPTED), {
      now,
      paidAt: new Date(now.getTime() + 1000),
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(BadInputError);
    expect(result.error.field).toEqual(['input', 'paidAt']);
  });

  it('leaves the case alone when the quote has none', () => {
    const decision = unwrap(
      markQuotePaid(state(QuoteStatus.ACCEPTED, { caseStatus: null }), { now }),
    );
    expect(decision.caseChange).toBeNull();
  });
});

describe('markQuoteUnpaid', () => {
  it('reverts to ACCEPTED, clears paidAt, leaves the case, and resumes unsent payment nudges', () => {
    const decision = unwrap(
      markQuoteUnpaid(
        state(QuoteStatus.PAID, { caseStatus: CaseStatus.WON, acceptedFollowUpsSent: 1 }),
        now,
      ),
    );
    expect(decision.status).toBe(QuoteStatus.ACCEPTED);
    expect(decision.timestamps).toEqual({ paidAt: null });
    expect(decision.caseChange).toBeNull();
    expect(decision.followUps.schedule.map((f) => f.sequence)).toEqual([2, 3]);
    expect(decision.activity.kind).toBe(ActivityKind.MARKED_UNPAID);
  });
});

describe('voidQuote', () => {
  it.each([QuoteStatus.DRAFT, QuoteStatus.SENT, QuoteStatus.ACCEPTED])(
    'voids a %s quote and cancels its nudges',
    (from) => {
      const decision = unwrap(voidQuote(state(from), now));
      expect(decision.status).toBe(QuoteStatus.VOID);
      expect(decision.followUps).toEqual({ cancelPending: true, schedule: [] });
      expect(decision.activity.kind).toBe(ActivityKind.VOIDED);
    },
  );
});

describe('addQuoteNote', () => {
  it.each(QUOTE_STATUSES)('adds a trimmed note to a %s quote', (status) => {
    const note = unwrap(addQuoteNote(state(status), '  Refunded half by MoMo.  ', now));
    expect(note).toEqual({
      kind: ActivityKind.NOTE_ADDED,
      at: now,
      message: 'Refunded half by MoMo.',
      reason: null,
    });
  });

  it('refuses blank and over-long notes', () => {
    expect(addQuoteNote(state(QuoteStatus.PAID), '   ', now).ok).toBe(false);
    expect(addQuoteNote(state(QuoteStatus.PAID), 'x'.repeat(2001), now).ok).toBe(false);
  });

  it('slots after the newest entry even if the clock went backwards', () => {
    const later = new Date(now.getTime() + 60_000);
    const note = unwrap(addQuoteNote(state(QuoteStatus.PAID, { lastActivityAt: later }), 'n', now));
    expect(note.at).toEqual(later);
  });
});

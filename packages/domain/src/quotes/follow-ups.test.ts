import { QUOTE_STATUSES, QuoteStatus } from './status';
import {
  followUpMessage,
  followUpStageOf,
  FollowUpStage,
  mayFollowUpSend,
  scheduleFollowUps,
} from './follow-ups';

const from = new Date('2026-03-01T10:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

describe('follow-ups', () => {
  it('schedules at most three nudges, 2, 5 and 10 days out', () => {
    expect(
      scheduleFollowUps(FollowUpStage.SENT, from).map((f) => f.dueAt.getTime() - from.getTime()),
    ).toEqual([2 * DAY, 5 * DAY, 10 * DAY]);
    expect(scheduleFollowUps(FollowUpStage.ACCEPTED, from, 2).map((f) => f.sequence)).toEqual([3]);
    expect(scheduleFollowUps(FollowUpStage.ACCEPTED, from, 3)).toEqual([]);
    expect(scheduleFollowUps(FollowUpStage.ACCEPTED, from, 7)).toEqual([]);
  });

  it('nudges sent quotes to accept and accepted invoices to pay, nothing else', () => {
    expect(QUOTE_STATUSES.map((s) => [s, followUpStageOf(s)])).toEqual([
      ['DRAFT', null],
      ['SENT', 'SENT'],
      ['ACCEPTED', 'ACCEPTED'],
      ['PAID', null],
      ['REFUNDED', null],
      ['VOID', null],
    ]);
  });

  it('sends a due nudge only while the quote is still in its stage', () => {
    const nudge = { stage: FollowUpStage.ACCEPTED, dueAt: from };
    expect(mayFollowUpSend(nudge, QuoteStatus.ACCEPTED, from)).toBe(true);
    expect(mayFollowUpSend(nudge, QuoteStatus.ACCEPTED, new Date(from.getTime() - 1))).toBe(false);
    for (const status of [
      QuoteStatus.PAID,
      QuoteStatus.REFUNDED,
      QuoteStatus.VOID,
      QuoteStatus.SENT,
    ]) {
      expect(mayFollowUpSend(nudge, status, from)).toBe(false);
    }
  });

  it('words the last nudge differently and names the quote', () => {
    expect(followUpMessage(FollowUpStage.SENT, 1, 'Q-000001')).toContain('Q-000001');
    expect(followUpMessage(FollowUpStage.ACCEPTED, 3, 'Q-000001')).toMatch(/last reminder/);
    expect(followUpMessage(FollowUpStage.ACCEPTED, 1, 'Q-000001')).not.toMatch(/last/);
  });
});

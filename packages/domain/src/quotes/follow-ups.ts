import { QuoteStatus } from './status';

/**
 * Automatic follow-ups (seed "Automated follow-ups without being pushy"): at most three nudges per
 * stage, spaced out, and never once the money has arrived or the quote is gone.
 */
export const FollowUpStage = {
  /** Sent, not yet accepted: nudge the customer to accept. */
  SENT: 'SENT',
  /** Accepted (an invoice), not yet paid: nudge the customer to pay. */
  ACCEPTED: 'ACCEPTED',
} as const;
export type FollowUpStage = (typeof FollowUpStage)[keyof typeof FollowUpStage];

/** Days after the quote entered the stage at which each nudge is due. */
export const FOLLOW_UP_OFFSETS_DAYS: readonly number[] = [2, 5, 10];
export const MAX_FOLLOW_UPS_PER_STAGE = FOLLOW_UP_OFFSETS_DAYS.length;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ScheduledFollowUp {
  readonly stage: FollowUpStage;
  /** 1, 2 or 3: which nudge of the stage this is. */
  readonly sequence: number;
  readonly dueAt: Date;
}

/**
 * What a transition does to the follow-ups of a quote: cancel what is pending, then schedule these.
 */
export interface FollowUpPlan {
  readonly cancelPending: boolean;
  readonly schedule: readonly ScheduledFollowUp[];
}

export const KEEP_FOLLOW_UPS: FollowUpPlan = { cancelPending: false, schedule: [] };
export const CANCEL_FOLLOW_UPS: FollowUpPlan = { cancelPending: true, schedule: [] };

/**
 * The nudges of a stage entered at `from`. `alreadySent` nudges of that stage went out earlier
 * (an invoice marked unpaid by accident goes back to ACCEPTED): only the rest are scheduled, each
 * at its offset from `from`, so a customer never gets more than three for one stage.
 */
export function scheduleFollowUps(
  stage: FollowUpStage,
  from: Date,
  alreadySent = 0,
): ScheduledFollowUp[] {
  return FOLLOW_UP_OFFSETS_DAYS.map((days, index) => ({
    stage,
    sequence: index + 1,
    dueAt: new Date(from.getTime() + days * DAY_MS),
  })).slice(Math.max(0, Math.min(alreadySent, MAX_FOLLOW_UPS_PER_STAGE)));
}

/** The stage a quote in this status is nudged for, if any. */
export function followUpStageOf(status: QuoteStatus): FollowUpStage | null {
  if (status === QuoteStatus.SENT) return FollowUpStage.SENT;
  if (status === QuoteStatus.ACCEPTED) return FollowUpStage.ACCEPTED;
  return null;
}

/**
 * Whether a due nudge may still go out. The worker asks this under a lock on the quote, so a nudge
 * scheduled for "accepted, not paid" never reaches a customer who has since paid, even when the
 * payment and the worker race.
 */
export function mayFollowUpSend(
  followUp: { readonly stage: FollowUpStage; readonly dueAt: Date },
  quoteStatus: QuoteStatus,
  now: Date,
): boolean {
  return (
    followUp.dueAt.getTime() <= now.getTime() && followUpStageOf(quoteStatus) === followUp.stage
  );
}

/** What the customer reads, by stage and nudge; the mail transport fills in the greeting. */
export function followUpMessage(
  stage: FollowUpStage,
  sequence: number,
  quoteNumber: string,
): string {
  if (stage === FollowUpStage.SENT) {
    return sequence >= MAX_FOLLOW_UPS_PER_STAGE
      ? `A last check-in on quote ${quoteNumber}: let us know if you would like to go ahead or change anything.`
      : `Just checking in on quote ${quoteNumber}: happy to answer any questions before you accept.`;
  }
  return sequence >= MAX_FOLLOW_UPS_PER_STAGE
    ? `A last reminder that invoice ${quoteNumber} is still open. Reply if anything is holding it up.`
    : `A friendly reminder that invoice ${quoteNumber} is waiting for payment.`;
}

import { BadInputError, DomainError, fail, ok, type Result, UserErrorCode } from '../errors';
import { type Money, toDecimalString } from '../money';
import { CANCEL_FOLLOW_UPS } from './follow-ups';
import { ActivityKind, CaseStatus, QuoteStatus } from './status';
import { type QuoteDecision, type QuoteState, nextActivityAt } from './transitions';

export const MAX_REFUND_REASON_LENGTH = 1000;

export interface RefundRecord {
  /** Full refunds only (v1): always the invoice total. */
  readonly amount: Money;
  readonly reason: string | null;
  readonly recordedAt: Date;
}

export interface RefundDecision extends QuoteDecision {
  readonly refund: RefundRecord;
}

/** A reason is optional: blank means none. */
export function normalizeRefundReason(
  reason: string | null | undefined,
): Result<string | null, BadInputError> {
  const text = (reason ?? '').trim();
  if (text.length === 0) return ok(null);
  if (text.length > MAX_REFUND_REASON_LENGTH) {
    return fail(
      new BadInputError(`Keep the reason under ${MAX_REFUND_REASON_LENGTH} characters.`, [
        'input',
        'reason',
      ]),
    );
  }
  return ok(text);
}

/**
 * Records that the business sent a paid invoice's money back (seed 000 section 3). Full refunds
 * only: the amount is the total. Terminal: a second refund is ALREADY_REFUNDED, and nothing
 * else is possible afterwards. The linked case goes WON → LOST (a case in any other status is left
 * alone), pending follow-ups are cancelled, and the feed gets REFUND_RECORDED with the reason,
 * after "Marked paid". Revenue subtracts `amount` on `recordedAt`.
 */
export function recordRefund(
  state: QuoteState,
  input: { readonly reason?: string | null; readonly now: Date },
): Result<RefundDecision, DomainError | BadInputError> {
  if (state.status === QuoteStatus.REFUNDED) {
    return fail(
      new DomainError(
        UserErrorCode.ALREADY_REFUNDED,
        'This invoice has already been refunded. A refund is final: add a note if something changed.',
      ),
    );
  }
  if (state.status !== QuoteStatus.PAID) {
    return fail(
      new DomainError(
        UserErrorCode.QUOTE_NOT_PAID,
        state.status === QuoteStatus.ACCEPTED
          ? 'Only a paid invoice can be refunded. Mark it paid first, or void it if it will not be paid.'
          : 'Only a paid invoice can be refunded.',
      ),
    );
  }
  const reason = normalizeRefundReason(input.reason);
  if (!reason.ok) return fail(reason.error);
  const at = nextActivityAt(input.now, state.lastActivityAt);
  const refunded = `${toDecimalString(state.total)} ${state.total.currency}`;
  return ok({
    status: QuoteStatus.REFUNDED,
    timestamps: { refundedAt: at },
    caseChange: state.caseStatus === CaseStatus.WON ? { status: CaseStatus.LOST } : null,
    followUps: CANCEL_FOLLOW_UPS,
    activity: {
      kind: ActivityKind.REFUND_RECORDED,
      at,
      // The reason travels in its own field and is shown inline beside the message.
      message: `Refund recorded: ${refunded}.`,
      reason: reason.value,
    },
    refund: { amount: state.total, reason: reason.value, recordedAt: at },
  });
}

export interface PortalRefundBanner {
  readonly message: string;
  readonly reason: string | null;
}

/**
 * The coral banner on the customer's invoice page: the owner's reason, or when they left it blank
 * a generic line that the money is on its way back.
 */
export function portalRefundBanner(
  status: QuoteStatus,
  reason: string | null,
  businessName: string,
): PortalRefundBanner | null {
  if (status !== QuoteStatus.REFUNDED) return null;
  const text = (reason ?? '').trim();
  if (text.length > 0) return { message: text, reason: text };
  return {
    message: `Refunded by ${businessName}. The funds should be on their way back to you: check your payment account.`,
    reason: null,
  };
}

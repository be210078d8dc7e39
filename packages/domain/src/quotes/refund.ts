import { BadInputError, DomainError, fail, ok, type Result, UserErrorCode } from '../errors';
import { type Money, add, compare, isPositive, subtract } from '../money';
import type { RefundReason } from '../refunds';
import { CANCEL_FOLLOW_UPS, KEEP_FOLLOW_UPS } from './follow-ups';
import {
  type BusinessFormat,
  formatAmount,
  formatDay,
  invoiceBalances,
  refundsReachTotal,
} from './settlement';
import { ActivityKind, CaseStatus, QuoteStatus } from './status';
import { type QuoteDecision, type QuoteState, ledgerOf, nextActivityAt } from './transitions';

export const MAX_REFUND_REASON_LENGTH = 1000;

export interface RefundRecord {
  readonly amount: Money;
  readonly reason: string | null;
  readonly reasonCategory: RefundReason | null;
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
 * Records that the business sent money of a paid invoice back: `amount` (default: everything
 * still refundable, i.e. a full refund), at most what was settled less what is already refunded
 * (AMOUNT_EXCEEDS_REFUNDABLE). Several partial refunds may follow one another; a partly refunded
 * invoice stays PAID. The refund that brings the refunds to the total makes it REFUNDED, which is
 * terminal (a further refund is ALREADY_REFUNDED): the linked case goes WON → LOST (a case in any
 * other status is left alone) and pending follow-ups are cancelled. Every refund adds
 * REFUND_RECORDED to the feed with the reason; revenue subtracts each on its own `recordedAt`.
 */
export function recordRefund(
  state: QuoteState,
  input: {
    readonly now: Date;
    readonly amount?: Money | null;
    readonly reason?: string | null;
    readonly reasonCategory?: RefundReason | null;
  },
): Result<RefundDecision, DomainError | BadInputError> {
  if (state.status === QuoteStatus.REFUNDED) {
    return fail(
      new DomainError(
        UserErrorCode.ALREADY_REFUNDED,
        'This invoice has already been refunded in full. A refund is final: add a note if something changed.',
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
  const ledger = ledgerOf(state);
  // A PAID invoice without a ledger (a caller that loads none) was paid in full.
  const { refundable } = state.ledger
    ? invoiceBalances(state.total, ledger)
    : { refundable: state.total };
  const amount = input.amount ?? refundable;
  if (amount.currency !== state.total.currency) {
    return fail(
      new DomainError(
        UserErrorCode.CURRENCY_MISMATCH,
        `This invoice is in ${state.total.currency}: refund it in ${state.total.currency}.`,
        ['input', 'amount'],
      ),
    );
  }
  if (!isPositive(amount)) {
    return fail(
      new DomainError(UserErrorCode.INVALID_AMOUNT, 'The amount must be more than zero.', [
        'input',
        'amount',
      ]),
    );
  }
  if (compare(amount, refundable) > 0) {
    return fail(
      new DomainError(
        UserErrorCode.AMOUNT_EXCEEDS_REFUNDABLE,
        `Only ${formatAmount(refundable, state.format)} of this invoice can still be refunded. Refund at most that.`,
        ['input', 'amount'],
      ),
    );
  }
  const at = nextActivityAt(input.now, state.lastActivityAt);
  const refund: RefundRecord = {
    amount,
    reason: reason.value,
    reasonCategory: input.reasonCategory ?? null,
    recordedAt: at,
  };
  const shown = formatAmount(amount, state.format);
  if (refundsReachTotal(state.total, ledger.refunded, amount)) {
    return ok({
      status: QuoteStatus.REFUNDED,
      timestamps: { refundedAt: at },
      caseChange: state.caseStatus === CaseStatus.WON ? { status: CaseStatus.LOST } : null,
      followUps: CANCEL_FOLLOW_UPS,
      activity: {
        kind: ActivityKind.REFUND_RECORDED,
        at,
        // The reason travels in its own field and is shown inline beside the message.
        message: isPositive(ledger.refunded)
          ? `Refund recorded: ${shown}. The invoice is now refunded in full.`
          : `Refund recorded: ${shown}.`,
        reason: reason.value,
      },
      refund,
    });
  }
  const left = subtract(refundable, amount);
  return ok({
    status: QuoteStatus.PAID,
    timestamps: {},
    caseChange: null,
    followUps: KEEP_FOLLOW_UPS,
    activity: {
      kind: ActivityKind.REFUND_RECORDED,
      at,
      message: `Partial refund recorded: ${shown} of ${formatAmount(state.total, state.format)} (${formatAmount(add(ledger.refunded, amount), state.format)} refunded so far, ${formatAmount(left, state.format)} still refundable).`,
      reason: reason.value,
    },
    refund,
  });
}

export interface PortalRefundBanner {
  readonly message: string;
  readonly reason: string | null;
}

/**
 * The coral banner on the customer's invoice page. Refunded in full: the owner's reason, or when
 * they left it blank a generic line that the money is on its way back. Partly refunded: how much
 * came back and when, then the reason. Nothing refunded: no banner.
 */
export function portalRefundBanner(input: {
  readonly status: QuoteStatus;
  readonly total: Money;
  readonly refunded: Money;
  /** The newest refund's date and reason. */
  readonly refundedAt: Date | null;
  readonly reason: string | null;
  readonly businessName: string;
  readonly format?: BusinessFormat;
}): PortalRefundBanner | null {
  const text = (input.reason ?? '').trim();
  const reason = text.length > 0 ? text : null;
  if (input.status === QuoteStatus.REFUNDED) {
    if (reason) return { message: reason, reason };
    return {
      message: `Refunded by ${input.businessName}. The funds should be on their way back to you: check your payment account.`,
      reason: null,
    };
  }
  if (!isPositive(input.refunded)) return null;
  const when = input.refundedAt ? ` on ${formatDay(input.refundedAt, input.format)}` : '';
  const howMuch = `${input.businessName} refunded ${formatAmount(input.refunded, input.format)} of ${formatAmount(input.total, input.format)}${when}.`;
  return { message: reason ? `${howMuch} ${reason}` : howMuch, reason };
}

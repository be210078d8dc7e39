import { BadInputError, DomainError, fail, ok, type Result, UserErrorCode } from '../errors';
import { type Money, isPositive } from '../money';
import {
  CANCEL_FOLLOW_UPS,
  type FollowUpPlan,
  FollowUpStage,
  scheduleFollowUps,
} from './follow-ups';
import {
  type BusinessFormat,
  type InvoiceLedger,
  emptyInvoiceLedger,
  formatAmount,
  formatDay,
  invoiceBalances,
} from './settlement';
import { ActivityKind, CaseStatus, QuoteStatus } from './status';

/** What a rule needs to know about a quote, loaded (and locked) by the service. */
export interface QuoteState {
  readonly status: QuoteStatus;
  readonly total: Money;
  readonly paidAt: Date | null;
  /** The status of the linked case, or null when the quote has none. */
  readonly caseStatus: CaseStatus | null;
  /** When the newest activity entry is dated: new entries are slotted after it. */
  readonly lastActivityAt: Date | null;
  /** How many nudges of the "accepted, not paid" stage already went out. */
  readonly acceptedFollowUpsSent?: number;
  /** The invoice's payments, allocations and refunds; absent means none yet. */
  readonly ledger?: InvoiceLedger;
  /** The business's locale and time zone, for the amounts and days in the feed. */
  readonly format?: BusinessFormat;
}

/** The state's ledger, empty when the service had none to give. */
export const ledgerOf = (state: QuoteState): InvoiceLedger =>
  state.ledger ?? emptyInvoiceLedger(state.total.currency);

export interface ActivityEntry {
  readonly kind: ActivityKind;
  readonly at: Date;
  readonly message: string;
  readonly reason: string | null;
}

/** What happens to the linked case; `dealValue` undefined leaves the deal value as it is. */
export interface CaseChange {
  readonly status: CaseStatus;
  readonly dealValue?: Money;
}

/** Timestamps to write; a key that is absent is left alone, `null` clears it. */
export interface QuoteTimestamps {
  readonly sentAt?: Date;
  readonly acceptedAt?: Date;
  readonly paidAt?: Date | null;
  readonly voidedAt?: Date;
  readonly refundedAt?: Date;
}

/** Everything one transition changes; the service writes all of it in one transaction. */
export interface QuoteDecision {
  readonly status: QuoteStatus;
  readonly timestamps: QuoteTimestamps;
  /** null: the case (if any) is left alone. */
  readonly caseChange: CaseChange | null;
  readonly followUps: FollowUpPlan;
  readonly activity: ActivityEntry;
}

export type QuoteAction = 'send' | 'accept' | 'markPaid' | 'markUnpaid' | 'void' | 'refund';

/**
 * The transitions of the lifecycle: DRAFT → SENT → ACCEPTED → PAID → REFUNDED, PAID → ACCEPTED
 * (mark unpaid), and DRAFT/SENT/ACCEPTED → VOID.
 */
export const ALLOWED_FROM: Readonly<Record<QuoteAction, readonly QuoteStatus[]>> = {
  send: [QuoteStatus.DRAFT],
  accept: [QuoteStatus.SENT],
  markPaid: [QuoteStatus.ACCEPTED],
  markUnpaid: [QuoteStatus.PAID],
  void: [QuoteStatus.DRAFT, QuoteStatus.SENT, QuoteStatus.ACCEPTED],
  refund: [QuoteStatus.PAID],
};

export function isAllowed(action: QuoteAction, status: QuoteStatus): boolean {
  return ALLOWED_FROM[action].includes(status);
}

const TERMINAL_HINT: Partial<Record<QuoteStatus, string>> = {
  REFUNDED:
    'This invoice was refunded, which is final. Add a note to explain, or re-create the quote.',
  VOID: 'This quote is void. Create a new quote instead.',
};

/** The sentence that says what to do instead, for an action the status does not allow. */
function whatToDoInstead(action: QuoteAction, status: QuoteStatus): string {
  const terminal = TERMINAL_HINT[status];
  if (terminal) return terminal;
  switch (action) {
    case 'send':
      return status === QuoteStatus.SENT
        ? 'This quote was already sent. Wait for the customer to accept it.'
        : 'This quote was already accepted: it is an invoice now.';
    case 'accept':
      if (status === QuoteStatus.DRAFT) return 'Send the quote before it can be accepted.';
      return 'This quote was already accepted: it is an invoice now.';
    case 'markPaid':
      if (status === QuoteStatus.PAID) return 'This invoice is already marked paid.';
      return status === QuoteStatus.DRAFT
        ? 'Send the quote and have it accepted before marking it paid.'
        : 'Accept the quote first: only an invoice can be marked paid.';
    case 'markUnpaid':
      return 'Only a paid invoice can be marked unpaid.';
    case 'void':
      return 'A paid invoice is not voided: record a refund if you sent the money back, or mark it unpaid if no money moved.';
    case 'refund':
      return 'Only a paid invoice can be refunded. Mark it paid first.';
  }
}

function invalidState(action: QuoteAction, status: QuoteStatus): DomainError {
  return new DomainError(UserErrorCode.INVALID_STATE, whatToDoInstead(action, status));
}

/** New entries go after the newest one, so the feed reads in the order things happened. */
export function nextActivityAt(now: Date, lastActivityAt: Date | null): Date {
  return lastActivityAt && lastActivityAt.getTime() > now.getTime() ? lastActivityAt : now;
}

function entry(
  state: QuoteState,
  now: Date,
  kind: ActivityKind,
  message: string,
  reason: string | null = null,
): ActivityEntry {
  return { kind, at: nextActivityAt(now, state.lastActivityAt), message, reason };
}

/** The first entry of a new quote's feed. */
export function quoteCreatedActivity(
  now: Date,
  total: Money,
  format?: BusinessFormat,
): ActivityEntry {
  return {
    kind: ActivityKind.CREATED,
    at: now,
    message: `Quote created for ${formatAmount(total, format)}.`,
    reason: null,
  };
}

export function sendQuote(state: QuoteState, now: Date): Result<QuoteDecision> {
  if (!isAllowed('send', state.status)) return fail(invalidState('send', state.status));
  return ok({
    status: QuoteStatus.SENT,
    timestamps: { sentAt: now },
    caseChange: null,
    followUps: { cancelPending: true, schedule: scheduleFollowUps(FollowUpStage.SENT, now) },
    activity: entry(state, now, ActivityKind.SENT, 'Quote sent to the customer.'),
  });
}

export function acceptQuote(state: QuoteState, now: Date): Result<QuoteDecision> {
  if (!isAllowed('accept', state.status)) return fail(invalidState('accept', state.status));
  return ok({
    status: QuoteStatus.ACCEPTED,
    timestamps: { acceptedAt: now },
    caseChange: null,
    followUps: { cancelPending: true, schedule: scheduleFollowUps(FollowUpStage.ACCEPTED, now) },
    activity: entry(state, now, ActivityKind.ACCEPTED, 'Quote accepted: it is now an invoice.'),
  });
}

/** A payment "Mark paid" records: what the invoice still owed, received on `paidAt`. */
export interface InvoicePayment {
  readonly amount: Money;
  readonly paidAt: Date;
}

export interface MarkPaidDecision extends QuoteDecision {
  readonly payment: InvoicePayment;
}

/**
 * ACCEPTED → PAID, recording a payment of what the invoice still owes (its total less credits
 * already allocated to it), which the customer's statement shows. `paidAt` (when the money
 * arrived) defaults to now and may be in the past (a payment recorded late), never in the future.
 * The linked case is won, with the total as its value.
 */
export function markQuotePaid(
  state: QuoteState,
  input: { readonly now: Date; readonly paidAt?: Date | null },
): Result<MarkPaidDecision, DomainError | BadInputError> {
  const { now } = input;
  const paidAt = input.paidAt ?? now;
  if (Number.isNaN(paidAt.getTime())) {
    return fail(new BadInputError('paidAt is not a valid date.', ['input', 'paidAt']));
  }
  if (paidAt.getTime() > now.getTime()) {
    return fail(
      new BadInputError('The payment date cannot be in the future.', ['input', 'paidAt']),
    );
  }
  if (!isAllowed('markPaid', state.status)) return fail(invalidState('markPaid', state.status));
  const { outstanding } = invoiceBalances(state.total, ledgerOf(state));
  if (!isPositive(outstanding)) {
    return fail(
      new DomainError(
        UserErrorCode.INVALID_STATE,
        'Credits on the customer’s account already settle this invoice: there is nothing left to mark paid.',
      ),
    );
  }
  const received = formatAmount(outstanding, state.format);
  const backdated = paidAt.getTime() < now.getTime();
  return ok({
    status: QuoteStatus.PAID,
    timestamps: { paidAt },
    caseChange: state.caseStatus ? { status: CaseStatus.WON, dealValue: state.total } : null,
    followUps: CANCEL_FOLLOW_UPS,
    activity: entry(
      state,
      now,
      ActivityKind.MARKED_PAID,
      `Marked paid: ${received} received${backdated ? ` on ${formatDay(paidAt, state.format)}` : ''}.`,
    ),
    payment: { amount: outstanding, paidAt },
  });
}

export interface MarkUnpaidDecision extends QuoteDecision {
  /** The reversing entry: the marked payments, taken back on `now`. */
  readonly reversal: { readonly amount: Money };
}

/**
 * Why an invoice cannot be marked unpaid, or null when it can. `payments` is what was marked paid
 * and not reversed. The SPA asks it to decide whether to offer the action at all, so it offers
 * exactly what markQuoteUnpaid accepts.
 */
export function markUnpaidRefusal(
  status: QuoteStatus,
  payments: Money,
  refunded: Money,
): DomainError | null {
  if (status === QuoteStatus.REFUNDED) {
    return new DomainError(
      UserErrorCode.INVALID_STATE,
      'A refunded invoice cannot be marked unpaid: a refund is final. Add a note to explain, or re-create the quote.',
    );
  }
  if (!isAllowed('markUnpaid', status)) return invalidState('markUnpaid', status);
  if (isPositive(refunded)) {
    return new DomainError(
      UserErrorCode.INVALID_STATE,
      'Part of this invoice was refunded, so its payment stays: a refund is final. Add a note to explain.',
    );
  }
  if (!isPositive(payments)) {
    return new DomainError(
      UserErrorCode.INVALID_STATE,
      'Credits on the customer’s account settle this invoice; no payment was marked, so there is nothing to mark unpaid.',
    );
  }
  return null;
}

/**
 * PAID → ACCEPTED for a payment marked by accident: no money moved, so nothing is refunded. The
 * payment row stays (the ledger is append-only); a reversing entry of the same amount is added,
 * which the statement shows and revenue subtracts on its own date. The invoice is unpaid again, so
 * the nudges of the "accepted, not paid" stage that had not gone out yet start again from now. The
 * case keeps its status: the customer did accept. An invoice settled only by credits on the
 * account has no payment to reverse, and one with refunds keeps its payment (a refund is final).
 */
export function markQuoteUnpaid(state: QuoteState, now: Date): Result<MarkUnpaidDecision> {
  const ledger = ledgerOf(state);
  // Legacy state without a ledger: the whole total was marked paid.
  const reversed = state.ledger ? ledger.payments : state.total;
  const refusal = markUnpaidRefusal(state.status, reversed, ledger.refunded);
  if (refusal) return fail(refusal);
  return ok({
    reversal: { amount: reversed },
    status: QuoteStatus.ACCEPTED,
    timestamps: { paidAt: null },
    caseChange: null,
    followUps: {
      cancelPending: true,
      schedule: scheduleFollowUps(FollowUpStage.ACCEPTED, now, state.acceptedFollowUpsSent ?? 0),
    },
    activity: entry(
      state,
      now,
      ActivityKind.MARKED_UNPAID,
      `Marked unpaid: the ${formatAmount(reversed, state.format)} payment was recorded by mistake and is reversed. It is an open invoice again.`,
    ),
  });
}

/** DRAFT, SENT or ACCEPTED → VOID. A paid invoice is refunded or marked unpaid instead. */
export function voidQuote(state: QuoteState, now: Date): Result<QuoteDecision> {
  if (!isAllowed('void', state.status)) return fail(invalidState('void', state.status));
  return ok({
    status: QuoteStatus.VOID,
    timestamps: { voidedAt: now },
    caseChange: null,
    followUps: CANCEL_FOLLOW_UPS,
    activity: entry(state, now, ActivityKind.VOIDED, 'Quote voided.'),
  });
}

export const MAX_NOTE_LENGTH = 2000;

/** A note in the feed, in any status (the seed's way to explain a partial refund). */
export function addQuoteNote(
  state: QuoteState,
  body: string,
  now: Date,
): Result<ActivityEntry, BadInputError> {
  const text = body.trim();
  if (text.length === 0) return fail(new BadInputError('Write something in the note.', ['body']));
  if (text.length > MAX_NOTE_LENGTH) {
    return fail(new BadInputError(`Keep a note under ${MAX_NOTE_LENGTH} characters.`, ['body']));
  }
  return ok(entry(state, now, ActivityKind.NOTE_ADDED, text));
}

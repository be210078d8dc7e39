import { BadInputError, DomainError, fail, ok, type Result, UserErrorCode } from '../errors';
import { type Credits, MAX_CREDITS } from '../money';
import {
  type CreditEntry,
  CreditTransactionKind,
  isRefundableKind,
  isReversibleKind,
  refundableCredits,
} from './ledger';

/**
 * The largest balance a wallet may reach: a thousand times the largest single entry, still far
 * below a PostgreSQL bigint, so sums of entries can never overflow a column.
 */
export const MAX_CREDIT_BALANCE = MAX_CREDITS * 1000n;

/** What a rule decided for a new entry: its signed credits and the balance after it. */
export interface CreditEntryDecision {
  readonly kind: CreditTransactionKind;
  readonly credits: Credits;
  readonly balanceAfter: Credits;
}

const plural = (n: Credits): string => `${n.toString()} credit${n === 1n || n === -1n ? '' : 's'}`;

const amountError = (message: string) =>
  new DomainError(UserErrorCode.INVALID_AMOUNT, message, ['input', 'credits']);

function checkPositive(credits: Credits): DomainError | null {
  if (credits <= 0n) return amountError('Use a whole number of credits above zero.');
  if (credits > MAX_CREDITS) return amountError('That number of credits is too large.');
  return null;
}

function entry(
  kind: CreditTransactionKind,
  credits: Credits,
  balance: Credits,
): Result<CreditEntryDecision> {
  const balanceAfter = balance + credits;
  if (balanceAfter > MAX_CREDIT_BALANCE) {
    return fail(amountError('The balance would be too large. Use a smaller number of credits.'));
  }
  return ok({ kind, credits, balanceAfter });
}

/** Credits bought through whatever payment system: a positive PURCHASE entry. */
export function decidePurchase(balance: Credits, credits: Credits): Result<CreditEntryDecision> {
  const invalid = checkPositive(credits);
  if (invalid) return fail(invalid);
  return entry(CreditTransactionKind.PURCHASE, credits, balance);
}

/** Credits used: a negative SPEND entry, never taking the balance below zero. */
export function decideSpend(balance: Credits, credits: Credits): Result<CreditEntryDecision> {
  const invalid = checkPositive(credits);
  if (invalid) return fail(invalid);
  if (credits > balance) {
    return fail(
      new DomainError(
        UserErrorCode.INSUFFICIENT_BALANCE,
        `The balance is ${plural(balance)}: not enough to spend ${plural(credits)}.`,
        ['input', 'credits'],
      ),
    );
  }
  return entry(CreditTransactionKind.SPEND, -credits, balance);
}

export interface RefundRequest {
  /** The entry to refund, as stored. */
  readonly target: Pick<CreditEntry, 'kind' | 'credits' | 'reversed'>;
  /** What the counting refunds of the target add up to now. */
  readonly refundedCredits: Credits;
  /** The customer's balance now. */
  readonly balance: Credits;
  /** Credits to give back; absent: everything still refundable. */
  readonly credits?: Credits | null;
  /**
   * What the caller believes is already refunded (from the screen it works on). When it differs
   * from the truth, someone refunded meanwhile and the request is refused rather than repeated.
   */
  readonly expectedRefundedCredits?: Credits | null;
}

/**
 * Gives back credits of a SPEND as a positive REFUND entry. Refunds of one spend never add up to
 * more than it; purchases are not refundable this way (their money goes back through the payment
 * system after a negative correction, as the seed says).
 */
export function decideRefund(request: RefundRequest): Result<CreditEntryDecision> {
  const { target, refundedCredits, balance } = request;
  if (!isRefundableKind(target.kind)) {
    return fail(
      new DomainError(
        UserErrorCode.NOT_REFUNDABLE,
        target.kind === CreditTransactionKind.PURCHASE
          ? 'A purchase cannot be refunded as credits. Remove the credits with a negative correction and refund the money through the payment system.'
          : 'Only a spend can be refunded.',
        ['input', 'transactionId'],
      ),
    );
  }
  if (target.reversed) {
    return fail(
      new DomainError(UserErrorCode.INVALID_STATE, 'This entry was deleted.', [
        'input',
        'transactionId',
      ]),
    );
  }
  const expected = request.expectedRefundedCredits;
  if (expected !== undefined && expected !== null && expected !== refundedCredits) {
    return fail(
      new DomainError(
        UserErrorCode.INVALID_STATE,
        `${plural(refundedCredits)} of this spend ${refundedCredits === 1n ? 'has' : 'have'} been refunded meanwhile, not ${expected.toString()}. Reload and check before refunding again.`,
        ['input', 'expectedRefundedCredits'],
      ),
    );
  }
  const refundable = refundableCredits(target, refundedCredits);
  const requested = request.credits;
  if (requested === undefined || requested === null) {
    if (refundable === 0n) {
      return fail(
        new DomainError(
          UserErrorCode.ALREADY_REFUNDED,
          'This spend has already been refunded in full.',
          ['input', 'transactionId'],
        ),
      );
    }
    return entry(CreditTransactionKind.REFUND, refundable, balance);
  }
  const invalid = checkPositive(requested);
  if (invalid) return fail(invalid);
  if (requested > refundable) {
    return fail(
      new DomainError(
        UserErrorCode.AMOUNT_EXCEEDS_REFUNDABLE,
        `Only ${plural(refundable)} of this spend can still be refunded.`,
        ['input', 'credits'],
      ),
    );
  }
  return entry(CreditTransactionKind.REFUND, requested, balance);
}

/** A signed, non-zero manual correction (ADJUSTMENT); never takes the balance below zero. */
export function decideAdjustment(balance: Credits, credits: Credits): Result<CreditEntryDecision> {
  if (credits === 0n) return fail(amountError('A correction cannot be zero.'));
  if (credits > MAX_CREDITS || credits < -MAX_CREDITS) {
    return fail(amountError('That number of credits is too large.'));
  }
  if (balance + credits < 0n) {
    return fail(
      new DomainError(
        UserErrorCode.INSUFFICIENT_BALANCE,
        `The balance is ${plural(balance)}: a correction can remove at most ${plural(balance)}.`,
        ['input', 'credits'],
      ),
    );
  }
  return entry(CreditTransactionKind.ADJUSTMENT, credits, balance);
}

/**
 * The seed's money refund: a correction of minus the whole balance, leaving zero, after which the
 * money goes back through the payment system.
 */
export function decideMoneyRefundCorrection(balance: Credits): Result<CreditEntryDecision> {
  if (balance <= 0n) {
    return fail(
      new DomainError(UserErrorCode.INSUFFICIENT_BALANCE, 'The balance is already zero.', [
        'input',
        'credits',
      ]),
    );
  }
  return decideAdjustment(balance, -balance);
}

/**
 * Deleting a REFUND or ADJUSTMENT entered by mistake: a REVERSAL entry of minus its credits,
 * linked to it. The undone entry stays as it was; "deleted" is derived from the reversal. A
 * reversed refund no longer counts against its spend, which becomes refundable again.
 */
export function decideReversal(
  target: Pick<CreditEntry, 'kind' | 'credits' | 'reversed'>,
  balance: Credits,
): Result<CreditEntryDecision> {
  const field = ['input', 'transactionId'];
  if (target.reversed) {
    return fail(
      new DomainError(UserErrorCode.INVALID_STATE, 'This entry is already deleted.', field),
    );
  }
  if (!isReversibleKind(target.kind)) {
    return fail(
      new DomainError(
        UserErrorCode.INVALID_STATE,
        target.kind === CreditTransactionKind.REVERSAL
          ? 'A reversal cannot be deleted. Record a new refund or correction instead.'
          : 'Only a refund or a correction can be deleted. Fix a purchase or a spend with a correction.',
        field,
      ),
    );
  }
  const credits = -target.credits;
  const balanceAfter = balance + credits;
  if (balanceAfter < 0n) {
    return fail(
      new DomainError(
        UserErrorCode.INSUFFICIENT_BALANCE,
        `Deleting this entry would remove ${plural(target.credits)}, but the balance is ${plural(balance)}.`,
        field,
      ),
    );
  }
  if (balanceAfter > MAX_CREDIT_BALANCE) {
    return fail(
      new DomainError(UserErrorCode.INVALID_AMOUNT, 'The balance would be too large.', field),
    );
  }
  return ok({ kind: CreditTransactionKind.REVERSAL, credits, balanceAfter });
}

/** Longest free text kept on an entry (description, reason, comment). */
export const MAX_CREDIT_NOTE_LENGTH = 500;

/** Optional free text: trimmed, empty becomes null, bounded. */
export function normalizeCreditNote(
  text: string | null | undefined,
  field: readonly string[],
): Result<string | null, BadInputError> {
  if (text === undefined || text === null) return ok(null);
  const trimmed = text.trim();
  if (trimmed.length > MAX_CREDIT_NOTE_LENGTH) {
    return fail(new BadInputError(`Use at most ${MAX_CREDIT_NOTE_LENGTH} characters.`, field));
  }
  return ok(trimmed.length === 0 ? null : trimmed);
}

/** The required comment of a correction: says why the balance changed. */
export function requireCorrectionComment(
  text: string,
  field: readonly string[] = ['input', 'comment'],
): Result<string, BadInputError> {
  const normalized = normalizeCreditNote(text, field);
  if (!normalized.ok) return normalized;
  if (normalized.value === null) {
    return fail(new BadInputError('Write a comment that says why the balance changes.', field));
  }
  return ok(normalized.value);
}

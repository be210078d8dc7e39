import { DomainError, fail, ok, type Result, UserErrorCode } from '../errors';
import { type CurrencyCode, type Money, add, compare, isPositive, subtract } from '../money';
import { type AccountCreditState, creditOutstanding } from './credit';
import { describeAccountMoney } from './messages';

export interface AccountRefundDecision {
  readonly amount: Money;
  readonly credit: AccountCreditState;
  readonly outstandingAfter: Money;
}

/**
 * refundCreditNote: pays out a credit note's or payment's outstanding amount, or part of it, from
 * a bank account of the same currency. Without an amount, the whole outstanding amount. The
 * outstanding amount can never go below zero.
 */
export function decideAccountRefund(request: {
  readonly credit: AccountCreditState;
  /** Absent: refund everything outstanding. */
  readonly amount?: Money | null;
  readonly bankAccountCurrency: CurrencyCode;
}): Result<AccountRefundDecision> {
  const { credit, bankAccountCurrency } = request;
  const currency = credit.amount.currency;
  if (bankAccountCurrency !== currency) {
    return fail(
      new DomainError(
        UserErrorCode.CURRENCY_MISMATCH,
        `This credit is in ${currency} but the bank account is in ${bankAccountCurrency}. Choose a ${currency} bank account.`,
        ['input', 'bankAccountId'],
      ),
    );
  }
  const outstanding = creditOutstanding(credit);
  const amount = request.amount ?? outstanding;
  if (amount.currency !== currency) {
    return fail(
      new DomainError(UserErrorCode.CURRENCY_MISMATCH, `Refund this credit in ${currency}.`, [
        'input',
        'amount',
      ]),
    );
  }
  if (request.amount && !isPositive(amount)) {
    return fail(
      new DomainError(UserErrorCode.INVALID_AMOUNT, 'The amount must be more than zero.', [
        'input',
        'amount',
      ]),
    );
  }
  if (!isPositive(outstanding)) {
    return fail(
      new DomainError(
        UserErrorCode.AMOUNT_EXCEEDS_OUTSTANDING,
        'Nothing is outstanding on this credit: it has been used or refunded in full.',
        ['input', 'amount'],
      ),
    );
  }
  if (compare(amount, outstanding) > 0) {
    return fail(
      new DomainError(
        UserErrorCode.AMOUNT_EXCEEDS_OUTSTANDING,
        `Only ${describeAccountMoney(outstanding)} is outstanding on this credit. Refund at most that.`,
        ['input', 'amount'],
      ),
    );
  }
  return ok({
    amount,
    credit: { ...credit, refunded: add(credit.refunded, amount) },
    outstandingAfter: subtract(outstanding, amount),
  });
}

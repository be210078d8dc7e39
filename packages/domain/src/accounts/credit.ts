import { type Money, subtract, zero, isNegative } from '../money';

/** The two kinds of credit on a customer's account (the seed's "credit notes and payments"). */
export const AccountCreditKind = { CREDIT_NOTE: 'CREDIT_NOTE', PAYMENT: 'PAYMENT' } as const;
export type AccountCreditKind = (typeof AccountCreditKind)[keyof typeof AccountCreditKind];

/**
 * What is known about one credit note or payment: its original value and what has been taken from
 * it so far. `allocated` counts only allocations to quotes that are still invoices; `refunded` is
 * the sum of refunds paid out from it.
 */
export interface AccountCreditState {
  readonly amount: Money;
  readonly allocated: Money;
  readonly refunded: Money;
}

export function newAccountCredit(amount: Money): AccountCreditState {
  return { amount, allocated: zero(amount.currency), refunded: zero(amount.currency) };
}

/**
 * The O/S column: original value − allocations − refunds. A £25 note that paid a £20 invoice shows
 * £5. Never negative when the rules below were followed; a negative result means corrupted state,
 * so it throws rather than hiding it.
 */
export function creditOutstanding(credit: AccountCreditState): Money {
  const outstanding = subtract(subtract(credit.amount, credit.allocated), credit.refunded);
  if (isNegative(outstanding)) {
    throw new Error(
      `Corrupted account credit: outstanding ${outstanding.minor} ${outstanding.currency} < 0`,
    );
  }
  return outstanding;
}

/** Whether the credit belongs in the "outstanding credits" list (something left to use). */
export function hasOutstanding(credit: AccountCreditState): boolean {
  return creditOutstanding(credit).minor > 0n;
}

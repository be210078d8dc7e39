import { DomainError, fail, type Result, UserErrorCode } from '../errors';
import { type CurrencyCode, type Money, parseCurrency, parsePositiveMoney } from '../money';

/** The wire shape of a `MoneyInput`: a decimal string and an ISO 4217 code. */
export interface AccountMoneyInput {
  readonly amount: string;
  readonly currency: string;
}

/**
 * Reads the amount of a credit note or a payment: a customer's account is kept in the business
 * currency only, so another currency is CURRENCY_MISMATCH; zero, negatives and malformed decimals
 * are INVALID_AMOUNT. Errors point at `["input", "amount", ...]`.
 */
export function parseAccountAmount(
  input: AccountMoneyInput,
  businessCurrency: CurrencyCode,
): Result<Money> {
  const currency = parseCurrency(input.currency);
  if (!currency.ok) return fail(currency.error.at('input', 'amount', 'currency'));
  if (currency.value !== businessCurrency) {
    return fail(
      new DomainError(
        UserErrorCode.CURRENCY_MISMATCH,
        `Customer accounts are kept in ${businessCurrency}. Enter the amount in ${businessCurrency}, not ${currency.value}.`,
        ['input', 'amount', 'currency'],
      ),
    );
  }
  const amount = parsePositiveMoney(input.amount, businessCurrency);
  if (!amount.ok) return fail(amount.error.at('input', 'amount', 'amount'));
  return amount;
}

/**
 * Reads an optional bare `Decimal` amount (allocateCredit, refundCreditNote) in the account's
 * currency. `undefined`/`null` stays undefined: the rule then picks its default.
 */
export function parseOptionalAccountAmount(
  input: string | null | undefined,
  currency: CurrencyCode,
): Result<Money | undefined> {
  if (input === undefined || input === null) return { ok: true, value: undefined };
  const amount = parsePositiveMoney(input, currency);
  if (!amount.ok) return fail(amount.error.at('input', 'amount'));
  return amount;
}

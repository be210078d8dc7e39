import { BadInputError, fail, ok, type Result } from '../errors';
import { type CurrencyCode, parseCurrency } from '../money';

export interface BankAccountDraft {
  readonly name: string;
  readonly currency: CurrencyCode;
}

export const MAX_BANK_ACCOUNT_NAME_LENGTH = 100;
export const MAX_ACCOUNT_TEXT_LENGTH = 500;

/** createBankAccount: a name a person recognises and an ISO 4217 currency. Malformed → BAD_USER_INPUT. */
export function parseBankAccount(input: {
  readonly name: string;
  readonly currency: string;
}): Result<BankAccountDraft, BadInputError> {
  const name = input.name.trim();
  if (name.length === 0) {
    return fail(new BadInputError('Give the bank account a name.', ['input', 'name']));
  }
  if (name.length > MAX_BANK_ACCOUNT_NAME_LENGTH) {
    return fail(
      new BadInputError(`Keep the name under ${MAX_BANK_ACCOUNT_NAME_LENGTH} characters.`, [
        'input',
        'name',
      ]),
    );
  }
  const currency = parseCurrency(input.currency);
  if (!currency.ok) return fail(new BadInputError(currency.error.message, ['input', 'currency']));
  return ok({ name, currency: currency.value });
}

/**
 * A free-text reason or reference: trimmed, blank → null, bounded so nobody stores a novel.
 */
export function parseAccountText(
  input: string | null | undefined,
  field: string,
): Result<string | null, BadInputError> {
  if (input === undefined || input === null) return ok(null);
  const text = input.trim();
  if (text.length === 0) return ok(null);
  if (text.length > MAX_ACCOUNT_TEXT_LENGTH) {
    return fail(
      new BadInputError(`Keep the ${field} under ${MAX_ACCOUNT_TEXT_LENGTH} characters.`, [
        'input',
        field,
      ]),
    );
  }
  return ok(text);
}

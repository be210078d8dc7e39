import { DomainError, fail, ok, type Result, UserErrorCode } from '../errors';

/** An ISO 4217 code this runtime knows, e.g. "USD", "GHS", "JPY". */
export type CurrencyCode = string & { readonly __brand: 'CurrencyCode' };

const knownCurrencies = new Set<string>(Intl.supportedValuesOf('currency'));

export function parseCurrency(input: string): Result<CurrencyCode> {
  const code = typeof input === 'string' ? input.trim().toUpperCase() : '';
  if (!/^[A-Z]{3}$/.test(code) || !knownCurrencies.has(code)) {
    return fail(
      new DomainError(
        UserErrorCode.INVALID_AMOUNT,
        `"${String(input)}" is not an ISO 4217 currency code such as USD, GHS or EUR.`,
      ),
    );
  }
  return ok(code as CurrencyCode);
}

const minorDigitsCache = new Map<string, number>();

/**
 * How many digits the currency has after the dot (USD 2, JPY 0, BHD 3), as the Unicode CLDR data in
 * Intl says, so the rule and the display can never disagree.
 */
export function minorDigits(currency: CurrencyCode): number {
  let digits = minorDigitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits as number;
    minorDigitsCache.set(currency, digits);
  }
  return digits;
}

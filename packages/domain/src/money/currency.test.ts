import { UserErrorCode } from '../errors';
import { type CurrencyCode, minorDigits, parseCurrency } from './currency';

function currency(code: string): CurrencyCode {
  const result = parseCurrency(code);
  if (!result.ok) throw new Error(`expected ${code} to be a currency`);
  return result.value;
}

describe('parseCurrency', () => {
  it.each(['USD', 'EUR', 'GHS', 'JPY', 'BHD', 'BRL', 'KES', 'XOF'])('accepts %s', (code) => {
    expect(parseCurrency(code)).toEqual({ ok: true, value: code });
  });

  it('reads lower case and surrounding spaces as the upper-case code', () => {
    expect(parseCurrency(' ghs ')).toEqual({ ok: true, value: 'GHS' });
  });

  it.each(['', 'US', 'USDX', 'US1', '$', 'ABC', 'QQQ', 'U S', 'dollar'])(
    'refuses %j with INVALID_AMOUNT',
    (input) => {
      const result = parseCurrency(input);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe(UserErrorCode.INVALID_AMOUNT);
        expect(result.error.message).toContain('ISO 4217');
      }
    },
  );

  it('refuses a value that is not a string', () => {
    expect(parseCurrency(undefined as unknown as string).ok).toBe(false);
  });
});

describe('minorDigits', () => {
  it.each([
    ['USD', 2],
    ['EUR', 2],
    ['GHS', 2],
    ['BRL', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['CLP', 0],
    ['BHD', 3],
    ['KWD', 3],
    ['TND', 3],
  ])('%s has %s decimal places', (code, digits) => {
    expect(minorDigits(currency(code))).toBe(digits);
    // Twice, so the cached answer is checked too.
    expect(minorDigits(currency(code))).toBe(digits);
  });
});

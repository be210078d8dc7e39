import { DomainError, UserErrorCode } from '../errors';
import { type CurrencyCode, parseCurrency } from './currency';
import {
  add,
  compare,
  equals,
  formatMoney,
  greaterThan,
  isNegative,
  isPositive,
  isZero,
  lessThan,
  localeForCountry,
  max,
  MAX_MINOR_UNITS,
  min,
  money,
  multiply,
  negate,
  parseMoney,
  parsePositiveMoney,
  subtract,
  sum,
  toDecimalString,
  zero,
} from './money';

function currency(code: string): CurrencyCode {
  const result = parseCurrency(code);
  if (!result.ok) throw new Error(`expected ${code} to be a currency`);
  return result.value;
}

const USD = currency('USD');
const JPY = currency('JPY');
const BHD = currency('BHD');
const GHS = currency('GHS');
const BRL = currency('BRL');
const EUR = currency('EUR');

const usd = (minor: bigint) => money(minor, USD);

function refusal(result: ReturnType<typeof parseMoney>): string {
  if (result.ok) throw new Error(`expected a refusal, got ${result.value.minor}`);
  expect(result.error).toBeInstanceOf(DomainError);
  expect(result.error.code).toBe(UserErrorCode.INVALID_AMOUNT);
  return result.error.message;
}

function mismatch(action: () => unknown): DomainError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(UserErrorCode.CURRENCY_MISMATCH);
    return error as DomainError;
  }
  throw new Error('expected CURRENCY_MISMATCH');
}

describe('parseMoney', () => {
  it.each([
    ['1250.00', USD, 125000n],
    ['1250.5', USD, 125050n],
    ['1250', USD, 125000n],
    ['0.01', USD, 1n],
    ['0', USD, 0n],
    ['1250', JPY, 1250n],
    ['1.250', BHD, 1250n],
    ['1.25', BHD, 1250n],
    ['0.001', BHD, 1n],
    ['12.34', GHS, 1234n],
  ])('reads %s %s as %s minor units', (input, code, minor) => {
    expect(parseMoney(input, code)).toEqual({ ok: true, value: { minor, currency: code } });
  });

  it('refuses more decimals than the currency has, naming the currency', () => {
    expect(refusal(parseMoney('1.234', USD))).toBe(
      'USD has 2 decimal places: use at most 2 digits after the dot.',
    );
    expect(refusal(parseMoney('1.5', JPY))).toBe('JPY has no minor unit: use a whole number.');
    expect(refusal(parseMoney('1.0', JPY))).toBe('JPY has no minor unit: use a whole number.');
    expect(refusal(parseMoney('1.2345', BHD))).toBe(
      'BHD has 3 decimal places: use at most 3 digits after the dot.',
    );
  });

  it.each([
    '',
    '-1',
    '+1',
    '1e2',
    '1,250.00',
    '1.250,00',
    ' 1',
    '1 ',
    '\u0661\u0662',
    '.5',
    '5.',
    'abc',
  ])('refuses %j', (input) => {
    refusal(parseMoney(input, USD));
  });

  it('accepts a sign only when asked', () => {
    expect(refusal(parseMoney('-12.50', USD))).toBe('The amount cannot be negative.');
    expect(parseMoney('-12.50', USD, { allowNegative: true })).toEqual({
      ok: true,
      value: usd(-1250n),
    });
  });

  it('bounds the amount in minor units whatever the number of decimals typed', () => {
    // 10^15 minor units: ten trillion dollars, exactly at the bound.
    expect(parseMoney('10000000000000', USD)).toEqual({ ok: true, value: usd(MAX_MINOR_UNITS) });
    expect(parseMoney('10000000000000.00', USD)).toEqual({
      ok: true,
      value: usd(MAX_MINOR_UNITS),
    });
    expect(refusal(parseMoney('10000000000000.01', USD))).toBe('That amount is too large.');
    expect(refusal(parseMoney('10000000000001', USD))).toBe('That amount is too large.');
    expect(parseMoney('1000000000000000', JPY)).toEqual({
      ok: true,
      value: money(MAX_MINOR_UNITS, JPY),
    });
    expect(refusal(parseMoney('1000000000000001', JPY))).toBe('That amount is too large.');
    expect(parseMoney('1000000000000.000', BHD).ok).toBe(true);
    expect(refusal(parseMoney('1000000000000.001', BHD))).toBe('That amount is too large.');
    expect(refusal(parseMoney('-10000000000000.01', USD, { allowNegative: true }))).toBe(
      'That amount is too large.',
    );
  });

  it('bounds the length of the input', () => {
    expect(refusal(parseMoney(`${'0'.repeat(40)}1.00`, USD))).toBe('That amount is too long.');
  });
});

describe('parsePositiveMoney', () => {
  it('accepts an amount above zero', () => {
    expect(parsePositiveMoney('0.01', USD)).toEqual({ ok: true, value: usd(1n) });
  });

  it('refuses zero, however it is written', () => {
    expect(refusal(parsePositiveMoney('0', USD))).toBe('The amount must be more than zero.');
    expect(refusal(parsePositiveMoney('0.00', USD))).toBe('The amount must be more than zero.');
  });

  it('refuses negatives and malformed input', () => {
    expect(refusal(parsePositiveMoney('-1', USD))).toBe('The amount cannot be negative.');
    refusal(parsePositiveMoney('1.001', USD));
  });
});

describe('toDecimalString', () => {
  it.each([
    [125000n, USD, '1250.00'],
    [5n, USD, '0.05'],
    [0n, USD, '0.00'],
    [-1250n, USD, '-12.50'],
    [1250n, JPY, '1250'],
    [1250125n, BHD, '1250.125'],
    [1n, BHD, '0.001'],
    [MAX_MINOR_UNITS, USD, '10000000000000.00'],
  ])('writes %s minor units of %s as %s', (minor, code, expected) => {
    expect(toDecimalString(money(minor, code))).toBe(expected);
  });
});

describe('arithmetic and comparison', () => {
  it('adds and subtracts exactly in minor units', () => {
    expect(add(usd(1050n), usd(295n))).toEqual(usd(1345n));
    expect(subtract(usd(1050n), usd(1295n))).toEqual(usd(-245n));
    expect(negate(usd(5n))).toEqual(usd(-5n));
    // The classic float trap: 0.1 + 0.2 is 0.30 here.
    const a = parseMoney('0.10', USD);
    const b = parseMoney('0.20', USD);
    if (!a.ok || !b.ok) throw new Error('parse');
    expect(toDecimalString(add(a.value, b.value))).toBe('0.30');
  });

  it('compares and answers the predicates', () => {
    expect(compare(usd(1n), usd(2n))).toBe(-1);
    expect(compare(usd(2n), usd(1n))).toBe(1);
    expect(compare(usd(2n), usd(2n))).toBe(0);
    expect(equals(usd(3n), usd(3n))).toBe(true);
    expect(equals(usd(3n), usd(4n))).toBe(false);
    expect(greaterThan(usd(4n), usd(3n))).toBe(true);
    expect(greaterThan(usd(3n), usd(3n))).toBe(false);
    expect(lessThan(usd(3n), usd(4n))).toBe(true);
    expect(lessThan(usd(3n), usd(3n))).toBe(false);
    expect(isZero(zero(USD))).toBe(true);
    expect(isZero(usd(1n))).toBe(false);
    expect(isPositive(usd(1n))).toBe(true);
    expect(isPositive(zero(USD))).toBe(false);
    expect(isNegative(usd(-1n))).toBe(true);
    expect(isNegative(zero(USD))).toBe(false);
  });

  it('min and max pick the smaller and the larger', () => {
    expect(min(usd(5n), usd(3n))).toEqual(usd(3n));
    expect(min(usd(-5n), usd(3n))).toEqual(usd(-5n));
    expect(max(usd(5n), usd(3n))).toEqual(usd(5n));
    expect(max(usd(-5n), usd(-3n))).toEqual(usd(-3n));
  });

  it('sums a list, and an empty list is zero in the given currency', () => {
    expect(sum([usd(100n), usd(250n), usd(-50n)], USD)).toEqual(usd(300n));
    expect(sum([], GHS)).toEqual(zero(GHS));
  });

  it('refuses to combine two currencies with CURRENCY_MISMATCH', () => {
    const cedis = money(100n, GHS);
    const dollars = usd(100n);
    expect(mismatch(() => add(dollars, cedis)).message).toBe('Cannot combine USD and GHS amounts.');
    mismatch(() => subtract(dollars, cedis));
    mismatch(() => compare(dollars, cedis));
    mismatch(() => equals(dollars, cedis));
    mismatch(() => greaterThan(dollars, cedis));
    mismatch(() => lessThan(dollars, cedis));
    mismatch(() => min(dollars, cedis));
    mismatch(() => max(dollars, cedis));
    mismatch(() => sum([dollars, cedis], USD));
    mismatch(() => sum([cedis], USD));
  });
});

describe('multiply', () => {
  it.each([
    // price minor, quantity unscaled, quantity scale, expected minor
    [1000n, 3n, 0, 3000n], // 10.00 × 3
    [1000n, 15n, 1, 1500n], // 10.00 × 1.5
    [333n, 15n, 1, 500n], // 3.33 × 1.5 = 4.995 -> 5.00 (half away from zero)
    [-333n, 15n, 1, -500n], // -3.33 × 1.5 = -4.995 -> -5.00
    [100n, 125n, 3, 13n], // 1.00 × 0.125 = 0.125 -> 0.13
    [100n, 124n, 3, 12n], // 1.00 × 0.124 -> 0.12
    [-100n, 125n, 3, -13n], // -1.00 × 0.125 -> -0.13
    [999n, 0n, 0, 0n], // × 0
    [1999n, 3333n, 4, 666n], // 19.99 × 0.3333 = 6.662667 -> 6.66
  ])('%s × %s/10^%s = %s minor units', (price, unscaled, scale, expected) => {
    expect(multiply(usd(price), { unscaled, scale })).toEqual(usd(expected));
  });

  it('keeps the currency of the price and rounds to its minor unit', () => {
    // 1250 JPY × 0.5 = 625; 1251 JPY × 0.5 = 625.5 -> 626.
    expect(multiply(money(1251n, JPY), { unscaled: 5n, scale: 1 })).toEqual(money(626n, JPY));
    // 1.001 BHD × 0.5 = 0.5005 -> 0.501.
    expect(multiply(money(1001n, BHD), { unscaled: 5n, scale: 1 })).toEqual(money(501n, BHD));
  });
});

describe('localeForCountry', () => {
  it.each([
    ['US', 'en-US-u-nu-latn'],
    ['BR', 'pt-BR-u-nu-latn'],
    ['DE', 'de-DE-u-nu-latn'],
    ['br', 'pt-BR-u-nu-latn'],
    ['JP', 'ja-JP-u-nu-latn'],
    ['FR', 'fr-FR-u-nu-latn'],
  ])('%s -> %s', (country, locale) => {
    expect(localeForCountry(country)).toBe(locale);
  });

  it('uses English where it is the language of business, not the likely local language', () => {
    expect(localeForCountry('GH')).toBe('en-GH-u-nu-latn');
    expect(localeForCountry('KE')).toBe('en-KE-u-nu-latn');
    expect(localeForCountry('IN')).toBe('en-IN-u-nu-latn');
    expect(formatMoney(money(125000n, GHS), localeForCountry('GH'))).toBe('GH₵1,250.00');
  });

  it('keeps Latin digits where the country usually writes others', () => {
    const locale = localeForCountry('EG');
    expect(locale).toMatch(/^ar-EG-u-nu-latn$/);
    expect(formatMoney(money(125000n, currency('EGP')), locale)).toMatch(/1,250\.00/);
  });

  it('falls back to en-US for something that is not a region', () => {
    expect(localeForCountry('')).toBe('en-US');
    expect(localeForCountry('1')).toBe('en-US');
    expect(localeForCountry('ABCD')).toBe('en-US');
  });

  it('always returns a locale Intl accepts', () => {
    for (const country of ['GH', 'NG', 'KE', 'IN', 'PH', 'MX', 'GB', 'AU', 'ZZ', 'AQ', '']) {
      expect(() => new Intl.NumberFormat(localeForCountry(country))).not.toThrow();
    }
  });
});

describe('formatMoney', () => {
  const nbsp = '\u00a0';

  it.each([
    [125000n, USD, 'en-US', '$1,250.00'],
    [125000n, BRL, 'pt-BR', `R$${nbsp}1.250,00`],
    [125000n, EUR, 'de-DE', `1.250,00${nbsp}€`],
    [125000n, BRL, localeForCountry('BR'), `R$${nbsp}1.250,00`],
    [125000n, EUR, localeForCountry('DE'), `1.250,00${nbsp}€`],
    [1250n, JPY, 'en-US', '¥1,250'],
    [-1250n, USD, 'en-US', '-$12.50'],
    [5n, USD, 'en-US', '$0.05'],
    [0n, USD, 'en-US', '$0.00'],
  ])('%s minor units of %s in %s -> %s', (minor, code, locale, expected) => {
    expect(formatMoney(money(minor, code), locale)).toBe(expected);
  });

  it('always shows the currency decimals (BHD 3)', () => {
    expect(formatMoney(money(1250125n, BHD), 'en-US')).toMatch(/1,250\.125$/);
    expect(formatMoney(money(1250000n, BHD), 'en-US')).toMatch(/1,250\.000$/);
  });

  it('is exact beyond the precision of a float', () => {
    // 90071992547409.93 is not representable as a double; Intl must get the decimal string.
    expect(formatMoney(usd(9007199254740993n), 'en-US')).toBe('$90,071,992,547,409.93');
    expect(formatMoney(usd(MAX_MINOR_UNITS - 1n), 'en-US')).toBe('$9,999,999,999,999.99');
  });

  it('keeps each locale and currency apart however many pairs it has formatted', () => {
    // More locale and currency pairs than the kept formats hold: each one still formats as its
    // own, and the first pairs are right again after the map was emptied.
    const regions = ['US', 'BR', 'DE', 'GH', 'JP', 'IN', 'FR', 'EG', 'MX', 'CH'];
    const codes = [USD, BRL, EUR, JPY, BHD];
    for (let round = 0; round < 7; round++) {
      for (const region of regions) {
        for (const code of codes) {
          const locale = `${localeForCountry(region)}-x-r${round}`;
          const expected = new Intl.NumberFormat(locale, {
            style: 'currency',
            currency: code,
            minimumFractionDigits: code === JPY ? 0 : code === BHD ? 3 : 2,
            maximumFractionDigits: code === JPY ? 0 : code === BHD ? 3 : 2,
          }).format(1250);
          expect(
            formatMoney(
              money(code === JPY ? 1250n : code === BHD ? 1250000n : 125000n, code),
              locale,
            ),
          ).toBe(expected);
        }
      }
    }
    expect(formatMoney(money(125000n, USD), 'en-US')).toBe('$1,250.00');
    expect(formatMoney(money(125000n, EUR), 'de-DE')).toBe(`1.250,00${nbsp}€`);
  });

  it('refuses a malformed locale every time (nothing kept for it)', () => {
    expect(() => formatMoney(usd(1n), 'not a locale!')).toThrow(RangeError);
    expect(() => formatMoney(usd(1n), 'not a locale!')).toThrow(RangeError);
  });
});

import fc from 'fast-check';
import { UserErrorCode } from '../errors';
import {
  decimalToString,
  formatUnscaled,
  MAX_DECIMAL_INPUT_LENGTH,
  normalizeDecimal,
  parseDecimal,
  type ParseDecimalOptions,
  shiftRoundHalfAwayFromZero,
} from './decimal';

const two: ParseDecimalOptions = { maxScale: 2 };

function parsed(input: string, options: ParseDecimalOptions = two) {
  const result = parseDecimal(input, options);
  if (!result.ok) throw new Error(`expected "${input}" to parse: ${result.error.message}`);
  return result.value;
}

function refusal(input: string, options: ParseDecimalOptions = two) {
  const result = parseDecimal(input, options);
  if (result.ok) throw new Error(`expected "${input}" to be refused`);
  expect(result.error.code).toBe(UserErrorCode.INVALID_AMOUNT);
  return result.error.message;
}

describe('parseDecimal', () => {
  it.each([
    ['0', 0n, 0],
    ['7', 7n, 0],
    ['0.5', 5n, 1],
    ['1250.00', 125000n, 2],
    ['1250.5', 12505n, 1],
    ['0.01', 1n, 2],
    ['007.10', 710n, 2],
  ])('reads %s as %s / 10^%s', (input, unscaled, scale) => {
    expect(parsed(input)).toEqual({ unscaled, scale });
  });

  it.each([
    ['empty', ''],
    ['a leading dot', '.5'],
    ['a trailing dot', '5.'],
    ['two dots', '1.2.3'],
    ['a plus sign', '+5'],
    ['an exponent', '1e3'],
    ['an upper-case exponent', '1E3'],
    ['a comma as decimal separator', '12,50'],
    ['grouping with commas', '1,250.00'],
    ['grouping with spaces', '1 250.00'],
    ['grouping with underscores', '1_250'],
    ['a leading space', ' 5'],
    ['a trailing space', '5 '],
    ['a trailing newline', '5\n'],
    ['a non-breaking space', '5\u00a0'],
    ['Arabic-Indic digits', '\u0661\u0662\u0663'],
    ['Extended Arabic-Indic digits', '\u06f1\u06f2'],
    ['Devanagari digits', '\u0967\u0968'],
    ['full-width digits', '\uff11\uff12'],
    ['a currency symbol', '$5'],
    ['a currency code', '5 USD'],
    ['hexadecimal', '0x10'],
    ['binary', '0b11'],
    ['Infinity', 'Infinity'],
    ['NaN', 'NaN'],
    ['a lone minus', '-'],
    ['a double minus', '--5'],
    ['a trailing minus', '5-'],
    ['a minus after the dot', '5.-1'],
  ])('refuses %s (%j)', (_label, input) => {
    refusal(input, { maxScale: 2, allowNegative: true });
  });

  it('refuses a sign unless negatives are asked for', () => {
    expect(refusal('-5')).toBe('The amount cannot be negative.');
    expect(parsed('-5', { maxScale: 2, allowNegative: true })).toEqual({ unscaled: -5n, scale: 0 });
    expect(parsed('-0.25', { maxScale: 2, allowNegative: true })).toEqual({
      unscaled: -25n,
      scale: 2,
    });
  });

  it('reads "-0" as zero when negatives are allowed', () => {
    expect(parsed('-0.00', { maxScale: 2, allowNegative: true }).unscaled).toBe(0n);
  });

  it('refuses more decimals than maxScale, with the caller message when given', () => {
    expect(refusal('1.234')).toBe('Use at most 2 digits after the dot.');
    expect(refusal('1.5', { maxScale: 0 })).toBe('Use a whole number, without decimals.');
    expect(refusal('1.5', { maxScale: 0, tooManyDecimalsMessage: 'JPY has no minor unit.' })).toBe(
      'JPY has no minor unit.',
    );
    // Trailing zeros count too: the rule is about what is typed.
    refusal('1.000');
  });

  it('bounds the length of the input', () => {
    const longest = '1'.repeat(MAX_DECIMAL_INPUT_LENGTH);
    expect(parsed(longest, { maxScale: 0 }).unscaled).toBe(BigInt(longest));
    expect(refusal(`${longest}1`, { maxScale: 0 })).toBe('That amount is too long.');
    expect(refusal('0'.repeat(10_000) + '1', { maxScale: 0 })).toBe('That amount is too long.');
  });

  it('bounds the magnitude when maxUnscaled is given, inclusive, on both signs', () => {
    const options = { maxScale: 2, allowNegative: true, maxUnscaled: 1000n };
    expect(parsed('10.00', options).unscaled).toBe(1000n);
    expect(parsed('-10.00', options).unscaled).toBe(-1000n);
    expect(refusal('10.01', options)).toBe('That amount is too large.');
    expect(refusal('-10.01', options)).toBe('That amount is too large.');
  });

  it('names the value with the noun it is given', () => {
    expect(refusal('', { maxScale: 0, noun: 'number of credits' })).toBe(
      'Enter a number of credits.',
    );
    expect(refusal('')).toBe('Enter an amount.');
    expect(refusal('12abc', { maxScale: 0 })).toMatch(/not a whole number/);
    expect(refusal('12abc')).toMatch(/not an amount/);
  });

  it('refuses values that are not strings at all', () => {
    refusal(undefined as unknown as string);
    refusal(12 as unknown as string);
  });
});

describe('formatUnscaled', () => {
  it.each([
    [0n, 2, '0.00'],
    [5n, 2, '0.05'],
    [125000n, 2, '1250.00'],
    [-125050n, 2, '-1250.50'],
    [-5n, 2, '-0.05'],
    [1250n, 0, '1250'],
    [-3n, 0, '-3'],
    [1n, 3, '0.001'],
    [1250125n, 3, '1250.125'],
  ])('writes %s at scale %s as %s', (unscaled, scale, expected) => {
    expect(formatUnscaled(unscaled, scale)).toBe(expected);
  });

  it('round-trips with parseDecimal for any bigint and scale', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.integer({ min: 0, max: 6 }),
        (unscaled, scale) => {
          const text = formatUnscaled(unscaled, scale);
          expect(text).toMatch(/^-?[0-9]+(\.[0-9]+)?$/);
          expect(parsed(text, { maxScale: scale, allowNegative: true })).toEqual({
            unscaled,
            scale,
          });
        },
      ),
    );
  });

  it('parseDecimal then formatUnscaled gives back the canonical text', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.stringMatching(/^[1-9][0-9]{0,12}$|^0$/),
        fc.stringMatching(/^[0-9]{0,4}$/),
        (negative, whole, fraction) => {
          const text = `${negative && whole !== '0' ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
          const value = parsed(text, { maxScale: 4, allowNegative: true });
          expect(formatUnscaled(value.unscaled, value.scale)).toBe(text);
        },
      ),
    );
  });
});

describe('normalizeDecimal and decimalToString', () => {
  it('drops trailing zeros only', () => {
    expect(normalizeDecimal({ unscaled: 250n, scale: 2 })).toEqual({ unscaled: 25n, scale: 1 });
    expect(normalizeDecimal({ unscaled: 300n, scale: 2 })).toEqual({ unscaled: 3n, scale: 0 });
    expect(normalizeDecimal({ unscaled: 3000n, scale: 0 })).toEqual({ unscaled: 3000n, scale: 0 });
    expect(normalizeDecimal({ unscaled: 0n, scale: 3 })).toEqual({ unscaled: 0n, scale: 0 });
    expect(normalizeDecimal({ unscaled: -120n, scale: 2 })).toEqual({ unscaled: -12n, scale: 1 });
  });

  it('keeps the value: normalized and original write the same number', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.integer({ min: 0, max: 6 }),
        (unscaled, scale) => {
          const normal = normalizeDecimal({ unscaled, scale });
          expect(normal.scale).toBeLessThanOrEqual(scale);
          expect(normal.unscaled * 10n ** BigInt(scale - normal.scale)).toBe(unscaled);
          if (normal.scale > 0) expect(normal.unscaled % 10n).not.toBe(0n);
        },
      ),
    );
  });

  it('decimalToString writes the decimal with its own scale', () => {
    expect(decimalToString({ unscaled: 15n, scale: 1 })).toBe('1.5');
    expect(decimalToString({ unscaled: 150n, scale: 2 })).toBe('1.50');
  });
});

describe('shiftRoundHalfAwayFromZero', () => {
  it.each([
    [2345n, 1, 235n],
    [-2345n, 1, -235n],
    [2344n, 1, 234n],
    [-2344n, 1, -234n],
    [2349n, 1, 235n],
    [5n, 1, 1n],
    [-5n, 1, -1n],
    [4n, 1, 0n],
    [-4n, 1, 0n],
    [125n, 2, 1n],
    [150n, 2, 2n],
    [-150n, 2, -2n],
    [149n, 2, 1n],
    [0n, 3, 0n],
    [42n, 0, 42n],
    [42n, -2, 4200n],
  ])('shifts %s by %s places to %s', (value, places, expected) => {
    expect(shiftRoundHalfAwayFromZero(value, places)).toBe(expected);
  });

  it('is symmetric around zero and within half a unit of the exact quotient', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
        fc.integer({ min: 0, max: 6 }),
        (value, places) => {
          const rounded = shiftRoundHalfAwayFromZero(value, places);
          expect(shiftRoundHalfAwayFromZero(-value, places)).toBe(-rounded);
          const divisor = 10n ** BigInt(places);
          // |value - rounded·d| ≤ d/2, i.e. 2·|error| ≤ d, and the tie goes away from zero.
          const error = value - rounded * divisor;
          const twiceError = 2n * (error < 0n ? -error : error);
          expect(twiceError <= divisor).toBe(true);
          if (twiceError === divisor && places > 0) {
            expect(rounded < 0n ? -rounded : rounded).toBeGreaterThan(
              (value < 0n ? -value : value) / divisor,
            );
          }
        },
      ),
    );
  });
});

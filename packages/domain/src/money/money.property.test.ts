import fc from 'fast-check';
import { DomainError, UserErrorCode } from '../errors';
import { type CurrencyCode, minorDigits, parseCurrency } from './currency';
import { formatUnscaled } from './decimal';
import {
  add,
  compare,
  formatMoney,
  max,
  MAX_MINOR_UNITS,
  min,
  type Money,
  money,
  multiply,
  parseMoney,
  subtract,
  sum,
  toDecimalString,
} from './money';

function currency(code: string): CurrencyCode {
  const result = parseCurrency(code);
  if (!result.ok) throw new Error(`expected ${code} to be a currency`);
  return result.value;
}

/** Two decimals, none, three, and an African currency with two. */
const CURRENCIES = ['USD', 'JPY', 'BHD', 'GHS'].map(currency);

const currencyArb = fc.constantFrom(...CURRENCIES);
const minorArb = fc.bigInt({ min: -MAX_MINOR_UNITS, max: MAX_MINOR_UNITS });
const moneyArb = fc.tuple(minorArb, currencyArb).map(([minor, code]) => money(minor, code));
/** Two or three amounts of one currency, halved so that their sums stay within the bound. */
const sameCurrency = (count: number) =>
  fc
    .tuple(currencyArb, fc.array(minorArb, { minLength: count, maxLength: count }))
    .map(([code, minors]) => minors.map((minor) => money(minor / 2n, code)));

describe('money properties (USD, JPY, BHD, GHS)', () => {
  it('the currencies have the decimals the tests assume', () => {
    expect(CURRENCIES.map(minorDigits)).toEqual([2, 0, 3, 2]);
  });

  it('parseMoney(toDecimalString(m)) gives back m', () => {
    fc.assert(
      fc.property(moneyArb, (value) => {
        const text = toDecimalString(value);
        expect(parseMoney(text, value.currency, { allowNegative: true })).toEqual({
          ok: true,
          value,
        });
        if (value.minor >= 0n)
          expect(parseMoney(text, value.currency)).toEqual({ ok: true, value });
        else expect(parseMoney(text, value.currency).ok).toBe(false);
      }),
    );
  });

  it('toDecimalString always writes the currency decimals, and nothing else', () => {
    fc.assert(
      fc.property(moneyArb, (value) => {
        const digits = minorDigits(value.currency);
        const pattern = digits === 0 ? /^-?[0-9]+$/ : new RegExp(`^-?[0-9]+\\.[0-9]{${digits}}$`);
        expect(toDecimalString(value)).toMatch(pattern);
        expect(toDecimalString(value)).toBe(formatUnscaled(value.minor, digits));
      }),
    );
  });

  it('a shorter decimal reads as the same amount padded with zeros', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        currencyArb,
        fc.nat(3),
        (whole, code, cut) => {
          const digits = minorDigits(code);
          const scale = Math.min(cut, digits);
          const text = formatUnscaled(whole, scale);
          const parsed = parseMoney(text, code);
          expect(parsed).toEqual({
            ok: true,
            value: money(whole * 10n ** BigInt(digits - scale), code),
          });
        },
      ),
    );
  });

  it('refuses every amount beyond the bound, and one decimal too many', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: MAX_MINOR_UNITS + 1n, max: 10n ** 20n }),
        currencyArb,
        fc.boolean(),
        (minor, code, negative) => {
          const value = money(negative ? -minor : minor, code);
          const result = parseMoney(toDecimalString(value), code, { allowNegative: true });
          expect(result.ok).toBe(false);
        },
      ),
    );
    fc.assert(
      fc.property(moneyArb, fc.integer({ min: 1, max: 9 }), (value, extra) => {
        const digits = minorDigits(value.currency);
        const text = formatUnscaled(value.minor * 10n + BigInt(extra), digits + 1);
        const result = parseMoney(text, value.currency, { allowNegative: true });
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.code).toBe(UserErrorCode.INVALID_AMOUNT);
      }),
    );
  });

  it('subtract undoes add and add undoes subtract', () => {
    fc.assert(
      fc.property(sameCurrency(2), ([a, b]) => {
        if (!a || !b) throw new Error('arbitrary');
        expect(subtract(add(a, b), b)).toEqual(a);
        expect(add(subtract(a, b), b)).toEqual(a);
        expect(subtract(a, a).minor).toBe(0n);
      }),
    );
  });

  it('add is commutative and associative, and sum agrees with it', () => {
    fc.assert(
      fc.property(sameCurrency(3), ([a, b, c]) => {
        if (!a || !b || !c) throw new Error('arbitrary');
        expect(add(a, b)).toEqual(add(b, a));
        expect(add(add(a, b), c)).toEqual(add(a, add(b, c)));
        expect(sum([a, b, c], a.currency)).toEqual(add(add(a, b), c));
      }),
    );
  });

  it('compare is antisymmetric, agrees with the minor units, and min/max follow it', () => {
    fc.assert(
      fc.property(sameCurrency(2), ([a, b]) => {
        if (!a || !b) throw new Error('arbitrary');
        expect(compare(a, b)).toBe(-compare(b, a) || 0);
        expect(compare(a, b)).toBe(a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0);
        expect(compare(a, a)).toBe(0);
        const low = min(a, b);
        const high = max(a, b);
        expect(compare(low, high)).toBeLessThanOrEqual(0);
        expect([low, high]).toEqual(compare(a, b) <= 0 ? [a, b] : [b, a]);
      }),
    );
  });

  it('compare is transitive', () => {
    fc.assert(
      fc.property(sameCurrency(3), ([a, b, c]) => {
        if (!a || !b || !c) throw new Error('arbitrary');
        if (compare(a, b) <= 0 && compare(b, c) <= 0) expect(compare(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });

  it('every operation on two currencies throws CURRENCY_MISMATCH', () => {
    fc.assert(
      fc.property(moneyArb, moneyArb, (a, b) => {
        fc.pre(a.currency !== b.currency);
        for (const operation of [add, subtract, compare, min, max]) {
          let thrown: unknown;
          try {
            operation(a, b);
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(DomainError);
          expect((thrown as DomainError).code).toBe(UserErrorCode.CURRENCY_MISMATCH);
        }
      }),
    );
  });

  it('multiply by a quantity of one, however it is written, is the identity', () => {
    fc.assert(
      fc.property(moneyArb, fc.nat(6), (value, scale) => {
        expect(multiply(value, { unscaled: 10n ** BigInt(scale), scale })).toEqual(value);
      }),
    );
  });

  it('multiply by a whole number n is n additions', () => {
    fc.assert(
      fc.property(sameCurrency(1), fc.nat(20), ([value], n) => {
        if (!value) throw new Error('arbitrary');
        const repeated: Money[] = Array.from({ length: n }, () => value);
        expect(multiply(value, { unscaled: BigInt(n), scale: 0 })).toEqual(
          sum(repeated, value.currency),
        );
      }),
    );
  });

  it('multiply rounds to the nearest minor unit, ties away from zero', () => {
    fc.assert(
      fc.property(
        moneyArb,
        fc.bigInt({ min: -(10n ** 6n), max: 10n ** 6n }),
        fc.nat(4),
        (price, unscaled, scale) => {
          const result = multiply(price, { unscaled, scale });
          expect(result.currency).toBe(price.currency);
          const exact = price.minor * unscaled; // the product × 10^scale
          const divisor = 10n ** BigInt(scale);
          const error = exact - result.minor * divisor;
          const twice = 2n * (error < 0n ? -error : error);
          expect(twice <= divisor).toBe(true);
          if (twice === divisor) {
            // A tie: the result is the one further from zero.
            const abs = (x: bigint) => (x < 0n ? -x : x);
            expect(abs(result.minor) * divisor > abs(exact)).toBe(true);
          }
        },
      ),
    );
  });

  it('formatMoney in en-US shows exactly the digits of the wire form', () => {
    fc.assert(
      fc.property(moneyArb, (value) => {
        const shown = formatMoney(value, 'en-US');
        expect(shown.replace(/[^0-9.-]/g, '')).toBe(toDecimalString(value));
      }),
      { numRuns: 200 },
    );
  });

  it('formatMoney in de-DE swaps the separators but keeps every digit', () => {
    fc.assert(
      fc.property(moneyArb, (value) => {
        const shown = formatMoney(value, 'de-DE');
        expect(shown.replace(/[^0-9,-]/g, '').replace(',', '.')).toBe(toDecimalString(value));
      }),
      { numRuns: 200 },
    );
  });
});

import { DomainError, fail, ok, type Result, UserErrorCode } from '../errors';

/** An exact decimal: `unscaled / 10^scale`. Never a float. */
export interface Decimal {
  readonly unscaled: bigint;
  readonly scale: number;
}

export interface ParseDecimalOptions {
  /** Most digits allowed after the dot. */
  readonly maxScale: number;
  /** Whether a leading "-" is accepted. Off unless the caller asks. */
  readonly allowNegative?: boolean;
  /** Largest absolute unscaled value accepted, so nothing overflows a bigint column. */
  readonly maxUnscaled?: bigint;
  /** What to say when there are more decimals than `maxScale`, e.g. "JPY has no minor unit". */
  readonly tooManyDecimalsMessage?: string;
  /** What to call the value in messages: "amount" or "number of credits". */
  readonly noun?: string;
}

/** Longest input we read at all: a bound on work, far above any real amount. */
export const MAX_DECIMAL_INPUT_LENGTH = 32;

// ASCII digits only: \d would be ASCII too in JS, but spelling it out documents that locale digits
// (e.g. Arabic-Indic) and exponents ("1e3") are refused on purpose.
const DECIMAL_PATTERN = /^(-?)([0-9]+)(?:\.([0-9]+))?$/;

/**
 * Reads "1250.00", "0.5", "-3" strictly: digits, at most one dot with digits on both sides, no
 * grouping, no exponent, no plus sign, no spaces, no more decimals than `maxScale`.
 */
export function parseDecimal(input: string, options: ParseDecimalOptions): Result<Decimal> {
  const invalid = (message: string) => fail(new DomainError(UserErrorCode.INVALID_AMOUNT, message));
  const noun = options.noun ?? 'amount';
  if (typeof input !== 'string' || input.length === 0)
    return invalid(`Enter ${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}.`);
  if (input.length > MAX_DECIMAL_INPUT_LENGTH) return invalid(`That ${noun} is too long.`);
  const match = DECIMAL_PATTERN.exec(input);
  if (!match) {
    return invalid(
      options.maxScale === 0
        ? `"${input}" is not a whole number. Use digits only, e.g. 25.`
        : `"${input}" is not an amount. Use digits with an optional dot, e.g. 1250.00.`,
    );
  }
  const [, sign = '', whole = '', fraction = ''] = match;
  if (sign && !options.allowNegative) return invalid(`The ${noun} cannot be negative.`);
  if (fraction.length > options.maxScale) {
    return invalid(
      options.tooManyDecimalsMessage ??
        (options.maxScale === 0
          ? 'Use a whole number, without decimals.'
          : `Use at most ${options.maxScale} digits after the dot.`),
    );
  }
  const magnitude = BigInt(whole + fraction);
  if (options.maxUnscaled !== undefined && magnitude > options.maxUnscaled) {
    return invalid(`That ${noun} is too large.`);
  }
  const unscaled = sign ? -magnitude : magnitude;
  return ok({ unscaled, scale: fraction.length });
}

/** Writes `unscaled / 10^scale` with exactly `scale` decimals. */
export function formatUnscaled(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** The decimal with the fewest digits that is still exact: "2.50" -> 2.5, "3.0" -> 3. */
export function normalizeDecimal(value: Decimal): Decimal {
  let { unscaled, scale } = value;
  while (scale > 0 && unscaled % 10n === 0n) {
    unscaled /= 10n;
    scale -= 1;
  }
  return { unscaled, scale };
}

export function decimalToString(value: Decimal): string {
  return formatUnscaled(value.unscaled, value.scale);
}

/**
 * Divides by 10^places and rounds half away from zero: the commercial rounding used on invoices
 * (2.345 -> 2.35, -2.345 -> -2.35).
 */
export function shiftRoundHalfAwayFromZero(value: bigint, places: number): bigint {
  if (places <= 0) return value * 10n ** BigInt(-places);
  const divisor = 10n ** BigInt(places);
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const quotient = magnitude / divisor;
  const remainder = magnitude % divisor;
  const rounded = remainder * 2n >= divisor ? quotient + 1n : quotient;
  return negative ? -rounded : rounded;
}

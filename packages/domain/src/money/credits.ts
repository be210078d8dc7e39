import { fail, ok, type Result, DomainError, UserErrorCode } from '../errors';
import { parseDecimal } from './decimal';

/** Credits are whole numbers held in a customer's wallet; negative only for corrections. */
export type Credits = bigint;

/** A trillion credits: a bound far above any wallet, far below a bigint column. */
export const MAX_CREDITS = 10n ** 12n;

export interface ParseCreditsOptions {
  readonly allowNegative?: boolean;
}

/** Reads "25" or, when allowed, "-10". Refuses "2.5", "1e3", "+3", " 4". */
export function parseCredits(input: string, options: ParseCreditsOptions = {}): Result<Credits> {
  const parsed = parseDecimal(input, {
    maxScale: 0,
    allowNegative: options.allowNegative ?? false,
    maxUnscaled: MAX_CREDITS,
    noun: 'number of credits',
    tooManyDecimalsMessage: 'Credits are whole numbers: use no decimals.',
  });
  if (!parsed.ok) return fail(parsed.error);
  return ok(parsed.value.unscaled);
}

/** Like parseCredits, and refuses zero and negatives. */
export function parsePositiveCredits(input: string): Result<Credits> {
  const parsed = parseCredits(input);
  if (parsed.ok && parsed.value <= 0n) {
    return fail(
      new DomainError(UserErrorCode.INVALID_AMOUNT, 'Use a whole number of credits above zero.'),
    );
  }
  return parsed;
}

export function creditsToString(credits: Credits): string {
  return credits.toString();
}

import fc from 'fast-check';
import { UserErrorCode } from '../errors';
import { creditsToString, MAX_CREDITS, parseCredits, parsePositiveCredits } from './credits';

function refusal(result: ReturnType<typeof parseCredits>): string {
  if (result.ok) throw new Error(`expected a refusal, got ${result.value}`);
  expect(result.error.code).toBe(UserErrorCode.INVALID_AMOUNT);
  return result.error.message;
}

describe('parseCredits', () => {
  it.each([
    ['0', 0n],
    ['25', 25n],
    ['1000000', 1000000n],
  ])('reads %s', (input, expected) => {
    expect(parseCredits(input)).toEqual({ ok: true, value: expected });
  });

  it('refuses decimals, even ".0", with the credits message', () => {
    expect(refusal(parseCredits('2.5'))).toBe('Credits are whole numbers: use no decimals.');
    expect(refusal(parseCredits('3.0'))).toBe('Credits are whole numbers: use no decimals.');
  });

  it.each(['', '1e3', '+3', ' 4', '4 ', '1,000', '1 000', '\u0664', 'ten', '0x10', '-', '.5'])(
    'refuses %j',
    (input) => {
      refusal(parseCredits(input, { allowNegative: true }));
    },
  );

  it('refuses negatives unless asked, for corrections', () => {
    expect(refusal(parseCredits('-10'))).toBe('The number of credits cannot be negative.');
    expect(parseCredits('-10', { allowNegative: true })).toEqual({ ok: true, value: -10n });
  });

  it('bounds the magnitude at MAX_CREDITS, inclusive', () => {
    expect(parseCredits(MAX_CREDITS.toString())).toEqual({ ok: true, value: MAX_CREDITS });
    expect(refusal(parseCredits((MAX_CREDITS + 1n).toString()))).toBe(
      'That number of credits is too large.',
    );
    expect(refusal(parseCredits(`-${MAX_CREDITS + 1n}`, { allowNegative: true }))).toBe(
      'That number of credits is too large.',
    );
  });

  it('bounds the length of the input', () => {
    expect(refusal(parseCredits('0'.repeat(100)))).toBe('That number of credits is too long.');
  });

  it('says "Enter a number of credits." for an empty input', () => {
    expect(refusal(parseCredits(''))).toBe('Enter a number of credits.');
  });

  it('round-trips every whole number within the bound through creditsToString', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -MAX_CREDITS, max: MAX_CREDITS }), (credits) => {
        const text = creditsToString(credits);
        expect(text).toMatch(/^-?[0-9]+$/);
        expect(parseCredits(text, { allowNegative: true })).toEqual({ ok: true, value: credits });
        if (credits < 0n) expect(parseCredits(text).ok).toBe(false);
      }),
    );
  });

  it('refuses every whole number beyond the bound', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: MAX_CREDITS + 1n, max: 10n ** 30n }), (credits) => {
        expect(parseCredits(creditsToString(credits)).ok).toBe(false);
      }),
    );
  });
});

describe('parsePositiveCredits', () => {
  it('accepts a whole number above zero', () => {
    expect(parsePositiveCredits('1')).toEqual({ ok: true, value: 1n });
  });

  it('refuses zero and negatives', () => {
    expect(refusal(parsePositiveCredits('0'))).toBe('Use a whole number of credits above zero.');
    expect(refusal(parsePositiveCredits('-3'))).toBe('The number of credits cannot be negative.');
  });

  it('passes on the parse refusal for malformed input', () => {
    expect(refusal(parsePositiveCredits('1.5'))).toBe(
      'Credits are whole numbers: use no decimals.',
    );
  });
});

import {
  BadInputError,
  defaultUserErrorMessage,
  DomainError,
  fail,
  isDomainError,
  ok,
  type Result,
  unwrap,
  UserErrorCode,
} from './index';

/**
 * The values of `enum UserErrorCode` in contract/schema.graphql, in its order. The domain package
 * has no Node types (it does no I/O), so the list is written out here; apps/api's contract test
 * checks the emitted schema against the file itself.
 */
const CONTRACT_CODES = [
  'NOT_FOUND',
  'INVALID_AMOUNT',
  'CURRENCY_MISMATCH',
  'INVALID_STATE',
  'QUOTE_NOT_PAID',
  'ALREADY_REFUNDED',
  'NOT_REFUNDABLE',
  'AMOUNT_EXCEEDS_REFUNDABLE',
  'AMOUNT_EXCEEDS_OUTSTANDING',
  'INSUFFICIENT_BALANCE',
  'IDEMPOTENCY_KEY_REUSED',
  'EMAIL_TAKEN',
  'INVALID_CREDENTIALS',
  'WEAK_PASSWORD',
  'LAST_OWNER',
  'INVALID_URL',
];

describe('UserErrorCode', () => {
  it('has exactly the 16 codes of the contract enum, each spelled as its own value', () => {
    expect(CONTRACT_CODES).toHaveLength(16);
    expect(Object.keys(UserErrorCode)).toEqual(CONTRACT_CODES);
    for (const [key, value] of Object.entries(UserErrorCode)) expect(value).toBe(key);
  });

  it('has a non-empty user-facing sentence for every code and for nothing else', () => {
    expect(Object.keys(defaultUserErrorMessage).sort()).toEqual(
      Object.values(UserErrorCode).sort(),
    );
    for (const code of Object.values(UserErrorCode)) {
      const message = defaultUserErrorMessage[code];
      expect(message.trim().length).toBeGreaterThan(10);
      expect(message).toMatch(/^[A-Z].*\.$/);
    }
  });

  it('gives every code its own message', () => {
    const messages = Object.values(defaultUserErrorMessage);
    expect(new Set(messages).size).toBe(messages.length);
  });
});

describe('DomainError', () => {
  it('carries the code, the default message of the code and no field when none is given', () => {
    const error = new DomainError(UserErrorCode.NOT_FOUND);
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.name).toBe('DomainError');
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe(defaultUserErrorMessage.NOT_FOUND);
    expect(error.field).toEqual([]);
  });

  it('keeps a specific message and field', () => {
    const error = new DomainError(UserErrorCode.INVALID_AMOUNT, 'Too many decimals.', [
      'input',
      'amount',
    ]);
    expect(error.message).toBe('Too many decimals.');
    expect(error.field).toEqual(['input', 'amount']);
  });

  it('at() points the same failure at a field without changing the original', () => {
    const original = new DomainError(UserErrorCode.CURRENCY_MISMATCH, 'Use GHS.');
    const pointed = original.at('input', 'amount');
    expect(pointed).toBeInstanceOf(DomainError);
    expect(pointed).not.toBe(original);
    expect(pointed.code).toBe('CURRENCY_MISMATCH');
    expect(pointed.message).toBe('Use GHS.');
    expect(pointed.field).toEqual(['input', 'amount']);
    expect(original.field).toEqual([]);
  });

  it('isDomainError tells domain errors from other errors and values', () => {
    expect(isDomainError(new DomainError(UserErrorCode.INVALID_STATE))).toBe(true);
    expect(isDomainError(new Error('boom'))).toBe(false);
    expect(isDomainError(new BadInputError('bad'))).toBe(false);
    expect(isDomainError({ code: 'NOT_FOUND', message: 'x', field: [] })).toBe(false);
    expect(isDomainError(null)).toBe(false);
  });
});

describe('BadInputError', () => {
  it('is an Error with a message and a field, empty by default', () => {
    const plain = new BadInputError('No such country.');
    expect(plain).toBeInstanceOf(Error);
    expect(plain.name).toBe('BadInputError');
    expect(plain.message).toBe('No such country.');
    expect(plain.field).toEqual([]);
    expect(new BadInputError('x', ['input', 'country']).field).toEqual(['input', 'country']);
  });
});

describe('Result', () => {
  it('ok and fail build the two shapes', () => {
    expect(ok(5)).toEqual({ ok: true, value: 5 });
    const error = new DomainError(UserErrorCode.NOT_FOUND);
    const failed = fail(error);
    expect(failed.ok).toBe(false);
    expect(failed.error).toBe(error);
  });

  it('unwrap returns the value of a success and throws the very error of a failure', () => {
    const good: Result<string> = ok('value');
    expect(unwrap(good)).toBe('value');
    const error = new DomainError(UserErrorCode.ALREADY_REFUNDED);
    const bad: Result<string> = fail(error);
    let thrown: unknown;
    try {
      unwrap(bad);
    } catch (caught) {
      thrown = caught;
    }
    expect(thrown).toBe(error);
  });

  it('unwrap works with other error types too', () => {
    const error = new BadInputError('bad', ['input', 'timezone']);
    expect(() => unwrap(fail(error))).toThrow(error);
  });
});

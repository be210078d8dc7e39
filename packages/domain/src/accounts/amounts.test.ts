import { UserErrorCode } from '../errors';
import { parseAccountAmount, parseOptionalAccountAmount } from './amounts';
import { GBP, gbp } from './test-helpers';

describe('parseAccountAmount', () => {
  it('reads an amount in the business currency', () => {
    expect(parseAccountAmount({ amount: '25.00', currency: 'GBP' }, GBP)).toEqual({
      ok: true,
      value: gbp(25),
    });
    expect(parseAccountAmount({ amount: '0.5', currency: 'gbp' }, GBP)).toEqual({
      ok: true,
      value: gbp(0, 50),
    });
  });

  it('refuses another currency with CURRENCY_MISMATCH on the currency field', () => {
    const result = parseAccountAmount({ amount: '25.00', currency: 'USD' }, GBP);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(UserErrorCode.CURRENCY_MISMATCH);
    expect(result.error.field).toEqual(['input', 'amount', 'currency']);
    expect(result.error.message).toContain('GBP');
  });

  it.each(['0', '0.00', '-5', '1.234', '1e3', 'abc', '', ' 5'])(
    'refuses %p with INVALID_AMOUNT',
    (amount) => {
      const result = parseAccountAmount({ amount, currency: 'GBP' }, GBP);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe(UserErrorCode.INVALID_AMOUNT);
      expect(result.error.field).toEqual(['input', 'amount', 'amount']);
    },
  );

  it('refuses an unknown currency code', () => {
    const result = parseAccountAmount({ amount: '5', currency: 'XYZ1' }, GBP);
    expect(result.ok).toBe(false);
  });
});

describe('parseOptionalAccountAmount', () => {
  it('keeps an absent amount absent', () => {
    expect(parseOptionalAccountAmount(undefined, GBP)).toEqual({ ok: true, value: undefined });
    expect(parseOptionalAccountAmount(null, GBP)).toEqual({ ok: true, value: undefined });
  });
  it('reads a positive amount and refuses zero', () => {
    expect(parseOptionalAccountAmount('5.00', GBP)).toEqual({ ok: true, value: gbp(5) });
    const zero = parseOptionalAccountAmount('0', GBP);
    expect(zero.ok).toBe(false);
    if (!zero.ok) {
      expect(zero.error.code).toBe(UserErrorCode.INVALID_AMOUNT);
      expect(zero.error.field).toEqual(['input', 'amount']);
    }
  });
});

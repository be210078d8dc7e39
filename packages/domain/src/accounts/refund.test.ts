import { UserErrorCode } from '../errors';
import { money } from '../money';
import { creditOutstanding, newAccountCredit } from './credit';
import { decideAccountRefund } from './refund';
import { GBP, USD, gbp } from './test-helpers';

describe('decideAccountRefund', () => {
  const used = { ...newAccountCredit(gbp(25)), allocated: gbp(20) };

  it('refunds the whole outstanding amount by default (£25 note, £20 used → £5)', () => {
    const result = decideAccountRefund({ credit: used, bankAccountCurrency: GBP });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.amount).toEqual(gbp(5));
    expect(result.value.outstandingAfter).toEqual(gbp(0));
    expect(creditOutstanding(result.value.credit)).toEqual(gbp(0));
  });

  it('refunds part of it', () => {
    const result = decideAccountRefund({ credit: used, amount: gbp(2), bankAccountCurrency: GBP });
    expect(result.ok && result.value.outstandingAfter).toEqual(gbp(3));
  });

  it('refuses more than is outstanding', () => {
    const result = decideAccountRefund({
      credit: used,
      amount: gbp(5, 1),
      bankAccountCurrency: GBP,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(UserErrorCode.AMOUNT_EXCEEDS_OUTSTANDING);
    expect(result.error.field).toEqual(['input', 'amount']);
    expect(result.error.message).toContain('5.00 GBP');
  });

  it('refuses when nothing is outstanding, with or without an amount', () => {
    const spent = { ...used, refunded: gbp(5) };
    for (const amount of [undefined, gbp(1)]) {
      const result = decideAccountRefund({ credit: spent, amount, bankAccountCurrency: GBP });
      expect(!result.ok && result.error.code).toBe(UserErrorCode.AMOUNT_EXCEEDS_OUTSTANDING);
    }
  });

  it('refuses a bank account in another currency', () => {
    const result = decideAccountRefund({ credit: used, bankAccountCurrency: USD });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(UserErrorCode.CURRENCY_MISMATCH);
    expect(result.error.field).toEqual(['input', 'bankAccountId']);
  });

  it('refuses zero and an amount in another currency', () => {
    const zero = decideAccountRefund({ credit: used, amount: gbp(0), bankAccountCurrency: GBP });
    expect(!zero.ok && zero.error.code).toBe(UserErrorCode.INVALID_AMOUNT);
    const usd = decideAccountRefund({
      credit: used,
      amount: money(100n, USD),
      bankAccountCurrency: GBP,
    });
    expect(!usd.ok && usd.error.code).toBe(UserErrorCode.CURRENCY_MISMATCH);
  });

  it('throws on corrupted state rather than reporting a negative outstanding', () => {
    expect(() => creditOutstanding({ ...used, refunded: gbp(6) })).toThrow(/Corrupted/);
  });
});

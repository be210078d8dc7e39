import { UserErrorCode } from '../errors';
import { money } from '../money';
import { decideAllocation } from './allocation';
import { creditOutstanding, newAccountCredit } from './credit';
import { type AccountInvoiceState, type AccountQuoteStatus, invoiceOwes } from './invoice';
import { USD, gbp } from './test-helpers';

const invoice = (
  total = gbp(20),
  status: AccountQuoteStatus = 'ACCEPTED',
): AccountInvoiceState => ({
  status,
  total,
  allocated: gbp(0),
});

describe('decideAllocation', () => {
  it('settles a £20 invoice from a £25 credit note, leaving £5 outstanding (the seed example)', () => {
    const result = decideAllocation({
      credit: newAccountCredit(gbp(25)),
      invoice: invoice(),
      amount: gbp(20),
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.creditOutstanding).toEqual(gbp(5));
    expect(result.value.invoiceOwes).toEqual(gbp(0));
    expect(creditOutstanding(result.value.credit)).toEqual(gbp(5));
    expect(invoiceOwes(result.value.invoice)).toEqual(gbp(0));
  });

  it('allows a part allocation', () => {
    const result = decideAllocation({
      credit: newAccountCredit(gbp(25)),
      invoice: invoice(),
      amount: gbp(7, 50),
    });
    expect(result.ok && result.value.creditOutstanding).toEqual(gbp(17, 50));
    expect(result.ok && result.value.invoiceOwes).toEqual(gbp(12, 50));
  });

  it('refuses more than the credit has outstanding', () => {
    const credit = { ...newAccountCredit(gbp(25)), allocated: gbp(10), refunded: gbp(10) };
    const result = decideAllocation({ credit, invoice: invoice(gbp(100)), amount: gbp(5, 1) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(UserErrorCode.AMOUNT_EXCEEDS_OUTSTANDING);
    expect(result.error.field).toEqual(['input', 'amount']);
    expect(result.error.message).toContain('5.00 GBP');
  });

  it('refuses more than the invoice still owes', () => {
    const result = decideAllocation({
      credit: newAccountCredit(gbp(25)),
      invoice: { ...invoice(gbp(20)), allocated: gbp(15) },
      amount: gbp(6),
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(UserErrorCode.AMOUNT_EXCEEDS_OUTSTANDING);
    expect(result.error.message).toContain('5.00 GBP');
  });

  it('refuses an allocation from a credit with nothing left', () => {
    const credit = { ...newAccountCredit(gbp(25)), refunded: gbp(25) };
    const result = decideAllocation({ credit, invoice: invoice(), amount: gbp(1) });
    expect(!result.ok && result.error.code).toBe(UserErrorCode.AMOUNT_EXCEEDS_OUTSTANDING);
  });

  it.each<AccountQuoteStatus>(['DRAFT', 'SENT', 'VOID', 'PAID', 'REFUNDED'])(
    'refuses a %s quote with INVALID_STATE',
    (status) => {
      const result = decideAllocation({
        credit: newAccountCredit(gbp(25)),
        invoice: invoice(gbp(20), status),
        amount: gbp(1),
      });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe(UserErrorCode.INVALID_STATE);
      expect(result.error.field).toEqual(['input', 'quoteId']);
    },
  );

  it('refuses zero and another currency', () => {
    const zero = decideAllocation({
      credit: newAccountCredit(gbp(25)),
      invoice: invoice(),
      amount: gbp(0),
    });
    expect(!zero.ok && zero.error.code).toBe(UserErrorCode.INVALID_AMOUNT);
    const usd = decideAllocation({
      credit: newAccountCredit(gbp(25)),
      invoice: invoice(),
      amount: money(100n, USD),
    });
    expect(!usd.ok && usd.error.code).toBe(UserErrorCode.CURRENCY_MISMATCH);
  });
});

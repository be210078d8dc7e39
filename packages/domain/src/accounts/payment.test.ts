import { UserErrorCode } from '../errors';
import { type AccountQuoteStatus } from './invoice';
import { decidePayment } from './payment';
import { gbp } from './test-helpers';

const inv = (status: AccountQuoteStatus, total = gbp(20), allocated = gbp(0)) => ({
  status,
  total,
  allocated,
});

describe('decidePayment', () => {
  it('leaves a payment without an invoice unallocated', () => {
    expect(decidePayment({ amount: gbp(30) })).toEqual({
      ok: true,
      value: { amount: gbp(30), allocated: gbp(0), unallocated: gbp(30) },
    });
  });

  it('allocates to the invoice up to what it owes and keeps the overpayment', () => {
    expect(decidePayment({ amount: gbp(30), invoice: inv('ACCEPTED', gbp(20), gbp(5)) })).toEqual({
      ok: true,
      value: { amount: gbp(30), allocated: gbp(15), unallocated: gbp(15) },
    });
  });

  it('allocates all of a payment smaller than the debt', () => {
    expect(decidePayment({ amount: gbp(8), invoice: inv('ACCEPTED') })).toEqual({
      ok: true,
      value: { amount: gbp(8), allocated: gbp(8), unallocated: gbp(0) },
    });
  });

  it.each<AccountQuoteStatus>(['PAID', 'REFUNDED'])(
    'keeps all of a payment for a %s invoice on account',
    (status) => {
      expect(decidePayment({ amount: gbp(8), invoice: inv(status) })).toEqual({
        ok: true,
        value: { amount: gbp(8), allocated: gbp(0), unallocated: gbp(8) },
      });
    },
  );

  it.each<AccountQuoteStatus>(['DRAFT', 'SENT', 'VOID'])('refuses a %s quote', (status) => {
    const result = decidePayment({ amount: gbp(8), invoice: inv(status) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(UserErrorCode.INVALID_STATE);
    expect(result.error.field).toEqual(['input', 'quoteId']);
  });
});

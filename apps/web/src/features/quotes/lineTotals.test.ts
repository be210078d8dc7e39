import { formatMoney, parseCurrency, unwrap } from '@refunds/domain';
import { priceLine, quoteTotal, toLineItemInputs } from './lineTotals';
import { ACTIONS_BY_STATUS } from './quoteActions';

const USD = unwrap(parseCurrency('USD'));
const JPY = unwrap(parseCurrency('JPY'));

describe('live quote totals', () => {
  it('multiplies exactly, with no float drift', () => {
    const line = priceLine({ description: 'Pens', quantity: '3', unitPrice: '0.10' }, USD);
    expect(line.ok && line.total.minor).toBe(30n);
  });

  it('rounds a fractional quantity half away from zero to the minor unit', () => {
    // 1.5 × 33.33 = 49.995 -> 50.00
    const line = priceLine({ description: 'Hours', quantity: '1.5', unitPrice: '33.33' }, USD);
    expect(line.ok && line.total.minor).toBe(5000n);
  });

  it('adds the lines with the domain and formats the sum', () => {
    const lines = [
      priceLine({ description: 'a', quantity: '2', unitPrice: '1250.00' }, USD),
      priceLine({ description: 'b', quantity: '0.25', unitPrice: '10' }, USD),
    ];
    const total = quoteTotal(lines, USD);
    expect(total?.minor).toBe(250250n);
    expect(total && formatMoney(total, 'en-US')).toBe('$2,502.50');
  });

  it('has no total while a line is invalid, and says which field is wrong', () => {
    const zeroQuantity = priceLine({ description: 'a', quantity: '0', unitPrice: '1' }, USD);
    expect(zeroQuantity).toEqual({
      ok: false,
      errors: { quantity: 'The quantity must be more than zero.' },
    });
    const badPrice = priceLine({ description: 'a', quantity: '1', unitPrice: '1.999' }, USD);
    expect(badPrice.ok === false && badPrice.errors.unitPrice).toMatch(/at most 2 digits/);
    expect(quoteTotal([badPrice], USD)).toBeNull();
  });

  it('refuses decimals a currency does not have', () => {
    expect(priceLine({ description: 'a', quantity: '1', unitPrice: '100.5' }, JPY).ok).toBe(false);
  });

  it('lets one free line through but not a quote that comes to zero', () => {
    expect(priceLine({ description: 'Gift', quantity: '1', unitPrice: '0' }, USD)).toEqual({
      ok: true,
      total: { minor: 0n, currency: 'USD' },
    });
    const all = toLineItemInputs([{ description: 'Gift', quantity: '1', unitPrice: '0' }], USD);
    expect(all.ok).toBe(false);
  });

  it('sends canonical decimal strings and points a refusal at its line', () => {
    expect(
      toLineItemInputs([{ description: ' Design ', quantity: '1.50', unitPrice: '80' }], USD),
    ).toEqual({
      ok: true,
      lineItems: [{ description: 'Design', quantity: '1.5', unitPrice: '80.00' }],
    });
    const refused = toLineItemInputs(
      [
        { description: 'a', quantity: '1', unitPrice: '5' },
        { description: '  ', quantity: '1', unitPrice: '5' },
      ],
      USD,
    );
    expect(refused).toMatchObject({ ok: false, refusal: { line: 1, field: 'description' } });
  });
});

describe('drawer footer table', () => {
  it('is the lifecycle of the issue, in button order', () => {
    expect(ACTIONS_BY_STATUS).toEqual({
      DRAFT: ['SEND', 'VOID', 'ADD_NOTE'],
      SENT: ['ACCEPT', 'VOID', 'ADD_NOTE'],
      ACCEPTED: ['MARK_PAID', 'VOID', 'ADD_NOTE'],
      PAID: ['MARK_UNPAID', 'REFUND', 'ADD_NOTE'],
      REFUNDED: ['ADD_NOTE'],
      VOID: ['ADD_NOTE'],
    });
  });
});

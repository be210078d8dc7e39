import { formatMoney, parseCurrency, unwrap } from '@refunds/domain';
import { priceLine, quoteTotal, toLineItemInput } from './lineTotals';

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

  it('has no total while a line is invalid, and says why', () => {
    const bad = priceLine({ description: 'a', quantity: '0', unitPrice: '1.999' }, USD);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors.quantity).toBe('The quantity must be more than zero.');
      expect(bad.errors.unitPrice).toMatch(/at most 2 digits/);
    }
    expect(quoteTotal([bad], USD)).toBeNull();
  });

  it('refuses decimals a currency does not have', () => {
    const line = priceLine({ description: 'a', quantity: '1', unitPrice: '100.5' }, JPY);
    expect(line.ok).toBe(false);
  });

  it('sends canonical decimal strings', () => {
    const line = priceLine({ description: ' Design ', quantity: '1.50', unitPrice: '80' }, USD);
    if (!line.ok) throw new Error('expected a valid line');
    expect(toLineItemInput(' Design ', line)).toEqual({
      description: 'Design',
      quantity: '1.5',
      unitPrice: '80.00',
    });
  });
});

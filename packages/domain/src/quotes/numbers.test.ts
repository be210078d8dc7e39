import { formatCaseNumber, formatQuoteNumber } from './numbers';

describe('case and quote numbers', () => {
  it('pads to six digits per the YS-000123 style', () => {
    expect(formatCaseNumber(123)).toBe('YS-000123');
    expect(formatCaseNumber(1n)).toBe('YS-000001');
    expect(formatQuoteNumber(42)).toBe('Q-000042');
  });

  it('grows wider instead of wrapping past 999999', () => {
    expect(formatCaseNumber(1_234_567)).toBe('YS-1234567');
  });

  it('refuses a sequence below 1', () => {
    expect(() => formatCaseNumber(0)).toThrow(RangeError);
  });
});

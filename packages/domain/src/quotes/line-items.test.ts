import fc from 'fast-check';
import { BadInputError, DomainError, unwrap, UserErrorCode } from '../errors';
import { type CurrencyCode, parseCurrency, toDecimalString } from '../money';
import { normalizeTitle, priceLineItems } from './line-items';

const USD = unwrap(parseCurrency('USD'));
const JPY = unwrap(parseCurrency('JPY'));

const line = (quantity: string, unitPrice: string, description = 'Work') => ({
  description,
  quantity,
  unitPrice,
});

function priced(lines: ReturnType<typeof line>[], currency: CurrencyCode = USD) {
  const result = priceLineItems(lines, currency);
  if (!result.ok) throw result.error;
  return result.value;
}

function refusal(lines: ReturnType<typeof line>[], currency: CurrencyCode = USD) {
  const result = priceLineItems(lines, currency);
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
}

describe('priceLineItems', () => {
  it('multiplies quantity by unit price exactly, with no float drift', () => {
    const quote = priced([line('3', '0.10'), line('1.5', '80.00'), line('0.333', '3.00')]);
    expect(quote.lineItems.map((l) => toDecimalString(l.total))).toEqual([
      '0.30',
      '120.00',
      '1.00',
    ]);
    expect(toDecimalString(quote.total)).toBe('121.30');
    expect(quote.total.currency).toBe('USD');
  });

  it('rounds each line half away from zero to the minor unit', () => {
    // 0.125 × 1.00 = 0.125 → 0.13; 0.005 × 1 = 0.005 → 0.01
    expect(toDecimalString(priced([line('0.125', '1.00')]).total)).toBe('0.13');
    expect(toDecimalString(priced([line('0.5', '0.01')]).total)).toBe('0.01');
  });

  it('uses the currency of the business, including currencies without a minor unit', () => {
    const quote = priced([line('2', '1500')], JPY);
    expect(toDecimalString(quote.total)).toBe('3000');
    const error = refusal([line('1', '1500.50')], JPY);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(UserErrorCode.INVALID_AMOUNT);
    expect(error.field).toEqual(['input', 'lineItems', '0', 'unitPrice']);
  });

  it('trims descriptions and keeps quantities in their shortest exact form', () => {
    const quote = priced([line('2.500', '10.00', '  Deep clean  ')]);
    expect(quote.lineItems[0]?.description).toBe('Deep clean');
    expect(quote.lineItems[0]?.quantity).toEqual({ unscaled: 25n, scale: 1 });
  });

  it.each([
    ['0', 'The quantity must be more than zero.'],
    ['-1', 'The quantity cannot be negative.'],
    ['1e3', undefined],
    ['1.0001', undefined],
    ['1000001', 'That quantity is too large.'],
  ])('refuses quantity %s as INVALID_AMOUNT on its field', (quantity, message) => {
    const error = refusal([line('1', '5.00'), line(quantity, '5.00')]);
    expect((error as DomainError).code).toBe(UserErrorCode.INVALID_AMOUNT);
    expect(error.field).toEqual(['input', 'lineItems', '1', 'quantity']);
    if (message) expect(error.message).toBe(message);
  });

  it.each(['-5.00', '5.001', '5,00', ' 5', '١٢'])('refuses unit price %s', (unitPrice) => {
    const error = refusal([line('1', unitPrice)]);
    expect((error as DomainError).code).toBe(UserErrorCode.INVALID_AMOUNT);
    expect(error.field).toEqual(['input', 'lineItems', '0', 'unitPrice']);
  });

  it('refuses a quote that comes to zero, but allows a free line beside paid ones', () => {
    expect((refusal([line('1', '0.00')]) as DomainError).code).toBe(UserErrorCode.INVALID_AMOUNT);
    expect(toDecimalString(priced([line('1', '0.00'), line('1', '2.00')]).total)).toBe('2.00');
  });

  it('refuses totals beyond the money bound', () => {
    const error = refusal([line('1000', '9999999999999.99')]);
    expect((error as DomainError).code).toBe(UserErrorCode.INVALID_AMOUNT);
    const sumError = refusal([line('1', '9999999999999.99'), line('1', '9999999999999.99')]);
    expect((sumError as DomainError).code).toBe(UserErrorCode.INVALID_AMOUNT);
    expect(sumError.field).toEqual(['input', 'lineItems']);
  });

  it('bounds money in minor units, whatever number of decimals was typed', () => {
    // Regression: parseMoney bounded the digits typed, so "100000000000.01" was refused while the
    // larger "10000000000000" passed.
    expect(toDecimalString(priced([line('1', '100000000000.01')]).total)).toBe('100000000000.01');
    expect(toDecimalString(priced([line('1', '10000000000000')]).total)).toBe('10000000000000.00');
    expect((refusal([line('1', '10000000000000.01')]) as DomainError).code).toBe(
      UserErrorCode.INVALID_AMOUNT,
    );
  });

  it('refuses no lines, blank descriptions and too many lines as bad input', () => {
    expect(refusal([])).toBeInstanceOf(BadInputError);
    const blank = refusal([line('1', '1.00', '   ')]);
    expect(blank).toBeInstanceOf(BadInputError);
    expect(blank.field).toEqual(['input', 'lineItems', '0', 'description']);
    expect(refusal(Array.from({ length: 101 }, () => line('1', '1.00')))).toBeInstanceOf(
      BadInputError,
    );
  });

  it('property: the total is the exact sum of the lines, each quantity × price rounded once', () => {
    const lineArb = fc.record({
      quantityMilli: fc.bigInt({ min: 1n, max: 1_000_000n }),
      priceCents: fc.bigInt({ min: 0n, max: 10_000_000n }),
    });
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 20 }), (lines) => {
        const drafts = lines.map(({ quantityMilli, priceCents }) =>
          line(
            `${quantityMilli / 1000n}.${(quantityMilli % 1000n).toString().padStart(3, '0')}`,
            `${priceCents / 100n}.${(priceCents % 100n).toString().padStart(2, '0')}`,
          ),
        );
        const result = priceLineItems(drafts, USD);
        // Rounded product in cents: (milli × cents) / 1000, half away from zero, in integers.
        const expected = lines.map(({ quantityMilli, priceCents }) => {
          const product = quantityMilli * priceCents;
          return product / 1000n + (product % 1000n >= 500n ? 1n : 0n);
        });
        const expectedTotal = expected.reduce((a, b) => a + b, 0n);
        if (expectedTotal === 0n) {
          expect(result.ok).toBe(false);
          return;
        }
        if (!result.ok) throw result.error;
        expect(result.value.lineItems.map((l) => l.total.minor)).toEqual(expected);
        expect(result.value.total.minor).toBe(expectedTotal);
      }),
      { numRuns: 300 },
    );
  });
});

describe('normalizeTitle', () => {
  it('treats blank as none and refuses over-long titles', () => {
    expect(normalizeTitle('  ')).toEqual({ ok: true, value: null });
    expect(normalizeTitle(undefined)).toEqual({ ok: true, value: null });
    expect(normalizeTitle(' Kitchen ')).toEqual({ ok: true, value: 'Kitchen' });
    expect(normalizeTitle('x'.repeat(201)).ok).toBe(false);
  });
});

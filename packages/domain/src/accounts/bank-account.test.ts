import { BadInputError } from '../errors';
import { parseAccountText, parseBankAccount } from './bank-account';

describe('parseBankAccount', () => {
  it('trims the name and reads the currency', () => {
    expect(parseBankAccount({ name: '  Barclays current ', currency: 'gbp' })).toEqual({
      ok: true,
      value: { name: 'Barclays current', currency: 'GBP' },
    });
  });

  it.each([
    [{ name: '   ', currency: 'GBP' }, ['input', 'name']],
    [{ name: 'x'.repeat(101), currency: 'GBP' }, ['input', 'name']],
    [{ name: 'Main', currency: 'POUNDS' }, ['input', 'currency']],
    [{ name: 'Main', currency: 'ZZZ' }, ['input', 'currency']],
  ])('refuses %p as bad input', (input, field) => {
    const result = parseBankAccount(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(BadInputError);
    expect(result.error.field).toEqual(field);
  });
});

describe('parseAccountText', () => {
  it('turns blank into null and trims', () => {
    expect(parseAccountText(undefined, 'reason')).toEqual({ ok: true, value: null });
    expect(parseAccountText('   ', 'reason')).toEqual({ ok: true, value: null });
    expect(parseAccountText(' goodwill ', 'reason')).toEqual({ ok: true, value: 'goodwill' });
  });
  it('refuses a very long text', () => {
    const result = parseAccountText('x'.repeat(501), 'reference');
    expect(!result.ok && result.error.field).toEqual(['input', 'reference']);
  });
});

import { countryDefaults } from './country-defaults';

describe('countryDefaults', () => {
  it.each([
    ['GH', 'GHS', 'Africa/Accra'],
    ['NG', 'NGN', 'Africa/Lagos'],
    ['KE', 'KES', 'Africa/Nairobi'],
    ['FR', 'EUR', 'Europe/Paris'],
    ['GB', 'GBP', 'Europe/London'],
    ['JP', 'JPY', 'Asia/Tokyo'],
    ['PH', 'PHP', 'Asia/Manila'],
  ])('a business in %s uses %s and the zone %s', (country, currency, timezone) => {
    const defaults = countryDefaults(country);
    expect(defaults.currency).toBe(currency);
    expect(defaults.timezone).toBe(timezone);
    expect(defaults.timezones).toEqual([timezone]);
  });

  it('leaves the zone to the person in a country of several, unless their own zone is one', () => {
    const us = countryDefaults('US', 'UTC');
    expect(us.currency).toBe('USD');
    expect(us.timezone).toBeNull();
    expect(us.timezones).toEqual(expect.arrayContaining(['America/New_York', 'America/Chicago']));
    expect(countryDefaults('US', 'America/Chicago').timezone).toBe('America/Chicago');
    expect(countryDefaults('BR', 'America/Sao_Paulo')).toMatchObject({
      currency: 'BRL',
      timezone: 'America/Sao_Paulo',
    });
    // Someone in Accra opening a business in Brazil still chooses among Brazil's zones.
    expect(countryDefaults('BR', 'Africa/Accra').timezone).toBeNull();
  });

  it('reads the code as parseBusinessProfile does (case, spaces)', () => {
    expect(countryDefaults(' gh ').currency).toBe('GHS');
  });

  it('knows nothing of codes that are not countries', () => {
    for (const code of ['ZZ', 'XX', '', 'GHA', '12']) {
      expect(countryDefaults(code)).toEqual({ currency: null, timezone: null, timezones: [] });
    }
  });

  it('every currency it gives is one the domain accepts', () => {
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    for (const a of letters)
      for (const b of letters) {
        const { currency } = countryDefaults(a + b);
        if (currency !== null) expect(currency).toMatch(/^[A-Z]{3}$/);
      }
  });
});

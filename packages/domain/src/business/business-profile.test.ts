import { BadInputError } from '../errors';
import { countryName, parseBusinessProfile } from './business-profile';

const valid = { country: 'GH', currency: 'GHS', timezone: 'Africa/Accra' };

function refusal(input: Partial<typeof valid>): BadInputError {
  const result = parseBusinessProfile({ ...valid, ...input });
  if (result.ok) throw new Error(`expected a refusal for ${JSON.stringify(input)}`);
  expect(result.error).toBeInstanceOf(BadInputError);
  return result.error;
}

describe('parseBusinessProfile', () => {
  it('accepts a country, currency and time zone', () => {
    expect(parseBusinessProfile(valid)).toEqual({ ok: true, value: valid });
    expect(
      parseBusinessProfile({ country: 'BR', currency: 'BRL', timezone: 'America/Sao_Paulo' }),
    ).toEqual({
      ok: true,
      value: { country: 'BR', currency: 'BRL', timezone: 'America/Sao_Paulo' },
    });
  });

  it('normalizes case and surrounding spaces', () => {
    expect(
      parseBusinessProfile({ country: ' us ', currency: 'usd', timezone: ' America/New_York ' }),
    ).toEqual({
      ok: true,
      value: { country: 'US', currency: 'USD', timezone: 'America/New_York' },
    });
  });

  it.each(['', 'G', 'GHA', 'USA', '12', 'G1', 'AA', 'QQ', 'XX'])(
    'refuses the country %j',
    (country) => {
      const error = refusal({ country });
      expect(error.field).toEqual(['input', 'country']);
      expect(error.message).toContain('two-letter country code');
    },
  );

  it.each([
    ['ZZ', 'unknown region'],
    ['EU', 'European Union'],
    ['EZ', 'Eurozone'],
    ['UN', 'United Nations'],
    ['QO', 'Outlying Oceania'],
    ['XA', 'pseudo-locale'],
    ['XB', 'pseudo-locale'],
  ])('refuses %s (%s): it has a name in CLDR but is not a country', (country) => {
    expect(refusal({ country }).field).toEqual(['input', 'country']);
  });

  it.each([
    ['UK', 'GB'],
    ['SU', 'RU'],
    ['ZR', 'CD'],
    ['YU', 'RS'],
    ['DD', 'DE'],
    ['TP', 'TL'],
  ])('refuses the withdrawn code %s (today %s)', (country, current) => {
    expect(refusal({ country }).field).toEqual(['input', 'country']);
    expect(parseBusinessProfile({ ...valid, country: current }).ok).toBe(true);
  });

  it.each([
    'GH',
    'NG',
    'KE',
    'US',
    'GB',
    'DE',
    'FR',
    'BR',
    'MX',
    'IN',
    'PH',
    'AU',
    'NZ',
    'JP',
    'XK',
  ])('accepts the country %s', (country) => {
    expect(parseBusinessProfile({ ...valid, country }).ok).toBe(true);
  });

  it.each(['', 'US', 'DOLLAR', 'ABC', '$'])('refuses the currency %j', (currency) => {
    const error = refusal({ currency });
    expect(error.field).toEqual(['input', 'currency']);
    expect(error.message).toContain('ISO 4217');
  });

  it.each([
    '',
    'Mars/Olympus',
    'Africa/Acra',
    'Accra',
    '+05:00',
    'UTC+1',
    'Africa/Accra/',
    '../etc',
  ])('refuses the time zone %j', (timezone) => {
    const error = refusal({ timezone });
    expect(error.field).toEqual(['input', 'timezone']);
    expect(error.message).toContain('not a time zone');
  });

  it.each([
    'UTC',
    'Etc/UTC',
    'Europe/Berlin',
    'Asia/Manila',
    // Current IANA names that Intl lists under their old spelling:
    'Asia/Kolkata',
    'Asia/Calcutta',
    'Europe/Kyiv',
    'Asia/Ho_Chi_Minh',
    'America/Argentina/Buenos_Aires',
    'Asia/Kathmandu',
  ])('accepts the time zone %s and keeps it as written', (timezone) => {
    expect(parseBusinessProfile({ ...valid, timezone })).toEqual({
      ok: true,
      value: { ...valid, timezone },
    });
    // Whatever is accepted, the rest of the domain can compute local dates in it.
    expect(() => new Intl.DateTimeFormat('en', { timeZone: timezone })).not.toThrow();
  });

  it('reports the first problem, country before currency before time zone', () => {
    expect(refusal({ country: 'ZZ', currency: 'ABC', timezone: 'Nowhere' }).field).toEqual([
      'input',
      'country',
    ]);
    expect(refusal({ currency: 'ABC', timezone: 'Nowhere' }).field).toEqual(['input', 'currency']);
  });
});

describe('countryName', () => {
  it('names a country in English and returns anything unknown as is', () => {
    expect(countryName('GH')).toBe('Ghana');
    expect(countryName('BR')).toBe('Brazil');
    expect(countryName('AA')).toBe('AA');
  });
});

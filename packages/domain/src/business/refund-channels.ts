/**
 * Where customers in a country usually get their money back (seed 000, section 2). The refund
 * dialog shows these so an owner does not have to think about it.
 */
const MOMO_MARKETS = [
  'GH',
  'NG',
  'KE',
  'UG',
  'TZ',
  'RW',
  'ZM',
  'CM',
  'CI',
  'SN',
  'BJ',
  'MW',
  'MZ',
  'ZW',
  'CD',
  'CG',
  'GN',
  'LR',
  'SL',
  'ET',
];

// The SEPA area in the EU (and the EEA states and others that use SEPA transfers).
const SEPA_COUNTRIES = [
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
  'IS',
  'LI',
  'NO',
  'CH',
  'MC',
  'SM',
  'AD',
  'VA',
];

const byCountry: Record<string, readonly string[]> = {
  US: ['Zelle', 'Venmo', 'Bank transfer'],
  GB: ['Bank transfer', 'Revolut'],
  BR: ['Pix'],
  MX: ['OXXO', 'Bank transfer'],
  IN: ['UPI', 'Bank transfer'],
  PH: ['GCash', 'Bank transfer'],
  AU: ['PayID', 'Bank transfer'],
  NZ: ['PayID', 'Bank transfer'],
};

const MOMO_CHANNELS = ['MTN MoMo', 'Airtel Money', 'M-Pesa', 'Whatever mobile money they used'];
const SEPA_CHANNELS = ['SEPA bank transfer'];
const ANYWHERE_ELSE = ['Your bank', 'The payment app they used', 'However the money got to you'];

export function refundChannelExamples(country: string): readonly string[] {
  const code = country.toUpperCase();
  if (MOMO_MARKETS.includes(code)) return MOMO_CHANNELS;
  if (SEPA_COUNTRIES.includes(code)) return SEPA_CHANNELS;
  return byCountry[code] ?? ANYWHERE_ELSE;
}

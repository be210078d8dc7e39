import { refundChannelExamples } from './refund-channels';

// Seed 000, section 2 "Sending the refund".
const MOMO = ['MTN MoMo', 'Airtel Money', 'M-Pesa', 'Whatever mobile money they used'];
const SEPA = ['SEPA bank transfer'];
const ANYWHERE_ELSE = ['Your bank', 'The payment app they used', 'However the money got to you'];

const EU_MEMBERS = [
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE',
  'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
]; // prettier-ignore

describe('refundChannelExamples (seed 000, section 2)', () => {
  it.each(['GH', 'NG', 'KE', 'UG', 'TZ', 'RW', 'ZM', 'CI', 'SN', 'CM'])(
    'Africa MoMo market %s: MTN MoMo, Airtel Money, M-Pesa, whatever they used',
    (country) => {
      expect(refundChannelExamples(country)).toEqual(MOMO);
    },
  );

  it('US: Zelle, Venmo, bank transfer', () => {
    expect(refundChannelExamples('US')).toEqual(['Zelle', 'Venmo', 'Bank transfer']);
  });

  it('UK: bank transfer, Revolut', () => {
    expect(refundChannelExamples('GB')).toEqual(['Bank transfer', 'Revolut']);
  });

  it('EU: every one of the 27 member states gets SEPA bank transfer', () => {
    expect(EU_MEMBERS).toHaveLength(27);
    for (const country of EU_MEMBERS) expect(refundChannelExamples(country)).toEqual(SEPA);
  });

  it('Brazil: Pix', () => {
    expect(refundChannelExamples('BR')).toEqual(['Pix']);
  });

  it('Mexico: OXXO, bank transfer', () => {
    expect(refundChannelExamples('MX')).toEqual(['OXXO', 'Bank transfer']);
  });

  it('India: UPI, bank transfer', () => {
    expect(refundChannelExamples('IN')).toEqual(['UPI', 'Bank transfer']);
  });

  it('Philippines: GCash, bank transfer', () => {
    expect(refundChannelExamples('PH')).toEqual(['GCash', 'Bank transfer']);
  });

  it.each(['AU', 'NZ'])('Australia / NZ (%s): PayID, bank transfer', (country) => {
    expect(refundChannelExamples(country)).toEqual(['PayID', 'Bank transfer']);
  });

  it.each(['JP', 'CA', 'ZA', 'EG', 'AR', 'CN', 'SG', 'AE', 'XX', ''])(
    'anywhere else (%j): your bank, the payment app, however the money got to you',
    (country) => {
      expect(refundChannelExamples(country)).toEqual(ANYWHERE_ELSE);
    },
  );

  it('reads the country code in any case', () => {
    expect(refundChannelExamples('br')).toEqual(['Pix']);
    expect(refundChannelExamples('gh')).toEqual(MOMO);
    expect(refundChannelExamples('de')).toEqual(SEPA);
  });

  it('GB is not treated as an EU SEPA country', () => {
    expect(refundChannelExamples('GB')).not.toEqual(SEPA);
  });

  it('always offers at least one example', () => {
    for (const country of ['GH', 'US', 'GB', 'FR', 'BR', 'MX', 'IN', 'PH', 'AU', 'NZ', 'JP']) {
      expect(refundChannelExamples(country).length).toBeGreaterThan(0);
    }
  });
});

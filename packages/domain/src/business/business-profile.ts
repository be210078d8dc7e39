import { BadInputError, fail, ok, type Result } from '../errors';
import { type CurrencyCode, parseCurrency } from '../money';

export interface BusinessProfile {
  readonly country: string;
  readonly currency: CurrencyCode;
  readonly timezone: string;
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
const knownTimeZones = new Set<string>([...Intl.supportedValuesOf('timeZone'), 'UTC']);

// CLDR names codes that are not countries: unknown (ZZ), groupings (EU, EZ, UN) and the user-assigned
// ranges AA, QM-QZ and XA-XZ (pseudo-locales XA, XB; outlying Oceania QO). XK (Kosovo) stays: it
// is user-assigned but used everywhere a country list is.
const NOT_A_COUNTRY = /^(?:AA|Q[M-Z]|X[A-JL-Z]|ZZ|EU|EZ|UN)$/;

function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code) || NOT_A_COUNTRY.test(code) || !regionNames.of(code)) return false;
  // Withdrawn codes (UK, SU, ZR, YU, DD...) canonicalize to another one: not ISO 3166-1 today.
  return new Intl.Locale('und', { region: code }).region === code;
}

/**
 * An IANA zone name. `Intl.supportedValuesOf` lists only CLDR's preferred spelling, which for some
 * zones is the old one ("Asia/Calcutta", "Europe/Kiev"), so the current names ("Asia/Kolkata",
 * "Europe/Kyiv", "Etc/UTC") are also accepted when Intl knows them. Offsets ("+05:00") are not.
 */
function isTimeZone(name: string): boolean {
  if (knownTimeZones.has(name)) return true;
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const invalid = (field: string, message: string) =>
  fail(new BadInputError(message, ['input', field]));

/** Checks the country (ISO 3166-1 alpha-2), currency (ISO 4217) and IANA timezone of a new business. */
export function parseBusinessProfile(input: {
  country: string;
  currency: string;
  timezone: string;
}): Result<BusinessProfile, BadInputError> {
  const country = input.country.trim().toUpperCase();
  if (!isCountryCode(country)) {
    return invalid(
      'country',
      `"${input.country}" is not a two-letter country code such as GH, US or BR.`,
    );
  }
  const currency = parseCurrency(input.currency);
  if (!currency.ok) return invalid('currency', currency.error.message);
  const timezone = input.timezone.trim();
  if (!isTimeZone(timezone)) {
    return invalid('timezone', `"${input.timezone}" is not a time zone such as Africa/Accra.`);
  }
  return ok({ country, currency: currency.value, timezone });
}

export function countryName(country: string): string {
  return regionNames.of(country) ?? country;
}

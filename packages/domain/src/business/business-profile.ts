import { BadInputError, fail, ok, type Result } from '../errors';
import { type CurrencyCode, parseCurrency } from '../money';

export interface BusinessProfile {
  readonly country: string;
  readonly currency: CurrencyCode;
  readonly timezone: string;
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
const knownTimeZones = new Set<string>([...Intl.supportedValuesOf('timeZone'), 'UTC']);

const invalid = (field: string, message: string) =>
  fail(new BadInputError(message, ['input', field]));

/** Checks the country (ISO 3166-1 alpha-2), currency (ISO 4217) and IANA timezone of a new business. */
export function parseBusinessProfile(input: {
  country: string;
  currency: string;
  timezone: string;
}): Result<BusinessProfile, BadInputError> {
  const country = input.country.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(country) || !regionNames.of(country)) {
    return invalid(
      'country',
      `"${input.country}" is not a two-letter country code such as GH, US or BR.`,
    );
  }
  const currency = parseCurrency(input.currency);
  if (!currency.ok) return invalid('currency', currency.error.message);
  const timezone = input.timezone.trim();
  if (!knownTimeZones.has(timezone)) {
    return invalid('timezone', `"${input.timezone}" is not a time zone such as Africa/Accra.`);
  }
  return ok({ country, currency: currency.value, timezone });
}

export function countryName(country: string): string {
  return regionNames.of(country) ?? country;
}

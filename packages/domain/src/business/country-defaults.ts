import countryToCurrency from 'country-to-currency';
import { type CurrencyCode, parseCurrency } from '../money';

/**
 * What a new business in a country most likely uses, to fill the sign-up form when a country is
 * picked: its currency, and its time zone when that is not a guess.
 */
export interface CountryDefaults {
  /** The country's currency (ISO 4217), or null when unknown. */
  readonly currency: CurrencyCode | null;
  /**
   * The one zone to pick: the country's only zone, or the person's own zone when it is one of the
   * country's; null when the country has several and the person must choose (US, BR, AU...).
   */
  readonly timezone: string | null;
  /** Every zone of the country, CLDR's spelling (the same as Intl.supportedValuesOf lists). */
  readonly timezones: readonly string[];
}

/**
 * The zones of a region from CLDR through Intl. Node 20 has the `timeZones` getter; later V8
 * versions add `getTimeZones()` and may drop the getter, so both are tried.
 */
function zonesOf(country: string): readonly string[] {
  try {
    const locale = new Intl.Locale('und', { region: country }) as Intl.Locale & {
      getTimeZones?: () => string[] | undefined;
      timeZones?: string[];
    };
    return locale.getTimeZones?.() ?? locale.timeZones ?? [];
  } catch {
    return [];
  }
}

/**
 * Currency and time zone for a business in `country` (ISO 3166-1 alpha-2). The currency table is
 * the `country-to-currency` package (ISO 4217 by country, maintained): Intl exposes no territory
 * currency, and a hand-kept table of 250 countries would go stale.
 */
export function countryDefaults(country: string, ownTimeZone?: string | null): CountryDefaults {
  const code = country.trim().toUpperCase();
  const known = (countryToCurrency as Readonly<Record<string, string>>)[code];
  const currency = known ? parseCurrency(known) : null;
  const timezones = /^[A-Z]{2}$/.test(code) ? zonesOf(code) : [];
  const timezone =
    timezones.length === 1
      ? timezones[0]!
      : ownTimeZone && timezones.includes(ownTimeZone)
        ? ownTimeZone
        : null;
  return { currency: currency?.ok ? currency.value : null, timezone, timezones };
}

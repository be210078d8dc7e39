import { DomainError, fail, ok, type Result, UserErrorCode } from '../errors';
import { type CurrencyCode, minorDigits } from './currency';
import { type Decimal, formatUnscaled, parseDecimal, shiftRoundHalfAwayFromZero } from './decimal';

/** An amount of money: integer minor units (cents, pesewas) of one currency. */
export interface Money {
  readonly minor: bigint;
  readonly currency: CurrencyCode;
}

/**
 * Largest amount in minor units that we accept: 10^15 (ten trillion dollars). Far above any real
 * refund, far below the 9.2e18 of a PostgreSQL bigint, so sums of many amounts cannot overflow.
 */
export const MAX_MINOR_UNITS = 10n ** 15n;

export function money(minor: bigint, currency: CurrencyCode): Money {
  return { minor, currency };
}

export function zero(currency: CurrencyCode): Money {
  return money(0n, currency);
}

export interface ParseMoneyOptions {
  readonly allowNegative?: boolean;
}

/** Reads a wire `Decimal` such as "1250.00" in the given currency. */
export function parseMoney(
  input: string,
  currency: CurrencyCode,
  options: ParseMoneyOptions = {},
): Result<Money> {
  const digits = minorDigits(currency);
  const parsed = parseDecimal(input, {
    maxScale: digits,
    allowNegative: options.allowNegative ?? false,
    // Bound the digits typed (in minor units whatever the scale); the exact bound is checked below.
    maxUnscaled: MAX_MINOR_UNITS,
    tooManyDecimalsMessage:
      digits === 0
        ? `${currency} has no minor unit: use a whole number.`
        : `${currency} has ${digits} decimal places: use at most ${digits} digits after the dot.`,
  });
  if (!parsed.ok) return fail(parsed.error);
  const { unscaled, scale } = parsed.value;
  const minor = unscaled * 10n ** BigInt(digits - scale);
  // Compare in minor units: bounding `unscaled` alone made the limit depend on how many decimals
  // were typed ("100000000000.01" refused, "10000000000000" accepted).
  if ((minor < 0n ? -minor : minor) > MAX_MINOR_UNITS) {
    return fail(new DomainError(UserErrorCode.INVALID_AMOUNT, 'That amount is too large.'));
  }
  return ok(money(minor, currency));
}

/** Like parseMoney, and also refuses zero and negative amounts. */
export function parsePositiveMoney(input: string, currency: CurrencyCode): Result<Money> {
  const parsed = parseMoney(input, currency);
  if (parsed.ok && parsed.value.minor <= 0n) {
    return fail(
      new DomainError(UserErrorCode.INVALID_AMOUNT, 'The amount must be more than zero.'),
    );
  }
  return parsed;
}

/** The wire form: "1250.00", always with the currency's number of decimals. */
export function toDecimalString(value: Money): string {
  return formatUnscaled(value.minor, minorDigits(value.currency));
}

function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new DomainError(
      UserErrorCode.CURRENCY_MISMATCH,
      `Cannot combine ${a.currency} and ${b.currency} amounts.`,
    );
  }
}

export function add(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.minor + b.minor, a.currency);
}

export function subtract(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.minor - b.minor, a.currency);
}

export function negate(a: Money): Money {
  return money(-a.minor, a.currency);
}

/** -1, 0 or 1. */
export function compare(a: Money, b: Money): -1 | 0 | 1 {
  assertSameCurrency(a, b);
  return a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0;
}

export const equals = (a: Money, b: Money): boolean => compare(a, b) === 0;
export const greaterThan = (a: Money, b: Money): boolean => compare(a, b) > 0;
export const lessThan = (a: Money, b: Money): boolean => compare(a, b) < 0;
export const isZero = (a: Money): boolean => a.minor === 0n;
export const isPositive = (a: Money): boolean => a.minor > 0n;
export const isNegative = (a: Money): boolean => a.minor < 0n;

export function min(a: Money, b: Money): Money {
  return compare(a, b) <= 0 ? a : b;
}

export function max(a: Money, b: Money): Money {
  return compare(a, b) >= 0 ? a : b;
}

export function sum(values: readonly Money[], currency: CurrencyCode): Money {
  return values.reduce(add, zero(currency));
}

/**
 * Price × quantity, exact in minor units: the product of a money amount and a decimal quantity
 * (e.g. 1.5 hours), rounded half away from zero to the currency's minor unit.
 */
export function multiply(price: Money, quantity: Decimal): Money {
  return money(
    shiftRoundHalfAwayFromZero(price.minor * quantity.unscaled, quantity.scale),
    price.currency,
  );
}

/**
 * Countries whose businesses invoice in English although CLDR's likely language is another one
 * (Ghana -> Akan, Kenya -> Swahili, India -> Hindi ...). Without this a Ghanaian owner read dates
 * in Akan ("22, Obubuo, 2026"), and browsers that ship no Akan data (Chromium) showed
 * "GHS 1,250.00" where Node showed "GH₵1,250.00".
 */
const ENGLISH_FOR_BUSINESS = new Set(['GH', 'KE', 'UG', 'RW', 'ZW', 'NA', 'IN', 'PK', 'PH', 'MT']);

/** How many formats (and likely locales) are kept before the maps are emptied. */
const MONEY_FORMATS_KEPT = 256;

/** Every request that formats money asks for its business's locale: kept, as the formats are. */
const localesByCountry = new Map<string, string>();

/**
 * The locale whose number conventions a business in `country` expects (BR -> pt-BR, DE -> de-DE,
 * GH -> en-GH), from CLDR's likely-subtags data, with Latin digits kept so admins can read every
 * screen.
 */
export function localeForCountry(country: string): string {
  const key = country.toUpperCase();
  let locale = localesByCountry.get(key);
  if (locale === undefined) {
    locale = likelyLocale(key);
    // Countries are a short list; the bound only keeps odd input from growing the map.
    if (localesByCountry.size >= MONEY_FORMATS_KEPT) localesByCountry.clear();
    localesByCountry.set(key, locale);
  }
  return locale;
}

function likelyLocale(region: string): string {
  try {
    const locale = new Intl.Locale('und', { region }).maximize();
    const likelyRegion = locale.region ?? region;
    const language = ENGLISH_FOR_BUSINESS.has(likelyRegion) ? 'en' : locale.language;
    return `${language}-${likelyRegion}-u-nu-latn`;
  } catch {
    return 'en-US';
  }
}

/**
 * Building an Intl.NumberFormat costs far more than formatting with one (it loads the locale's
 * data): a money mutation formats several amounts, a list page dozens. Formats are kept per
 * locale and currency; the map is emptied when it grows past what real businesses use, so a
 * caller passing many locales cannot grow it without bound.
 */
const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(locale: string, currency: CurrencyCode): Intl.NumberFormat {
  const key = `${locale}\u0000${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    const digits = minorDigits(currency);
    format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    if (moneyFormats.size >= MONEY_FORMATS_KEPT) moneyFormats.clear();
    moneyFormats.set(key, format);
  }
  return format;
}

/** For people: "GH₵1,250.00", "R$ 1.250,00". Exact: the decimal string goes to Intl, not a float. */
export function formatMoney(value: Money, locale: string): string {
  // Intl.NumberFormat formats a decimal string exactly (ECMA-402 "Intl.NumberFormat v3").
  return moneyFormat(locale, value.currency).format(toDecimalString(value) as unknown as number);
}

import { formatMoney, parseCurrency, parseMoney } from '@refunds/domain';

/** Money as the API sends it: a decimal string and an ISO 4217 code. */
export interface WireMoney {
  readonly amount: string;
  readonly currency: string;
}

/**
 * "GH₵1,250.00" for people. The decimal string is read by the domain (never parseFloat) and
 * formatted by Intl; a value the domain refuses is shown as sent rather than guessed at.
 */
export function formatWireMoney(value: WireMoney, locale: string): string {
  const currency = parseCurrency(value.currency);
  if (!currency.ok) return `${value.amount} ${value.currency}`;
  const parsed = parseMoney(value.amount, currency.value, { allowNegative: true });
  if (!parsed.ok) return `${value.amount} ${value.currency}`;
  return formatMoney(parsed.value, locale);
}

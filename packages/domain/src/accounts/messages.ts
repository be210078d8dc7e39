import { type Money, toDecimalString } from '../money';

/** "5.00 GBP": exact, locale-free, for rule messages (the SPA formats for display). */
export function describeAccountMoney(value: Money): string {
  return `${toDecimalString(value)} ${value.currency}`;
}

import { type CurrencyCode, type Money, money } from '../money';

export const GBP = 'GBP' as CurrencyCode;
export const USD = 'USD' as CurrencyCode;
/** £ in pence: gbp(25) is £25.00. */
export const gbp = (pounds: number, pence = 0): Money =>
  money(BigInt(pounds) * 100n + BigInt(pence), GBP);

import {
  compare,
  formatMoney,
  isPositive,
  min,
  type Money,
  parseCurrency,
  parseMoney,
  parsePositiveMoney,
  toDecimalString,
} from '@refunds/domain';
import type { WireMoney } from '../../shared/money';

export type AmountCheck = { ok: true; value: Money; wire: string } | { ok: false; message: string };

/**
 * Reads what a person typed as an amount of `currency` (strictly, by the domain: no floats) and,
 * when `limit` is given, refuses more than it, naming the limit as the domain formats money in
 * `locale` ("GH₵5.00"). `wire` is the Decimal string to send.
 */
export function checkAmount(
  typed: string,
  currency: string,
  limit?: WireMoney,
  locale = 'en',
): AmountCheck {
  const code = parseCurrency(currency);
  if (!code.ok) return { ok: false, message: code.error.message };
  const parsed = parsePositiveMoney(typed.trim(), code.value);
  if (!parsed.ok) return { ok: false, message: parsed.error.message };
  if (limit) {
    const max = parseMoney(limit.amount, code.value);
    if (max.ok && compare(parsed.value, max.value) > 0) {
      return {
        ok: false,
        message: `The amount is more than the ${formatMoney(max.value, locale)} outstanding.`,
      };
    }
  }
  return { ok: true, value: parsed.value, wire: toDecimalString(parsed.value) };
}

/**
 * The most an allocation can take: the credit's O/S, and no more than the invoice still owes when
 * one is chosen (the domain's decideAllocation refuses either excess). Compared by the domain's
 * `min`; a value it cannot read leaves the other as the bound.
 */
export function allocationLimit(creditOutstanding: WireMoney, invoiceOwes?: WireMoney): WireMoney {
  if (!invoiceOwes) return creditOutstanding;
  const code = parseCurrency(creditOutstanding.currency);
  if (!code.ok) return creditOutstanding;
  const credit = parseMoney(creditOutstanding.amount, code.value);
  const owes = parseMoney(invoiceOwes.amount, code.value);
  if (!credit.ok || !owes.ok || invoiceOwes.currency !== creditOutstanding.currency) {
    return creditOutstanding;
  }
  const bound = min(credit.value, owes.value);
  return { amount: toDecimalString(bound), currency: creditOutstanding.currency };
}

/** Whether a wire amount is above zero (an O/S of 0.00 has nothing left to refund). */
export function hasSomething(value: WireMoney): boolean {
  const code = parseCurrency(value.currency);
  if (!code.ok) return false;
  const parsed = parseMoney(value.amount, code.value);
  return parsed.ok && isPositive(parsed.value);
}

import {
  compare,
  parseCurrency,
  parseMoney,
  parsePositiveMoney,
  toDecimalString,
} from '@refunds/domain';
import type { WireMoney } from '../../shared/money';

export type RefundAmountCheck = { ok: true; wire: string } | { ok: false; message: string };

/**
 * What a person typed as a refund amount, read by the domain's strict parse (no floats) and held
 * to what is still refundable — the server's AMOUNT_EXCEEDS_REFUNDABLE rule, checked before
 * sending so the dialog can say it in place. `wire` is the Decimal string to send.
 */
export function checkRefundAmount(
  typed: string,
  refundable: WireMoney,
  format: (value: WireMoney) => string,
): RefundAmountCheck {
  const currency = parseCurrency(refundable.currency);
  if (!currency.ok) return { ok: false, message: currency.error.message };
  const parsed = parsePositiveMoney(typed.trim(), currency.value);
  if (!parsed.ok) return { ok: false, message: parsed.error.message };
  const limit = parseMoney(refundable.amount, currency.value);
  if (limit.ok && compare(parsed.value, limit.value) > 0) {
    return {
      ok: false,
      message: `Only ${format(refundable)} of this invoice can still be refunded. Refund at most that.`,
    };
  }
  return { ok: true, wire: toDecimalString(parsed.value) };
}

/** Whether what is typed is exactly `refundable` (a full refund of what is left). */
export function sameAmount(typed: string, refundable: WireMoney): boolean {
  const currency = parseCurrency(refundable.currency);
  if (!currency.ok) return false;
  const a = parseMoney(typed.trim(), currency.value);
  const b = parseMoney(refundable.amount, currency.value);
  return a.ok && b.ok && compare(a.value, b.value) === 0;
}

import { MAX_CREDITS, parseCredits } from '@refunds/domain';
import type { CreditTransactionKind } from '../../gql/graphql';

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(locale: string, signed: boolean): Intl.NumberFormat {
  const key = `${locale}|${signed}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.NumberFormat(locale, {
      maximumFractionDigits: 0,
      signDisplay: signed ? 'exceptZero' : 'auto',
    });
    formatters.set(key, found);
  }
  return found;
}

/**
 * Credits (whole numbers, a decimal string on the wire) for people: "1,250", or "+25" / "-10" when
 * `signed`. The string is checked by the domain and handed to Intl as is, never via a float; a value
 * the domain refuses is shown as sent.
 */
export function formatCredits(value: string, locale: string, signed = false): string {
  const parsed = parseCredits(value, { allowNegative: true });
  if (!parsed.ok) return value;
  // Intl.NumberFormat formats a decimal string exactly (ECMA-402 "Intl.NumberFormat v3").
  return formatter(locale, signed).format(parsed.value.toString() as unknown as number);
}

/**
 * Whether `typed` is a whole number (digits, maybe signed) beyond the domain's bound on one
 * number of credits (MAX_CREDITS): such a value is refused for its size, and the form says the
 * real limit instead of "enter a whole number".
 */
export function isBeyondCreditsLimit(typed: string): boolean {
  const digits = /^-?([0-9]+)$/.exec(typed.trim());
  return digits !== null && BigInt(digits[1]!) > MAX_CREDITS;
}

/** The whole number of credits in a wire value, or null when the API sent something unreadable. */
export function creditsOf(value: string): bigint | null {
  const parsed = parseCredits(value, { allowNegative: true });
  return parsed.ok ? parsed.value : null;
}

export const KIND_LABELS: Record<CreditTransactionKind, string> = {
  PURCHASE: 'Purchase',
  SPEND: 'Spend',
  REFUND: 'Refund',
  ADJUSTMENT: 'Correction',
  REVERSAL: 'Reversal',
};

export const KIND_COLORS: Record<CreditTransactionKind, string> = {
  PURCHASE: 'teal',
  SPEND: 'blue',
  REFUND: 'coral',
  ADJUSTMENT: 'grape',
  REVERSAL: 'gray',
};

/** Only spends can be refunded, and only while something is left to refund. */
export function canRefund(entry: {
  kind: CreditTransactionKind;
  deleted: boolean;
  refundableCredits: string;
}): boolean {
  const refundable = creditsOf(entry.refundableCredits);
  return entry.kind === 'SPEND' && !entry.deleted && refundable !== null && refundable > 0n;
}

/**
 * A refund or a correction entered by mistake can be deleted, once: the API adds a REVERSAL entry
 * linked to it. A reversal itself cannot be deleted (the domain refuses it too).
 */
export function canDelete(entry: { kind: CreditTransactionKind; deleted: boolean }): boolean {
  return (entry.kind === 'REFUND' || entry.kind === 'ADJUSTMENT') && !entry.deleted;
}

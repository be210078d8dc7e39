import {
  add,
  type CurrencyCode,
  type Decimal,
  decimalToString,
  type Money,
  multiply,
  normalizeDecimal,
  parseDecimal,
  parsePositiveMoney,
  toDecimalString,
  zero,
} from '@refunds/domain';

/** Quantities such as 1.5 hours or 0.25 kg; more precision than this is a typo. */
export const MAX_QUANTITY_DECIMALS = 3;

export interface DraftLine {
  readonly description: string;
  readonly quantity: string;
  readonly unitPrice: string;
}

export type PricedLine =
  | {
      readonly ok: true;
      readonly quantity: Decimal;
      readonly unitPrice: Money;
      /** Exact: the domain's multiply, rounded half away from zero to the minor unit. */
      readonly total: Money;
    }
  | {
      readonly ok: false;
      readonly errors: { readonly quantity?: string; readonly unitPrice?: string };
    };

export function priceLine(line: DraftLine, currency: CurrencyCode): PricedLine {
  const errors: { quantity?: string; unitPrice?: string } = {};
  const quantity = parseDecimal(line.quantity.trim(), {
    maxScale: MAX_QUANTITY_DECIMALS,
    noun: 'quantity',
  });
  if (!quantity.ok) errors.quantity = quantity.error.message;
  else if (quantity.value.unscaled === 0n) errors.quantity = 'The quantity must be more than zero.';
  const unitPrice = parsePositiveMoney(line.unitPrice.trim(), currency);
  if (!unitPrice.ok) errors.unitPrice = unitPrice.error.message;
  if (!quantity.ok || !unitPrice.ok || errors.quantity) return { ok: false, errors };
  return {
    ok: true,
    quantity: quantity.value,
    unitPrice: unitPrice.value,
    total: multiply(unitPrice.value, quantity.value),
  };
}

/** The sum of the lines' totals (the domain's add), or null while any line is not valid. */
export function quoteTotal(lines: readonly PricedLine[], currency: CurrencyCode): Money | null {
  let total = zero(currency);
  for (const line of lines) {
    if (!line.ok) return null;
    total = add(total, line.total);
  }
  return total;
}

/** The wire form of a valid line: canonical decimal strings, never floats. */
export function toLineItemInput(description: string, line: Extract<PricedLine, { ok: true }>) {
  return {
    description: description.trim(),
    quantity: decimalToString(normalizeDecimal(line.quantity)),
    unitPrice: toDecimalString(line.unitPrice),
  };
}

import {
  add,
  type CurrencyCode,
  decimalToString,
  type Money,
  priceLineItems,
  type PricedLineItem,
  toDecimalString,
  zero,
} from '@refunds/domain';

export interface DraftLine {
  readonly description: string;
  readonly quantity: string;
  readonly unitPrice: string;
}

/** A line as the builder shows it while typing: its exact total, or what is wrong with it. */
export type PricedLine =
  | { readonly ok: true; readonly total: Money }
  | { readonly ok: false; readonly errors: Partial<Record<keyof DraftLine, string>> };

/**
 * Prices one line with the domain's own rule (priceLineItems, the one the API applies): exact
 * quantity × unit price, rounded half away from zero. A blank description does not stop the live
 * total; it is checked on submit.
 */
export function priceLine(line: DraftLine, currency: CurrencyCode): PricedLine {
  const priced = priceLineItems([{ ...line, description: line.description || '-' }], currency);
  if (priced.ok) return { ok: true, total: priced.value.total };
  const field = priced.error.field[priced.error.field.length - 1];
  // A line priced at zero is allowed; only a whole quote at zero is refused (checked on submit).
  if (field === 'lineItems') return { ok: true, total: zero(currency) };
  const key = field === 'quantity' || field === 'description' ? field : 'unitPrice';
  return { ok: false, errors: { [key]: priced.error.message } };
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

/** Where a whole-quote refusal points: a line's field, or the quote itself. */
export interface QuoteRefusal {
  readonly message: string;
  readonly line: number | null;
  readonly field: string | null;
}

/**
 * Checks the whole quote with the domain before it is sent and gives the wire lines: canonical
 * decimal strings, never floats.
 */
export function toLineItemInputs(
  drafts: readonly DraftLine[],
  currency: CurrencyCode,
):
  | { ok: true; lineItems: { description: string; quantity: string; unitPrice: string }[] }
  | { ok: false; refusal: QuoteRefusal } {
  const priced = priceLineItems(drafts, currency);
  if (!priced.ok) {
    const [, , index, field] = priced.error.field;
    return {
      ok: false,
      refusal: {
        message: priced.error.message,
        line: index === undefined ? null : Number(index),
        field: field ?? null,
      },
    };
  }
  return { ok: true, lineItems: priced.value.lineItems.map(toWire) };
}

function toWire(line: PricedLineItem) {
  return {
    description: line.description,
    quantity: decimalToString(line.quantity),
    unitPrice: toDecimalString(line.unitPrice),
  };
}

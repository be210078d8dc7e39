import { BadInputError, DomainError, fail, ok, type Result, UserErrorCode } from '../errors';
import {
  type CurrencyCode,
  type Decimal,
  MAX_MINOR_UNITS,
  type Money,
  multiply,
  normalizeDecimal,
  parseDecimal,
  parseMoney,
  sum,
} from '../money';

/** A line of a quote as the owner typed it: wire strings, not yet trusted. */
export interface LineItemDraft {
  readonly description: string;
  /** A positive decimal such as "1", "2.5" (hours) or "0.75". */
  readonly quantity: string;
  /** A non-negative amount in the business currency, e.g. "120.00". */
  readonly unitPrice: string;
}

export interface PricedLineItem {
  readonly description: string;
  readonly quantity: Decimal;
  readonly unitPrice: Money;
  /** quantity × unitPrice, exact, rounded half away from zero to the currency's minor unit. */
  readonly total: Money;
}

export interface PricedQuote {
  readonly lineItems: readonly PricedLineItem[];
  readonly total: Money;
}

export const MAX_LINE_ITEMS = 100;
export const MAX_DESCRIPTION_LENGTH = 500;
export const MAX_TITLE_LENGTH = 200;
/** Quantities have at most this many decimals (0.001 of an hour is 3.6 seconds). */
export const MAX_QUANTITY_SCALE = 3;
/** A million units of one thing: far above any real line, far below an overflow. */
export const MAX_QUANTITY = 1_000_000n;

/**
 * Checks and prices the lines of a new quote in the business currency. Malformed text (blank or
 * over-long descriptions, a bad title) is a BadInputError; a bad number is INVALID_AMOUNT pointed at
 * its field, e.g. ["input", "lineItems", "2", "quantity"].
 */
export function priceLineItems(
  drafts: readonly LineItemDraft[],
  currency: CurrencyCode,
): Result<PricedQuote, DomainError | BadInputError> {
  if (drafts.length === 0) {
    return fail(new BadInputError('Add at least one line item.', ['input', 'lineItems']));
  }
  if (drafts.length > MAX_LINE_ITEMS) {
    return fail(
      new BadInputError(`A quote has at most ${MAX_LINE_ITEMS} line items.`, [
        'input',
        'lineItems',
      ]),
    );
  }
  const lines: PricedLineItem[] = [];
  for (const [index, draft] of drafts.entries()) {
    const at = (name: string) => ['input', 'lineItems', String(index), name];
    const description = draft.description.trim();
    if (description.length === 0) {
      return fail(new BadInputError('Describe what this line is for.', at('description')));
    }
    if (description.length > MAX_DESCRIPTION_LENGTH) {
      return fail(
        new BadInputError(
          `Keep a description under ${MAX_DESCRIPTION_LENGTH} characters.`,
          at('description'),
        ),
      );
    }
    const quantity = parseDecimal(draft.quantity, {
      maxScale: MAX_QUANTITY_SCALE,
      maxUnscaled: MAX_QUANTITY * 10n ** BigInt(MAX_QUANTITY_SCALE),
      noun: 'quantity',
      tooManyDecimalsMessage: `Use at most ${MAX_QUANTITY_SCALE} digits after the dot in a quantity.`,
    });
    if (!quantity.ok) return fail(quantity.error.at(...at('quantity')));
    if (quantity.value.unscaled <= 0n) {
      return fail(
        new DomainError(UserErrorCode.INVALID_AMOUNT, 'The quantity must be more than zero.').at(
          ...at('quantity'),
        ),
      );
    }
    if (quantity.value.unscaled > MAX_QUANTITY * 10n ** BigInt(quantity.value.scale)) {
      return fail(
        new DomainError(UserErrorCode.INVALID_AMOUNT, 'That quantity is too large.').at(
          ...at('quantity'),
        ),
      );
    }
    const unitPrice = parseMoney(draft.unitPrice, currency);
    if (!unitPrice.ok) return fail(unitPrice.error.at(...at('unitPrice')));
    const total = multiply(unitPrice.value, quantity.value);
    if (total.minor > MAX_MINOR_UNITS) {
      return fail(
        new DomainError(UserErrorCode.INVALID_AMOUNT, 'This line comes to too large an amount.').at(
          ...at('unitPrice'),
        ),
      );
    }
    lines.push({
      description,
      quantity: normalizeDecimal(quantity.value),
      unitPrice: unitPrice.value,
      total,
    });
  }
  const total = sum(
    lines.map((line) => line.total),
    currency,
  );
  if (total.minor <= 0n) {
    return fail(
      new DomainError(
        UserErrorCode.INVALID_AMOUNT,
        'The quote comes to zero. Give at least one line a price.',
        ['input', 'lineItems'],
      ),
    );
  }
  if (total.minor > MAX_MINOR_UNITS) {
    return fail(
      new DomainError(UserErrorCode.INVALID_AMOUNT, 'The quote comes to too large an amount.', [
        'input',
        'lineItems',
      ]),
    );
  }
  return ok({ lineItems: lines, total });
}

/** A title is optional; blank means none. */
export function normalizeTitle(
  title: string | null | undefined,
): Result<string | null, BadInputError> {
  const trimmed = (title ?? '').trim();
  if (trimmed.length === 0) return ok(null);
  if (trimmed.length > MAX_TITLE_LENGTH) {
    return fail(
      new BadInputError(`Keep the title under ${MAX_TITLE_LENGTH} characters.`, ['input', 'title']),
    );
  }
  return ok(trimmed);
}

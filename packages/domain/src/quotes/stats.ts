import { type CurrencyCode, type Money, sum, zero } from '../money';
import { localMonth } from './calendar';
import { QUOTE_TABS, QuoteStatus, QuoteTab } from './status';

/** What the /quotes header needs to know about one quote. */
export interface QuoteForStats {
  readonly status: QuoteStatus;
  readonly total: Money;
  /** When it became an invoice (accepted); null for quotes never accepted. */
  readonly issuedAt: Date | null;
}

export interface QuoteStats {
  /** Invoices whose status is PAID now. */
  readonly invoicesPaidCount: number;
  /** Totals of invoices ACCEPTED or PAID now and issued in the current month, business time. */
  readonly invoicedThisMonth: Money;
  /** The tabs to show: REFUNDED only once the business has a refund. */
  readonly tabs: readonly QuoteTab[];
}

/**
 * The /quotes header. A refunded invoice leaves both numbers (it is no longer PAID, and only
 * ACCEPTED or PAID invoices count as invoiced), exactly as a void one does.
 */
export function computeQuoteStats(input: {
  readonly quotes: readonly QuoteForStats[];
  readonly hasRefund: boolean;
  readonly now: Date;
  readonly timeZone: string;
  readonly currency: CurrencyCode;
}): QuoteStats {
  const thisMonth = localMonth(input.now, input.timeZone);
  const invoicedThisMonth = input.quotes.filter(
    (quote) =>
      (quote.status === QuoteStatus.ACCEPTED || quote.status === QuoteStatus.PAID) &&
      quote.issuedAt !== null &&
      localMonth(quote.issuedAt, input.timeZone) === thisMonth,
  );
  return {
    invoicesPaidCount: input.quotes.filter((quote) => quote.status === QuoteStatus.PAID).length,
    invoicedThisMonth:
      invoicedThisMonth.length === 0
        ? zero(input.currency)
        : sum(
            invoicedThisMonth.map((quote) => quote.total),
            input.currency,
          ),
    tabs: quoteTabs(input.hasRefund),
  };
}

export function quoteTabs(hasRefund: boolean): readonly QuoteTab[] {
  return QUOTE_TABS.filter((tab) => tab !== QuoteTab.REFUNDED || hasRefund);
}

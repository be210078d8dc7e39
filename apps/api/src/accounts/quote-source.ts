/**
 * How the accounts flow reads the quotes flow's rows (it never writes them). Invoices are quotes
 * that were accepted; their debit, the "marked paid" payment and a quote refund are derived from
 * these columns rather than copied, so the statement always agrees with the quotes screens.
 *
 * Everything that names a quotes-flow table or column is in this file.
 */

/** Statuses in which a quote is an invoice and shows on the statement. */
export const INVOICE_STATUSES_SQL = `('ACCEPTED', 'PAID', 'REFUNDED')`;

/** The quote row as the accounts flow needs it; `alias` is the quotes table's alias. */
export const quoteColumns = (alias: string) => `
  ${alias}.id AS quote_id,
  ${alias}.customer_id AS quote_customer_id,
  ${alias}.number AS quote_number,
  ${alias}.status AS quote_status,
  ${alias}.total_minor AS quote_total_minor,
  ${alias}.currency AS quote_currency`;

export const QUOTES_TABLE = 'quotes';

/** When the quote became an invoice (its issue date on the statement). */
export const invoiceDate = (alias: string) => `${alias}.accepted_at`;
export const paidDate = (alias: string) => `${alias}.paid_at`;

/**
 * Payments "Mark paid" recorded and their reversals ("Mark unpaid"): one statement line each,
 * a credit for a payment and a debit for its reversal.
 */
export const QUOTE_PAYMENTS_TABLE = 'quote_payments';

/** The quote's refunds (full or partial, by the quotes flow): their table and columns. */
export const QUOTE_REFUNDS_TABLE = 'quote_refunds';
export const quoteRefundColumns = {
  quoteId: 'quote_id',
  amountMinor: 'amount_minor',
  recordedAt: 'recorded_at',
};

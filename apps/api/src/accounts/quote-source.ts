/**
 * How the accounts flow reads the quotes flow's rows (it never writes them). Invoices are quotes
 * that were accepted; their debit, the "marked paid" payments and the quote refunds reach the
 * statement through the triggers of migration 1795410200000-FlatAccounts (on quotes,
 * quote_payments and quote_refunds), which copy them into statement_lines in the same
 * transaction as the quotes flow's own write, so the statement always agrees with the quotes
 * screens and the quotes flow needs to know nothing about it. The migration names the columns
 * it reads (id, business_id, customer_id, number, status, total_minor, accepted_at; a payment's
 * kind, amount_minor and paid_at; a refund's quote_id, amount_minor and recorded_at).
 *
 * What the statement reads at page time, for the lines of one page only: a quote's title and
 * status (an allocation to a voided invoice is "Released").
 */

/** Statuses in which a quote is an invoice and shows on the statement. */
export const INVOICE_STATUSES_SQL = `('ACCEPTED', 'PAID', 'REFUNDED')`;

export const QUOTES_TABLE = 'quotes';

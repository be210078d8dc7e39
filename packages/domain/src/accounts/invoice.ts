import { type Money, isNegative, subtract, zero } from '../money';
import { invoiceBalances } from '../quotes/settlement';

/** Quote statuses as the accounts flow reads them (the quotes flow owns the lifecycle). */
export type AccountQuoteStatus = 'DRAFT' | 'SENT' | 'ACCEPTED' | 'PAID' | 'REFUNDED' | 'VOID';

/** An accepted, paid or refunded quote is an invoice: it was issued and shows on the statement. */
export function isAccountInvoice(status: AccountQuoteStatus): boolean {
  return status === 'ACCEPTED' || status === 'PAID' || status === 'REFUNDED';
}

/**
 * One quote as the account sees it. `allocated` is the sum of allocations (from credit notes and
 * payments) to it.
 */
export interface AccountInvoiceState {
  readonly status: AccountQuoteStatus;
  readonly total: Money;
  readonly allocated: Money;
  /** What "Mark paid" recorded less its reversals (quotes flow); absent: none. */
  readonly payments?: Money;
}

/**
 * When the quotes flow marks an invoice paid, the money that arrived is what it still owed then:
 * the total less what credits had already settled. It shows on the statement as a PAYMENT.
 */
export function markedPaidAmount(invoice: AccountInvoiceState): Money {
  if (invoice.status !== 'PAID' && invoice.status !== 'REFUNDED')
    return zero(invoice.total.currency);
  const rest = subtract(invoice.total, invoice.allocated);
  return isNegative(rest) ? zero(rest.currency) : rest;
}

/**
 * What the invoice still owes while it is ACCEPTED: the one settlement rule of the quotes flow
 * (total − payments − allocations); nothing once it is paid, refunded, or not an invoice at all.
 */
export function invoiceOwes(invoice: AccountInvoiceState): Money {
  const currency = invoice.total.currency;
  if (invoice.status !== 'ACCEPTED') return zero(currency);
  return invoiceBalances(invoice.total, {
    payments: invoice.payments ?? zero(currency),
    allocated: invoice.allocated,
    refunded: zero(currency),
  }).outstanding;
}

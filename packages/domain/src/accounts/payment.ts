import { fail, ok, type Result } from '../errors';
import { type Money, isPositive, min, subtract, zero } from '../money';
import { invoiceRefusal } from './allocation';
import { type AccountInvoiceState, invoiceOwes } from './invoice';

export interface PaymentDecision {
  readonly amount: Money;
  /** What goes to the invoice now (zero when no invoice was named or it owes nothing). */
  readonly allocated: Money;
  /** What stays on account as an overpayment: the payment's outstanding amount. */
  readonly unallocated: Money;
}

/**
 * recordPayment: money received on account. With an invoice, it is allocated to it up to what it
 * still owes and the rest is left unallocated. A paid invoice takes nothing (the whole payment
 * stays on account); a quote that is not an invoice (draft, sent, void) is refused.
 */
export function decidePayment(request: {
  readonly amount: Money;
  readonly invoice?: AccountInvoiceState | null;
}): Result<PaymentDecision> {
  const { amount, invoice } = request;
  if (!invoice) return ok({ amount, allocated: zero(amount.currency), unallocated: amount });
  if (invoice.status !== 'PAID' && invoice.status !== 'REFUNDED') {
    const refusal = invoiceRefusal(invoice, ['input', 'quoteId']);
    if (refusal) return fail(refusal);
  }
  const owes = invoiceOwes(invoice);
  const allocated = isPositive(owes) ? min(amount, owes) : zero(amount.currency);
  return ok({ amount, allocated, unallocated: subtract(amount, allocated) });
}

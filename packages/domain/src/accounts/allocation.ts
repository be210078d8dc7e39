import { DomainError, fail, ok, type Result, UserErrorCode } from '../errors';
import { type Money, add, compare, isPositive, subtract } from '../money';
import { type AccountCreditState, creditOutstanding } from './credit';
import { type AccountInvoiceState, invoiceOwes } from './invoice';
import { describeAccountMoney } from './messages';

export interface AllocationDecision {
  readonly amount: Money;
  /** The credit and the invoice after the allocation. */
  readonly credit: AccountCreditState;
  readonly invoice: AccountInvoiceState;
  readonly creditOutstanding: Money;
  readonly invoiceOwes: Money;
}

/**
 * Why an invoice cannot take an allocation at all, or null when it can. Only an ACCEPTED invoice
 * owes money: a paid one was settled by the quotes flow, a draft/sent quote is not an invoice yet.
 */
export function invoiceRefusal(invoice: AccountInvoiceState, field: string[]): DomainError | null {
  switch (invoice.status) {
    case 'ACCEPTED':
      return null;
    case 'PAID':
    case 'REFUNDED':
      return new DomainError(
        UserErrorCode.INVALID_STATE,
        'This invoice is already paid, so nothing can be allocated to it.',
        field,
      );
    case 'VOID':
      return new DomainError(
        UserErrorCode.INVALID_STATE,
        'This quote is void, so nothing can be allocated to it.',
        field,
      );
    case 'DRAFT':
    case 'SENT':
      return new DomainError(
        UserErrorCode.INVALID_STATE,
        'This quote is not an invoice yet. Mark it accepted first.',
        field,
      );
  }
}

/**
 * allocateCredit: uses `amount` of a credit note or payment to settle an invoice. Never more than
 * the credit's outstanding amount, never more than the invoice still owes.
 */
export function decideAllocation(request: {
  readonly credit: AccountCreditState;
  readonly invoice: AccountInvoiceState;
  readonly amount: Money;
}): Result<AllocationDecision> {
  const { credit, invoice, amount } = request;
  if (!isPositive(amount)) {
    return fail(
      new DomainError(UserErrorCode.INVALID_AMOUNT, 'The amount must be more than zero.', [
        'input',
        'amount',
      ]),
    );
  }
  if (amount.currency !== credit.amount.currency || amount.currency !== invoice.total.currency) {
    return fail(
      new DomainError(
        UserErrorCode.CURRENCY_MISMATCH,
        `The credit is in ${credit.amount.currency} and the invoice in ${invoice.total.currency}; both must be in ${amount.currency}.`,
        ['input', 'quoteId'],
      ),
    );
  }
  const refusal = invoiceRefusal(invoice, ['input', 'quoteId']);
  if (refusal) return fail(refusal);
  const outstanding = creditOutstanding(credit);
  if (compare(amount, outstanding) > 0) {
    return fail(
      new DomainError(
        UserErrorCode.AMOUNT_EXCEEDS_OUTSTANDING,
        isPositive(outstanding)
          ? `Only ${describeAccountMoney(outstanding)} of this credit is outstanding. Allocate at most that.`
          : 'Nothing is outstanding on this credit: it has been used or refunded in full.',
        ['input', 'amount'],
      ),
    );
  }
  const owes = invoiceOwes(invoice);
  if (compare(amount, owes) > 0) {
    return fail(
      new DomainError(
        UserErrorCode.AMOUNT_EXCEEDS_OUTSTANDING,
        isPositive(owes)
          ? `The invoice only owes ${describeAccountMoney(owes)}. Allocate at most that.`
          : 'The invoice owes nothing more: credits already settle it in full.',
        ['input', 'amount'],
      ),
    );
  }
  const creditAfter = { ...credit, allocated: add(credit.allocated, amount) };
  const invoiceAfter = { ...invoice, allocated: add(invoice.allocated, amount) };
  return ok({
    amount,
    credit: creditAfter,
    invoice: invoiceAfter,
    creditOutstanding: subtract(outstanding, amount),
    invoiceOwes: subtract(owes, amount),
  });
}

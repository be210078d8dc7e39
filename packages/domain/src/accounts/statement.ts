import { type CurrencyCode, type Money, add, subtract, zero } from '../money';
import { type AccountInvoiceState, isAccountInvoice, markedPaidAmount } from './invoice';

export const StatementLineKind = {
  INVOICE: 'INVOICE',
  PAYMENT: 'PAYMENT',
  CREDIT_NOTE: 'CREDIT_NOTE',
  ALLOCATION: 'ALLOCATION',
  REFUND: 'REFUND',
} as const;
export type StatementLineKind = (typeof StatementLineKind)[keyof typeof StatementLineKind];

/**
 * The order of lines that share a date: the invoice before what settles it, a refund after the
 * credit it pays out. The statement is ordered by (date, this rank, id).
 */
export const statementKindRank: Record<StatementLineKind, number> = {
  INVOICE: 0,
  PAYMENT: 1,
  CREDIT_NOTE: 2,
  ALLOCATION: 3,
  REFUND: 4,
};

/** One line's money: a debit grows what the customer owes, a credit shrinks it. */
export interface StatementEntry {
  readonly kind: StatementLineKind;
  readonly debit?: Money | null;
  readonly credit?: Money | null;
}

/** debit − credit: how much the line moves the balance. An allocation moves nothing. */
export function statementEffect(entry: StatementEntry, currency: CurrencyCode): Money {
  let effect = zero(currency);
  if (entry.debit) effect = add(effect, entry.debit);
  if (entry.credit) effect = subtract(effect, entry.credit);
  return effect;
}

/**
 * The balance after each line, starting from `opening` (the balance after the previous page's last
 * line, zero on the first page), so a page boundary changes nothing.
 */
export function runningBalances(opening: Money, entries: readonly StatementEntry[]): Money[] {
  const balances: Money[] = [];
  let balance = opening;
  for (const entry of entries) {
    balance = add(balance, statementEffect(entry, opening.currency));
    balances.push(balance);
  }
  return balances;
}

/**
 * The balance before a line, from the balance kept after it: how a statement page whose lines
 * carry their balance opens without summing anything that came before it.
 */
export function balanceBefore(balanceAfter: Money, entry: StatementEntry): Money {
  return subtract(balanceAfter, statementEffect(entry, balanceAfter.currency));
}

/** What the customer owes (+) or is owed (−): the sum of every line's effect. */
export function accountBalance(entries: readonly StatementEntry[], currency: CurrencyCode): Money {
  return entries.reduce((sum, entry) => add(sum, statementEffect(entry, currency)), zero(currency));
}

/**
 * The lines a quote contributes, derived from its state (the quotes flow owns the row):
 * - an invoice (ACCEPTED, PAID, REFUNDED) is a debit of its total;
 * - once PAID (marked paid), a payment of what it still owed then (total − allocations);
 * - once REFUNDED (the quotes flow refunds in full), a credit note cancelling the invoice and the
 *   refund paid out to the customer, so a refunded invoice leaves the balance where it was before
 *   it was issued.
 * Drafts, sent and void quotes contribute nothing.
 */
export function invoiceStatementEntries(
  invoice: AccountInvoiceState & { readonly refundAmount?: Money | null },
): StatementEntry[] {
  if (!isAccountInvoice(invoice.status)) return [];
  const lines: StatementEntry[] = [{ kind: 'INVOICE', debit: invoice.total }];
  if (invoice.status === 'PAID' || invoice.status === 'REFUNDED') {
    const paid = markedPaidAmount(invoice);
    if (paid.minor > 0n) lines.push({ kind: 'PAYMENT', credit: paid });
  }
  if (invoice.status === 'REFUNDED') {
    const refunded = invoice.refundAmount ?? invoice.total;
    lines.push({ kind: 'CREDIT_NOTE', credit: refunded });
    lines.push({ kind: 'REFUND', debit: refunded });
  }
  return lines;
}

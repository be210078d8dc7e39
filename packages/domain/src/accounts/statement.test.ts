import { type Money } from '../money';
import {
  type StatementEntry,
  accountBalance,
  balanceBefore,
  invoiceStatementEntries,
  runningBalances,
  statementEffect,
} from './statement';
import { GBP, gbp } from './test-helpers';

const amounts = (values: Money[]) => values.map((value) => value.minor);

describe('statement running balance', () => {
  // The seed's example: a £20 invoice, a £25 credit note allocated £20 to it, £5 refunded.
  const lines: StatementEntry[] = [
    { kind: 'INVOICE', debit: gbp(20) },
    { kind: 'CREDIT_NOTE', credit: gbp(25) },
    { kind: 'ALLOCATION' },
    { kind: 'REFUND', debit: gbp(5) },
  ];

  it('adds debits and subtracts credits; allocations move nothing', () => {
    expect(amounts(runningBalances(gbp(0), lines))).toEqual([2000n, -500n, -500n, 0n]);
    expect(accountBalance(lines, GBP)).toEqual(gbp(0));
    expect(statementEffect({ kind: 'ALLOCATION' }, GBP)).toEqual(gbp(0));
  });

  it('continues from the opening balance of a page', () => {
    const first = runningBalances(gbp(0), lines.slice(0, 2));
    const second = runningBalances(first[first.length - 1]!, lines.slice(2));
    expect([...first, ...second]).toEqual(runningBalances(gbp(0), lines));
  });

  it('gives the balance before a line from the balance after it', () => {
    const after = runningBalances(gbp(7), lines);
    expect(lines.map((line, i) => balanceBefore(after[i]!, line))).toEqual([
      gbp(7),
      ...after.slice(0, -1),
    ]);
  });

  it('is empty for no lines', () => {
    expect(runningBalances(gbp(3), [])).toEqual([]);
    expect(accountBalance([], GBP)).toEqual(gbp(0));
  });
});

describe('invoiceStatementEntries', () => {
  const base = { total: gbp(100), allocated: gbp(0) };

  it('shows nothing for quotes that are not invoices', () => {
    for (const status of ['DRAFT', 'SENT', 'VOID'] as const) {
      expect(invoiceStatementEntries({ ...base, status })).toEqual([]);
    }
  });

  it('shows an accepted quote as a debit', () => {
    expect(invoiceStatementEntries({ ...base, status: 'ACCEPTED' })).toEqual([
      { kind: 'INVOICE', debit: gbp(100) },
    ]);
  });

  it('shows marking paid as a payment of what was still owed', () => {
    const lines = invoiceStatementEntries({ ...base, status: 'PAID', allocated: gbp(30) });
    expect(lines).toEqual([
      { kind: 'INVOICE', debit: gbp(100) },
      { kind: 'PAYMENT', credit: gbp(70) },
    ]);
    // With the £30 credit that was allocated, the invoice is settled.
    expect(accountBalance([...lines, { kind: 'CREDIT_NOTE', credit: gbp(30) }], GBP)).toEqual(
      gbp(0),
    );
  });

  it('shows no payment line when credits had settled it in full', () => {
    expect(invoiceStatementEntries({ ...base, status: 'PAID', allocated: gbp(100) })).toEqual([
      { kind: 'INVOICE', debit: gbp(100) },
    ]);
  });

  it('cancels a refunded invoice and shows the refund paid out', () => {
    const lines = invoiceStatementEntries({ ...base, status: 'REFUNDED' });
    expect(lines.map((line) => line.kind)).toEqual(['INVOICE', 'PAYMENT', 'CREDIT_NOTE', 'REFUND']);
    expect(accountBalance(lines, GBP)).toEqual(gbp(0));
  });
});

import fc from 'fast-check';
import { UserErrorCode } from '../errors';
import { type Money, add, compare, money, subtract, zero } from '../money';
import { decideAllocation } from './allocation';
import { type AccountCreditState, creditOutstanding, newAccountCredit } from './credit';
import { type AccountInvoiceState, invoiceOwes } from './invoice';
import { decidePayment } from './payment';
import { decideAccountRefund } from './refund';
import {
  type StatementEntry,
  accountBalance,
  invoiceStatementEntries,
  balanceBefore,
  runningBalances,
} from './statement';
import { GBP } from './test-helpers';

const pence = (minor: number): Money => money(BigInt(minor), GBP);

type Op =
  | { type: 'creditNote'; amount: number }
  | { type: 'invoice'; total: number }
  | { type: 'payment'; amount: number; invoice: number | null }
  | { type: 'allocate'; credit: number; invoice: number; amount: number }
  | { type: 'refund'; credit: number; amount: number | null }
  | { type: 'markPaid'; invoice: number };

const index = fc.nat({ max: 5 });
const minor = fc.integer({ min: 1, max: 10_000 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ type: fc.constant('creditNote' as const), amount: minor }),
  fc.record({ type: fc.constant('invoice' as const), total: minor }),
  fc.record({
    type: fc.constant('payment' as const),
    amount: minor,
    invoice: fc.option(index, { nil: null }),
  }),
  fc.record({
    type: fc.constant('allocate' as const),
    credit: index,
    invoice: index,
    amount: minor,
  }),
  fc.record({
    type: fc.constant('refund' as const),
    credit: index,
    amount: fc.option(minor, { nil: null }),
  }),
  fc.record({ type: fc.constant('markPaid' as const), invoice: index }),
);

/** A customer's account in memory, changed only through the rules' decisions. */
function play(ops: readonly Op[]) {
  const credits: { kind: 'CREDIT_NOTE' | 'PAYMENT'; state: AccountCreditState }[] = [];
  const invoices: AccountInvoiceState[] = [];
  const lines: StatementEntry[] = [];
  const refusals: string[] = [];
  for (const step of ops) {
    switch (step.type) {
      case 'creditNote':
        credits.push({ kind: 'CREDIT_NOTE', state: newAccountCredit(pence(step.amount)) });
        lines.push({ kind: 'CREDIT_NOTE', credit: pence(step.amount) });
        break;
      case 'invoice':
        invoices.push({ status: 'ACCEPTED', total: pence(step.total), allocated: zero(GBP) });
        break;
      case 'payment': {
        const target = step.invoice === null ? null : invoices[step.invoice];
        const decision = decidePayment({ amount: pence(step.amount), invoice: target });
        if (!decision.ok) {
          refusals.push(decision.error.code);
          break;
        }
        const state = {
          ...newAccountCredit(pence(step.amount)),
          allocated: decision.value.allocated,
        };
        credits.push({ kind: 'PAYMENT', state });
        lines.push({ kind: 'PAYMENT', credit: pence(step.amount) });
        if (target && decision.value.allocated.minor > 0n) {
          invoices[step.invoice!] = {
            ...target,
            allocated: add(target.allocated, decision.value.allocated),
          };
          lines.push({ kind: 'ALLOCATION' });
        }
        break;
      }
      case 'allocate': {
        const credit = credits[step.credit];
        const invoice = invoices[step.invoice];
        if (!credit || !invoice) break;
        const before = creditOutstanding(credit.state);
        const owes = invoiceOwes(invoice);
        const decision = decideAllocation({
          credit: credit.state,
          invoice,
          amount: pence(step.amount),
        });
        if (!decision.ok) {
          // A refusal is right only when the limit really was in the way.
          if (decision.error.code === UserErrorCode.AMOUNT_EXCEEDS_OUTSTANDING) {
            expect(step.amount > Number(before.minor) || step.amount > Number(owes.minor)).toBe(
              true,
            );
          } else {
            expect(decision.error.code).toBe(UserErrorCode.INVALID_STATE);
            expect(invoice.status).not.toBe('ACCEPTED');
          }
          refusals.push(decision.error.code);
          break;
        }
        credit.state = decision.value.credit;
        invoices[step.invoice] = decision.value.invoice;
        lines.push({ kind: 'ALLOCATION' });
        break;
      }
      case 'refund': {
        const credit = credits[step.credit];
        if (!credit) break;
        const before = creditOutstanding(credit.state);
        const decision = decideAccountRefund({
          credit: credit.state,
          amount: step.amount === null ? null : pence(step.amount),
          bankAccountCurrency: GBP,
        });
        if (!decision.ok) {
          expect(decision.error.code).toBe(UserErrorCode.AMOUNT_EXCEEDS_OUTSTANDING);
          expect(before.minor === 0n || (step.amount ?? 0) > Number(before.minor)).toBe(true);
          refusals.push(decision.error.code);
          break;
        }
        expect(compare(decision.value.amount, before)).toBeLessThanOrEqual(0);
        credit.state = decision.value.credit;
        lines.push({ kind: 'REFUND', debit: decision.value.amount });
        break;
      }
      case 'markPaid': {
        const invoice = invoices[step.invoice];
        if (invoice && invoice.status === 'ACCEPTED') {
          invoices[step.invoice] = { ...invoice, status: 'PAID' };
        }
        break;
      }
    }
  }
  for (const invoice of invoices) lines.push(...invoiceStatementEntries(invoice));
  return { credits, invoices, lines, refusals };
}

describe('accounts properties', () => {
  it('random allocations and refunds never push an outstanding amount below zero', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const { credits, invoices } = play(ops);
        for (const { state } of credits) {
          const outstanding = creditOutstanding(state);
          expect(outstanding.minor >= 0n).toBe(true);
          expect(outstanding).toEqual(
            subtract(subtract(state.amount, state.allocated), state.refunded),
          );
        }
        for (const invoice of invoices) {
          expect(invoice.allocated.minor <= invoice.total.minor).toBe(true);
          expect(invoiceOwes(invoice).minor >= 0n).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("the statement's last balance equals the account balance, at any page size", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: 1, max: 10 }), (ops, size) => {
        const { credits, invoices, lines } = play(ops);
        const balance = accountBalance(lines, GBP);
        const whole = runningBalances(zero(GBP), lines);
        expect(whole.length === 0 ? zero(GBP) : whole[whole.length - 1]).toEqual(balance);

        // Paged: each page opens with the previous page's closing balance.
        const paged: Money[] = [];
        for (let start = 0; start < lines.length; start += size) {
          const opening = paged.length === 0 ? zero(GBP) : paged[paged.length - 1]!;
          // A page of kept lines opens from its first line's balance alone: the same opening.
          expect(balanceBefore(whole[start]!, lines[start]!)).toEqual(opening);
          paged.push(...runningBalances(opening, lines.slice(start, start + size)));
        }
        expect(paged).toEqual(whole);

        // The balance is what invoices still owe less what credits still hold.
        const owed = invoices.reduce((sum, invoice) => add(sum, invoiceOwes(invoice)), zero(GBP));
        const held = credits.reduce((sum, c) => add(sum, creditOutstanding(c.state)), zero(GBP));
        expect(balance).toEqual(subtract(owed, held));
      }),
      { numRuns: 500 },
    );
  });

  it('racing refunds decided one after another never refund more than was outstanding', () => {
    fc.assert(
      fc.property(
        minor,
        fc.array(fc.option(minor, { nil: null }), { minLength: 1, maxLength: 40 }),
        (amount, requests) => {
          let state = newAccountCredit(pence(amount));
          let refunded = 0n;
          for (const request of requests) {
            const decision = decideAccountRefund({
              credit: state,
              amount: request === null ? null : pence(request),
              bankAccountCurrency: GBP,
            });
            if (decision.ok) {
              state = decision.value.credit;
              refunded += decision.value.amount.minor;
            }
          }
          expect(refunded <= BigInt(amount)).toBe(true);
          expect(creditOutstanding(state).minor).toBe(BigInt(amount) - refunded);
        },
      ),
      { numRuns: 300 },
    );
  });
});

import fc from 'fast-check';
import { type AccountCreditState, creditOutstanding, newAccountCredit } from '../accounts/credit';
import { decideAllocation } from '../accounts/allocation';
import { type StatementEntry, accountBalance, runningBalances } from '../accounts/statement';
import { GBP } from '../accounts/test-helpers';
import { type Money, add, compare, isZero, money, negate, subtract, zero } from '../money';
import { localDate } from './calendar';
import { recordRefund } from './refund';
import { type MoneyMovement, revenueSeries } from './revenue';
import { type InvoiceLedger, invoiceBalances, settlementByCredits } from './settlement';
import { CaseStatus, QuoteStatus } from './status';
import { markQuotePaid, markQuoteUnpaid, type QuoteState } from './transitions';

const pence = (minor: number): Money => money(BigInt(minor), GBP);
const HOUR = 60 * 60 * 1000;
const START = new Date('2026-03-01T09:00:00Z');

type Op =
  | { type: 'markPaid'; backdateHours: number }
  | { type: 'markUnpaid' }
  | { type: 'creditNote'; amount: number }
  | { type: 'accountPayment'; amount: number }
  | { type: 'allocate'; credit: number; amount: number }
  | { type: 'refund'; amount: number | null };

const minor = fc.integer({ min: 1, max: 5_000 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ type: fc.constant('markPaid' as const), backdateHours: fc.nat({ max: 30 }) }),
  fc.record({ type: fc.constant('markUnpaid' as const) }),
  fc.record({ type: fc.constant('creditNote' as const), amount: minor }),
  fc.record({ type: fc.constant('accountPayment' as const), amount: minor }),
  fc.record({ type: fc.constant('allocate' as const), credit: fc.nat({ max: 4 }), amount: minor }),
  fc.record({ type: fc.constant('refund' as const), amount: fc.option(minor, { nil: null }) }),
);

/**
 * One accepted invoice and the customer's account, driven only through the rules' decisions in
 * all three ways money reaches it (Mark paid, allocations of credit notes and account payments,
 * refunds), with the statement lines and cash movements each decision writes.
 */
function play(total: Money, ops: readonly Op[], check: (world: World) => void) {
  const world: World = {
    state: {
      status: QuoteStatus.ACCEPTED,
      total,
      paidAt: null,
      caseStatus: CaseStatus.AWAITING_CUSTOMER,
      lastActivityAt: START,
    },
    ledger: { payments: zero(GBP), allocated: zero(GBP), refunded: zero(GBP) },
    credits: [],
    lines: [{ kind: 'INVOICE', debit: total }],
    movements: [],
    now: START,
  };
  for (const step of ops) {
    world.now = new Date(world.now.getTime() + 5 * HOUR);
    const state: QuoteState = { ...world.state, ledger: world.ledger };
    switch (step.type) {
      case 'markPaid': {
        const paidAt = new Date(world.now.getTime() - step.backdateHours * HOUR);
        const decision = markQuotePaid(state, { now: world.now, paidAt });
        if (!decision.ok) break;
        const { amount } = decision.value.payment;
        world.ledger = { ...world.ledger, payments: add(world.ledger.payments, amount) };
        world.state = { ...world.state, status: decision.value.status, paidAt };
        world.lines.push({ kind: 'PAYMENT', credit: amount });
        world.movements.push({ kind: 'PAYMENT', amount, at: paidAt });
        break;
      }
      case 'markUnpaid': {
        const decision = markQuoteUnpaid(state, world.now);
        if (!decision.ok) break;
        const { amount } = decision.value.reversal;
        world.ledger = { ...world.ledger, payments: subtract(world.ledger.payments, amount) };
        world.state = { ...world.state, status: decision.value.status, paidAt: null };
        world.lines.push({ kind: 'PAYMENT', debit: amount });
        world.movements.push({ kind: 'REVERSAL', amount, at: world.now });
        break;
      }
      case 'creditNote':
      case 'accountPayment': {
        const kind = step.type === 'creditNote' ? 'CREDIT_NOTE' : 'PAYMENT';
        world.credits.push({ kind, state: newAccountCredit(pence(step.amount)) });
        world.lines.push({ kind, credit: pence(step.amount) });
        break;
      }
      case 'allocate': {
        const credit = world.credits[step.credit];
        if (!credit) break;
        const decision = decideAllocation({
          credit: credit.state,
          invoice: {
            status: world.state.status,
            total,
            allocated: world.ledger.allocated,
            payments: world.ledger.payments,
          },
          amount: pence(step.amount),
        });
        if (!decision.ok) break;
        credit.state = decision.value.credit;
        world.ledger = { ...world.ledger, allocated: decision.value.invoice.allocated };
        world.lines.push({ kind: 'ALLOCATION' });
        // Cash counts once: an account payment counts when it settles the invoice; a credit
        // note moves no cash (ACCOUNTING.md).
        if (credit.kind === 'PAYMENT') {
          world.movements.push({ kind: 'PAYMENT', amount: decision.value.amount, at: world.now });
        }
        const settled = settlementByCredits({
          ...world.state,
          ledger: world.ledger,
          at: world.now,
        });
        if (settled) world.state = { ...world.state, status: settled.status, paidAt: world.now };
        break;
      }
      case 'refund': {
        const decision = recordRefund(state, {
          now: world.now,
          amount: step.amount === null ? null : pence(step.amount),
        });
        if (!decision.ok) break;
        const { amount, recordedAt } = decision.value.refund;
        world.ledger = { ...world.ledger, refunded: add(world.ledger.refunded, amount) };
        world.state = { ...world.state, status: decision.value.status };
        world.lines.push(
          { kind: 'CREDIT_NOTE', credit: amount },
          { kind: 'REFUND', debit: amount },
        );
        world.movements.push({ kind: 'REFUND', amount, at: recordedAt });
        break;
      }
    }
    check(world);
  }
}

interface World {
  state: QuoteState;
  ledger: InvoiceLedger;
  credits: { kind: 'CREDIT_NOTE' | 'PAYMENT'; state: AccountCreditState }[];
  lines: StatementEntry[];
  movements: MoneyMovement[];
  now: Date;
}

const signed = (m: MoneyMovement) => (m.kind === 'PAYMENT' ? m.amount : negate(m.amount));

describe('the settlement rule over random sequences of all three flows', () => {
  it('keeps outstanding ≥ 0, refunded ≤ paid, PAID exactly when settled, and REFUNDED only at the total', () => {
    fc.assert(
      fc.property(minor, fc.array(op, { maxLength: 40 }), (total, ops) => {
        play(pence(total), ops, ({ state, ledger }) => {
          const balances = invoiceBalances(pence(total), ledger); // throws when negative
          expect(compare(ledger.refunded, balances.settled)).toBeLessThanOrEqual(0);
          if (state.status === QuoteStatus.REFUNDED) {
            expect(ledger.refunded).toEqual(pence(total));
          } else {
            expect(state.status === QuoteStatus.PAID).toBe(isZero(balances.outstanding));
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('revenue = payments − reversals − refunds, each on its own day', () => {
    fc.assert(
      fc.property(minor, fc.array(op, { maxLength: 40 }), (total, ops) => {
        play(pence(total), ops, ({ movements, now }) => {
          const series = revenueSeries({
            movements,
            now,
            timeZone: 'Europe/London',
            days: 20, // 40 steps of 5 hours stay within 9 days
            currency: GBP,
          });
          const expected = movements.reduce((sum, m) => add(sum, signed(m)), zero(GBP));
          expect(series.total).toEqual(expected);
          for (const day of series.days) {
            const sameDay = movements.filter((m) => localDate(m.at, 'Europe/London') === day.date);
            expect(day.net).toEqual(sameDay.reduce((sum, m) => add(sum, signed(m)), zero(GBP)));
          }
        });
      }),
      { numRuns: 150 },
    );
  });

  it('the statement closes at the account balance at any page size', () => {
    fc.assert(
      fc.property(
        minor,
        fc.array(op, { maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        (total, ops, size) => {
          play(pence(total), ops, ({ lines, credits, ledger }) => {
            let opening = zero(GBP);
            for (let from = 0; from < lines.length; from += size) {
              const balances = runningBalances(opening, lines.slice(from, from + size));
              opening = balances.at(-1) ?? opening;
            }
            const balance = accountBalance(lines, GBP);
            expect(opening).toEqual(balance);
            // The balance is what the invoice still owes less what is left on the account.
            const owed = subtract(pence(total), add(ledger.payments, ledger.allocated));
            const onAccount = credits.reduce(
              (sum, c) => add(sum, creditOutstanding(c.state)),
              zero(GBP),
            );
            expect(balance).toEqual(subtract(owed, onAccount));
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});

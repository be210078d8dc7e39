import fc from 'fast-check';
import { type Result, UserErrorCode } from '../errors';
import {
  creditBalanceOf,
  type CreditEntry,
  CreditTransactionKind,
  refundableCredits,
  refundedCreditsOf,
  spentCredits,
} from './ledger';
import {
  decideAdjustment,
  decideDelete,
  decidePurchase,
  decideRefund,
  decideSpend,
  type CreditEntryDecision,
} from './rules';

/**
 * A wallet driven only through the rules, the way the API's services drive it: load the state,
 * ask the rule, write what it decided (or nothing when it refuses).
 */
interface StoredEntry extends CreditEntry {
  deleted: boolean;
  readonly balanceAfter: bigint;
}

type Operation =
  | { readonly op: 'purchase'; readonly credits: bigint }
  | { readonly op: 'spend'; readonly credits: bigint }
  | {
      readonly op: 'refund';
      readonly pick: number;
      readonly credits: bigint | null;
      readonly staleBy: bigint | null;
    }
  | { readonly op: 'adjust'; readonly credits: bigint }
  | { readonly op: 'delete'; readonly pick: number };

// Small amounts most of the time, so spends hit the balance floor and refunds hit what is left.
const credits = (low: bigint, high: bigint) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.bigInt(low, 12n) },
    { weight: 1, arbitrary: fc.bigInt(low, high) },
  );

const operation: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('purchase' as const), credits: credits(-2n, 120n) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('spend' as const), credits: credits(-2n, 150n) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('refund' as const),
      pick: fc.nat(),
      credits: fc.option(credits(-2n, 60n), { nil: null }),
      staleBy: fc.option(fc.bigInt(-2n, 2n), { nil: null, freq: 2 }),
    }),
  },
  fc.record({ op: fc.constant('adjust' as const), credits: credits(-20n, 150n) }),
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }) },
);

/** Codes a rule may answer with in this flow; anything else is a bug. */
const EXPECTED_CODES = new Set<string>([
  UserErrorCode.INVALID_AMOUNT,
  UserErrorCode.INSUFFICIENT_BALANCE,
  UserErrorCode.NOT_REFUNDABLE,
  UserErrorCode.AMOUNT_EXCEEDS_REFUNDABLE,
  UserErrorCode.ALREADY_REFUNDED,
  UserErrorCode.INVALID_STATE,
]);

class Wallet {
  readonly entries: StoredEntry[] = [];
  balance = 0n;

  apply(operation: Operation): Result<unknown> {
    switch (operation.op) {
      case 'purchase':
        return this.append(decidePurchase(this.balance, operation.credits));
      case 'spend':
        return this.append(decideSpend(this.balance, operation.credits));
      case 'adjust':
        return this.append(decideAdjustment(this.balance, operation.credits));
      case 'refund': {
        const target = this.pick(operation.pick);
        if (!target) return { ok: true, value: null };
        const refunded = refundedCreditsOf(target.id, this.entries);
        const decision = decideRefund({
          target,
          refundedCredits: refunded,
          balance: this.balance,
          credits: operation.credits,
          expectedRefundedCredits: operation.staleBy === null ? null : refunded + operation.staleBy,
        });
        return this.append(decision, target.id);
      }
      case 'delete': {
        const target = this.pick(operation.pick);
        if (!target) return { ok: true, value: null };
        const decision = decideDelete(target, this.balance);
        if (decision.ok) {
          target.deleted = true;
          this.balance = decision.value.balanceAfter;
        }
        return decision;
      }
    }
  }

  private pick(index: number): StoredEntry | undefined {
    return this.entries.length === 0 ? undefined : this.entries[index % this.entries.length];
  }

  private append(decision: Result<CreditEntryDecision>, refundOfId?: string): Result<unknown> {
    if (!decision.ok) return decision;
    const { kind, credits, balanceAfter } = decision.value;
    // What the service writes: the entry records the balance after it, kept beside it.
    this.entries.push({
      id: String(this.entries.length),
      kind,
      credits,
      refundOfId: refundOfId ?? null,
      deleted: false,
      balanceAfter,
    });
    this.balance = balanceAfter;
    return decision;
  }
}

function check(condition: boolean, what: string): void {
  // A plain throw rather than expect(): this runs for every step of every sequence.
  if (!condition) throw new Error(`invariant broken: ${what}`);
}

function checkInvariants(wallet: Wallet): void {
  check(wallet.balance >= 0n, `balance ${wallet.balance} is negative`);
  const sum = creditBalanceOf(wallet.entries);
  check(wallet.balance === sum, `balance ${wallet.balance} is not the entries' sum ${sum}`);
  const byId = new Map(wallet.entries.map((entry) => [entry.id, entry]));
  for (const entry of wallet.entries) {
    check(entry.balanceAfter >= 0n, `entry ${entry.id} recorded a negative balance`);
    switch (entry.kind) {
      case CreditTransactionKind.SPEND: {
        check(entry.credits < 0n, `spend ${entry.id} is not negative`);
        const refunded = refundedCreditsOf(entry.id, wallet.entries);
        check(refunded >= 0n, `spend ${entry.id} has negative refunds`);
        check(refunded <= spentCredits(entry), `spend ${entry.id} refunded beyond its amount`);
        check(
          refundableCredits(entry, refunded) === spentCredits(entry) - refunded,
          `spend ${entry.id} shows a wrong refundable amount`,
        );
        break;
      }
      case CreditTransactionKind.PURCHASE:
        check(entry.credits > 0n, `purchase ${entry.id} is not positive`);
        break;
      case CreditTransactionKind.REFUND:
        check(entry.credits > 0n, `refund ${entry.id} is not positive`);
        check(
          byId.get(entry.refundOfId ?? '')?.kind === CreditTransactionKind.SPEND,
          `refund ${entry.id} does not point at a spend`,
        );
        break;
      case CreditTransactionKind.ADJUSTMENT:
        check(entry.credits !== 0n, `adjustment ${entry.id} is zero`);
        break;
    }
  }
}

describe('credit wallet properties', () => {
  it('random sequences never go negative, never over-refund, and balance to the counting entries', () => {
    fc.assert(
      fc.property(fc.array(operation, { minLength: 20, maxLength: 120 }), (operations) => {
        const wallet = new Wallet();
        for (const op of operations) {
          const before = { balance: wallet.balance, count: wallet.entries.length };
          const result = wallet.apply(op);
          if (!result.ok) {
            check(EXPECTED_CODES.has(result.error.code), `unexpected ${result.error.code}`);
            // A refusal writes nothing.
            check(wallet.balance === before.balance, 'a refusal changed the balance');
            check(wallet.entries.length === before.count, 'a refusal wrote an entry');
          }
          checkInvariants(wallet);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('refunds of one spend add up to exactly min(spend, what was asked) in any order', () => {
    fc.assert(
      fc.property(
        fc.bigInt(1n, 200n),
        fc.array(fc.bigInt(1n, 40n), { maxLength: 30 }),
        (spent, requests) => {
          const target = { kind: CreditTransactionKind.SPEND, credits: -spent, deleted: false };
          let refunded = 0n;
          let asked = 0n;
          for (const credits of requests) {
            asked += credits;
            const decision = decideRefund({
              target,
              refundedCredits: refunded,
              balance: 0n,
              credits,
            });
            if (decision.ok) refunded += decision.value.credits;
            else expect(decision.error.code).toBe(UserErrorCode.AMOUNT_EXCEEDS_REFUNDABLE);
          }
          expect(refunded <= spent).toBe(true);
          // Greedy in arrival order: refused only when the request did not fit what was left.
          if (asked <= spent) expect(refunded).toBe(asked);
        },
      ),
    );
  });

  it('deleting a refund makes exactly its credits refundable again', () => {
    fc.assert(
      fc.property(fc.bigInt(1n, 100n), fc.bigInt(0n, 100n), (spent, extra) => {
        const wallet = new Wallet();
        wallet.apply({ op: 'purchase', credits: spent + extra });
        wallet.apply({ op: 'spend', credits: spent });
        wallet.apply({ op: 'refund', pick: 1, credits: null, staleBy: null });
        const spend = wallet.entries[1]!;
        expect(refundableCredits(spend, refundedCreditsOf(spend.id, wallet.entries))).toBe(0n);
        const balanceBefore = wallet.balance;
        const result = wallet.apply({ op: 'delete', pick: 2 });
        expect(result.ok).toBe(true);
        expect(wallet.balance).toBe(balanceBefore - spent);
        expect(refundableCredits(spend, refundedCreditsOf(spend.id, wallet.entries))).toBe(spent);
        checkInvariants(wallet);
      }),
    );
  });
});

import fc from 'fast-check';
import { type Result, UserErrorCode } from '../errors';
import {
  creditBalanceOf,
  type CreditEntry,
  CreditTransactionKind,
  isContinuousChain,
  refundableCredits,
  refundedCreditsOf,
  reversedIdsOf,
  spentCredits,
} from './ledger';
import {
  decideAdjustment,
  decideReversal,
  decidePurchase,
  decideRefund,
  decideSpend,
  type CreditEntryDecision,
} from './rules';

/**
 * A wallet driven only through the rules, the way the API's services drive it: load the state,
 * ask the rule, append what it decided (or nothing when it refuses). Entries are frozen once
 * appended: the model can only push, as the database triggers allow only INSERT.
 */
type StoredEntry = Readonly<Omit<CreditEntry, 'reversed'>> & { readonly balanceAfter: bigint };

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
          target: this.asRuleSees(target),
          refundedCredits: refunded,
          balance: this.balance,
          credits: operation.credits,
          expectedRefundedCredits: operation.staleBy === null ? null : refunded + operation.staleBy,
        });
        return this.append(decision, { refundOfId: target.id });
      }
      case 'delete': {
        const target = this.pick(operation.pick);
        if (!target) return { ok: true, value: null };
        const decision = decideReversal(this.asRuleSees(target), this.balance);
        return this.append(decision, { reversesId: target.id });
      }
    }
  }

  /** The entry with "reversed" derived from the ledger, as the service derives it. */
  asRuleSees(entry: StoredEntry): CreditEntry {
    return { ...entry, reversed: reversedIdsOf(this.entries).has(entry.id) };
  }

  private pick(index: number): StoredEntry | undefined {
    return this.entries.length === 0 ? undefined : this.entries[index % this.entries.length];
  }

  private append(
    decision: Result<CreditEntryDecision>,
    link: { refundOfId?: string; reversesId?: string } = {},
  ): Result<unknown> {
    if (!decision.ok) return decision;
    const { kind, credits, balanceAfter } = decision.value;
    // What the service writes: the entry records the balance after it, kept beside it.
    this.entries.push(
      Object.freeze({
        id: String(this.entries.length),
        kind,
        credits,
        refundOfId: link.refundOfId ?? null,
        reversesId: link.reversesId ?? null,
        balanceAfter,
      }),
    );
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
  const newest = wallet.entries.at(-1);
  check(
    (newest?.balanceAfter ?? 0n) === wallet.balance,
    `the newest balance after ${newest?.balanceAfter} is not the balance ${wallet.balance}`,
  );
  check(isContinuousChain(wallet.entries, wallet.balance), 'the balance-after chain has a gap');
  const byId = new Map(wallet.entries.map((entry) => [entry.id, entry]));
  const reversalsOf = new Map<string, number>();
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
      case CreditTransactionKind.REVERSAL: {
        const undone = byId.get(entry.reversesId ?? '');
        check(
          undone?.kind === CreditTransactionKind.REFUND ||
            undone?.kind === CreditTransactionKind.ADJUSTMENT,
          `reversal ${entry.id} undoes neither a refund nor a correction`,
        );
        check(entry.credits === -undone!.credits, `reversal ${entry.id} is not the exact opposite`);
        check(
          Number(undone!.id) < Number(entry.id),
          `reversal ${entry.id} precedes what it undoes`,
        );
        reversalsOf.set(undone!.id, (reversalsOf.get(undone!.id) ?? 0) + 1);
        break;
      }
    }
  }
  for (const [id, count] of reversalsOf)
    check(count === 1, `entry ${id} was reversed ${count} times`);
}

describe('credit wallet properties', () => {
  it('random purchases, spends, refunds, corrections and reversals keep every ledger invariant', () => {
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
          const target = { kind: CreditTransactionKind.SPEND, credits: -spent, reversed: false };
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

  it('a reversal can never itself be reversed, nor an entry reversed twice', () => {
    fc.assert(
      fc.property(fc.bigInt(1n, 100n), (credits) => {
        const wallet = new Wallet();
        wallet.apply({ op: 'purchase', credits: 200n });
        wallet.apply({ op: 'adjust', credits });
        expect(wallet.apply({ op: 'delete', pick: 1 }).ok).toBe(true);
        const balance = wallet.balance;
        for (const pick of [1, 2]) {
          const again = wallet.apply({ op: 'delete', pick });
          expect(again.ok).toBe(false);
          if (!again.ok) expect(again.error.code).toBe(UserErrorCode.INVALID_STATE);
        }
        expect(wallet.balance).toBe(balance);
        expect(wallet.entries).toHaveLength(3);
        checkInvariants(wallet);
      }),
    );
  });
});

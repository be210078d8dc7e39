import type { Credits } from '../money';

/**
 * The credit wallet of a customer is an append-only ledger. Every change is an entry that records
 * its signed credits and the balance after it; nothing is ever updated or deleted. A REFUND or
 * ADJUSTMENT entered by mistake is undone by a REVERSAL entry of the opposite sign, linked to it:
 * the undone entry stays, is shown "deleted" (derived from the reversal), and the balance is
 * simply the sum of every entry. Nothing here does I/O: services load the entries or their sums,
 * ask these functions, and write the answer.
 */
export const CreditTransactionKind = {
  /** Credits bought through a payment system: positive. */
  PURCHASE: 'PURCHASE',
  /** Credits used (a private chat, a service): negative. */
  SPEND: 'SPEND',
  /** Credits of a SPEND given back: positive, linked to the spend. */
  REFUND: 'REFUND',
  /** A manual, signed correction with a comment. */
  ADJUSTMENT: 'ADJUSTMENT',
  /** Undoes a REFUND or ADJUSTMENT entered by mistake: minus its credits, linked to it. */
  REVERSAL: 'REVERSAL',
} as const;
export type CreditTransactionKind =
  (typeof CreditTransactionKind)[keyof typeof CreditTransactionKind];
export const CREDIT_TRANSACTION_KINDS: readonly CreditTransactionKind[] =
  Object.values(CreditTransactionKind);

/** The part of an entry the rules look at. */
export interface CreditEntry {
  readonly id: string;
  readonly kind: CreditTransactionKind;
  /** Signed: + adds to the balance, - takes from it. */
  readonly credits: Credits;
  /** For a REFUND: the id of the SPEND it gives back. */
  readonly refundOfId?: string | null;
  /** For a REVERSAL: the id of the entry it undoes. */
  readonly reversesId?: string | null;
  /** A REVERSAL undoes this entry (derived from the ledger, never stored on the entry). */
  readonly reversed: boolean;
}

/** The balance the entries give: every entry counts, a reversal cancelling what it undoes. */
export function creditBalanceOf(entries: readonly Pick<CreditEntry, 'credits'>[]): Credits {
  let balance = 0n;
  for (const entry of entries) balance += entry.credits;
  return balance;
}

/** The ids of the entries a REVERSAL undoes: what "deleted" is derived from. */
export function reversedIdsOf(
  entries: readonly Pick<CreditEntry, 'kind' | 'reversesId'>[],
): ReadonlySet<string> {
  const reversed = new Set<string>();
  for (const entry of entries) {
    if (entry.kind === CreditTransactionKind.REVERSAL && entry.reversesId) {
      reversed.add(entry.reversesId);
    }
  }
  return reversed;
}

/**
 * Which kinds a person may undo when entered by mistake (the seed's "Delete" action). A REVERSAL
 * itself is not: undoing an undo would let the same mistake flip back and forth in the ledger;
 * the way back is a new refund or correction.
 */
export function isReversibleKind(kind: CreditTransactionKind): boolean {
  return kind === CreditTransactionKind.REFUND || kind === CreditTransactionKind.ADJUSTMENT;
}

/** Only spends are refundable as credits; money for a purchase goes back by a correction. */
export function isRefundableKind(kind: CreditTransactionKind): boolean {
  return kind === CreditTransactionKind.SPEND;
}

/** How many credits a spend took: the magnitude of its (negative) entry. */
export function spentCredits(spend: Pick<CreditEntry, 'credits'>): Credits {
  return spend.credits < 0n ? -spend.credits : spend.credits;
}

/** Credits refunded so far of one spend: the refunds linked to it that no reversal undid. */
export function refundedCreditsOf(
  spendId: string,
  entries: readonly Pick<CreditEntry, 'id' | 'kind' | 'credits' | 'refundOfId' | 'reversesId'>[],
): Credits {
  const reversed = reversedIdsOf(entries);
  let refunded = 0n;
  for (const entry of entries) {
    if (
      entry.kind === CreditTransactionKind.REFUND &&
      entry.refundOfId === spendId &&
      !reversed.has(entry.id)
    ) {
      refunded += entry.credits;
    }
  }
  return refunded;
}

/**
 * What may still be refunded of an entry, given what its counting refunds add up to. Zero for
 * anything that is not a spend (the SPA shows this on every row). Never negative.
 */
export function refundableCredits(
  entry: Pick<CreditEntry, 'kind' | 'credits'>,
  refundedCredits: Credits,
): Credits {
  if (!isRefundableKind(entry.kind)) return 0n;
  const left = spentCredits(entry) - refundedCredits;
  return left > 0n ? left : 0n;
}

/**
 * Whether a ledger's recorded balances hold together: in insertion order each entry's
 * balanceAfter is the one before it plus its credits (from zero), and the newest one is the
 * wallet's balance. The services keep this; tests and audits check it.
 */
export function isContinuousChain(
  entries: readonly Pick<CreditEntry & { balanceAfter: Credits }, 'credits' | 'balanceAfter'>[],
  walletBalance: Credits,
): boolean {
  let running = 0n;
  for (const entry of entries) {
    running += entry.credits;
    if (entry.balanceAfter !== running) return false;
  }
  return running === walletBalance;
}

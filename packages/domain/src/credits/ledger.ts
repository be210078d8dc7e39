import type { Credits } from '../money';

/**
 * The credit wallet of a customer is an append-only ledger. Every change is an entry that records
 * its signed credits; the balance is the sum of the entries that count (not deleted). Nothing here
 * does I/O: services load the entries or their sums, ask these functions, and write the answer.
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
  readonly deleted: boolean;
}

/** Only entries that are not deleted count towards the balance. */
export function countsTowardsBalance(entry: Pick<CreditEntry, 'deleted'>): boolean {
  return !entry.deleted;
}

/** The balance the entries give: the sum of the signed credits of those that count. */
export function creditBalanceOf(
  entries: readonly Pick<CreditEntry, 'credits' | 'deleted'>[],
): Credits {
  let balance = 0n;
  for (const entry of entries) if (countsTowardsBalance(entry)) balance += entry.credits;
  return balance;
}

/** Which kinds a person may delete when entered by mistake (the seed's "Delete" action). */
export function isDeletableKind(kind: CreditTransactionKind): boolean {
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

/** Credits refunded so far of one spend: the refunds linked to it that still count. */
export function refundedCreditsOf(
  spendId: string,
  entries: readonly Pick<CreditEntry, 'kind' | 'credits' | 'refundOfId' | 'deleted'>[],
): Credits {
  let refunded = 0n;
  for (const entry of entries) {
    if (
      entry.kind === CreditTransactionKind.REFUND &&
      entry.refundOfId === spendId &&
      countsTowardsBalance(entry)
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

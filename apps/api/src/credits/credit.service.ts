import {
  BadInputError,
  type Credits,
  CREDIT_TRANSACTION_KINDS,
  type CreditEntryDecision,
  type CreditTransactionKind,
  decideAdjustment,
  decidePurchase,
  decideRefund,
  decideReversal,
  decideSpend,
  DomainError,
  normalizeCreditNote,
  parseCredits,
  parsePositiveCredits,
  type RefundReason,
  refundableCredits,
  requireCorrectionComment,
  type Result,
  unwrap,
  UserErrorCode,
  creditEntryEventType,
} from '@refunds/domain';
import { creditBatchAlone, refundsRecorded } from '../platform/observability/metrics';
import type { Transaction } from '../platform/db/database';
import type { Caller } from '../platform/graphql/context';
import { isUuid, newId } from '../platform/ids';
import { decodeCursor, type Page, pageSize, toPage } from '../platform/pagination';
import { parseLocalDateRange } from '../platform/local-date-range';
import type { ServiceDeps } from '../services';
import { type GroupCommit, groupCommitOn, writeInBatch } from '../platform/db/group-commit';
import { type BatchAnswer, type BatchedCreditUseCase, writeCreditBatch } from './credit.batch';
import { BatchLoader } from '../platform/batch-loader';
import { type AuditChangeValue, auditInsertSql, auditValues } from '../audit/audit.recorder';
import { sql, sqlAll, type Statement } from '../platform/db/statements';
import type { IdempotencyClaim } from '../platform/idempotency';
import { type EventRecord, eventCtes, prepareEvent } from '../outbound/event.recorder';
import { queueRefundNotice } from '../outbound/mail.queue';
import type {
  AdjustBalanceInput,
  DeleteTransactionInput,
  RecordCreditInput,
  RefundTransactionInput,
} from './credit.inputs';
import { CreditTransaction } from './credit.types';

/**
 * What a use case returns (and what an idempotency key replays): the entry it wrote, or for a
 * deletion the entry it undid and the REVERSAL it wrote.
 */
export interface CreditResult {
  [key: string]: string;
  transactionId: string;
  customerId: string;
}

/** What the audit log calls each kind of entry when it is written. */
const AUDIT_ACTION: Record<CreditTransactionKind, string> = {
  PURCHASE: 'CREDITS_PURCHASED',
  SPEND: 'CREDITS_SPENT',
  REFUND: 'CREDIT_REFUNDED',
  ADJUSTMENT: 'BALANCE_ADJUSTED',
  REVERSAL: 'ENTRY_REVERSED',
};

/** What a use case's payload shows: the entries as committed, and whose they are. */
export interface CreditOutcome {
  readonly customerId: string;
  readonly transaction: CreditTransaction | null;
  /** For deleteTransaction: the REVERSAL entry it added. */
  readonly reversal: CreditTransaction | null;
}

/** What a use case's work hands back: the result to store and the entries it wrote. */
export interface Written {
  result: CreditResult;
  transaction: CreditTransaction | null;
  reversal: CreditTransaction | null;
}

/** A new entry a use case decided on, and what is written with it (see prepareEntry). */
interface NewEntry {
  id?: string;
  /** What the use case returns; by default the new entry and its customer. */
  result?: CreditResult;
  customerId: string;
  decision: CreditEntryDecision;
  balanceBefore: Credits;
  description: string | null;
  refundOfId?: string;
  reversesId?: string;
  reasonCategory?: RefundReason | null;
  /** The change to a spend's refunded total. */
  refunded?: { spendId: string; change: Credits } | null;
  /** What the audit entry is about; by default the new entry, with the balance change only. */
  audit?: { subjectId: string; changes: (entryId: string) => AuditChangeValue[] };
  /** The event's facts beside the entry's own (see eventOf). */
  event: Record<string, string | null>;
}

/** A new entry ready to be written, alone (write) or in a group commit (credit.batch.ts). */
export interface PreparedEntry {
  readonly id: string;
  readonly result: CreditResult;
  /** WRITE_ENTRY's parameters $1-$36, in order. */
  readonly values: readonly unknown[];
  readonly balanceAfter: Credits;
  readonly refunded: { readonly spendId: string; readonly change: Credits } | null;
  /** The entry as a read after the commit shows it, given the sequence number it got. */
  written(seq: string | number): Written & { createdAt: Date };
}

export interface CreditListQuery {
  customerId?: string | null | undefined;
  kind?: CreditTransactionKind | null | undefined;
  /** Business-local dates (YYYY-MM-DD), both included. */
  from?: string | null | undefined;
  to?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}

export interface TransactionSqlRow {
  id: string;
  seq: string | number | bigint;
  business_id: string;
  customer_id: string;
  kind: CreditTransactionKind;
  credits: string | number | bigint;
  balance_after: string | number | bigint;
  description: string | null;
  refund_of_id: string | null;
  reverses_id: string | null;
  reason_category: RefundReason | null;
  created_at: Date | string;
  created_by: string | null;
  reversal_id: string | null;
  reversal_created_at: Date | string | null;
  reversal_created_by: string | null;
  reversal_description: string | null;
  refunded_credits: string | number | bigint;
}

/**
 * Every column of an entry, the REVERSAL that undid it if any ("deleted" and who, when and why
 * are derived from it), and for a spend what its counting refunds add up to: kept in
 * credit_spend_totals by the refunds and reversals themselves, so no read sums refunds.
 */
const TRANSACTION_COLUMNS = `
  t.id, t.seq, t.business_id, t.customer_id, t.kind, t.credits, t.balance_after,
  t.description, t.refund_of_id, t.reverses_id, t.reason_category, t.created_at,
  t.created_by, v.id AS reversal_id, v.created_at AS reversal_created_at,
  v.created_by AS reversal_created_by, v.description AS reversal_description,
  CASE WHEN t.kind = 'SPEND' THEN COALESCE(s.refunded_credits, 0) ELSE 0 END AS refunded_credits`;
const TRANSACTION_JOINS = `
  LEFT JOIN credit_transactions v ON v.reverses_id = t.id
  LEFT JOIN credit_spend_totals s ON s.spend_id = t.id`;
const SELECT_TRANSACTION = `
  SELECT ${TRANSACTION_COLUMNS} FROM credit_transactions t ${TRANSACTION_JOINS}`;

/**
 * The first lock of a refund or a deletion after the idempotency key (lock order: key → wallet
 * → entries, as before): the wallet of the entry's customer, found through the entry. Every write
 * to a customer's entries and totals also updates the wallet row under this lock.
 *
 * The entry itself (its reversal, its refunded total) is read by ENTRY_UNDER_LOCK, sent right
 * behind this statement in the same round trip: PostgreSQL runs it once the lock is held, with a
 * snapshot taken then, so it sees every write that committed while this one waited for the lock
 * (a read in the lock statement itself would see the snapshot from before the wait).
 */
const lockEntrySql = (guard: string) => `
  SELECT w.balance AS wallet_balance
    FROM credit_transactions t
    JOIN credit_wallets w ON w.customer_id = t.customer_id
   WHERE t.id = $1::uuid AND t.business_id = $2::uuid ${guard}
     FOR UPDATE OF w`;
const LOCK_ENTRY = lockEntrySql('');

const ENTRY_UNDER_LOCK = `${SELECT_TRANSACTION} WHERE t.id = $1::uuid`;

/**
 * The idempotency key's insert folded into a lock statement (one round trip fewer): the key is
 * inserted first, and the lock is taken only when it was (`claimed`), so the lock order stays
 * key → wallet and a repeat racing the first request waits on the key, then replays.
 */
const claiming = (claim: IdempotencyClaim, lock: (guard: string) => string) => `
  WITH claim AS (${claim.claimSql(3)})
  SELECT c.claimed, l.*
    FROM (SELECT EXISTS (SELECT 1 FROM claim) AS claimed) c
    LEFT JOIN LATERAL (${lock('AND c.claimed')}) l ON true`;

const lockWalletSql = (guard: string) => `
  SELECT balance FROM credit_wallets
   WHERE customer_id = $1::uuid AND business_id = $2::uuid ${guard}
     FOR UPDATE`;
const LOCK_WALLET = lockWalletSql('');

/**
 * Everything a credit use case writes, in one statement: the entry, the wallet's new balance,
 * the spend's kept refunded total (a refund adds, the reversal of a refund takes back), the audit
 * entry, the event with its webhook jobs (see recordEvent: the business's event counter row is
 * locked here and held until COMMIT; nothing else in this statement waits for a lock, since the
 * wallet is ours and the totals row is only written under it) and, under an idempotency key,
 * the stored response. Parameters: entry $1-$15, audit $16-$26, event $27-$36, response $37-$39.
 */
const WRITE_ENTRY = (response: string | null) => `
  WITH entry AS (
    INSERT INTO credit_transactions (id, business_id, customer_id, kind, credits, balance_after,
                                     description, refund_of_id, reverses_id, reason_category,
                                     created_at, created_by, created_by_api_key)
    VALUES ($1::uuid, $2::uuid, $3::uuid, $4::text, $5::bigint, $6::bigint, $7::text, $8::uuid,
            $9::uuid, $10::text, $11::timestamptz, $12::uuid, $13::uuid)
    RETURNING seq
  ), wallet AS (
    UPDATE credit_wallets SET balance = $6::bigint WHERE customer_id = $3::uuid
  ), refunded AS (
    INSERT INTO credit_spend_totals (spend_id, business_id, refunded_credits)
    SELECT $14::uuid, $2::uuid, $15::bigint WHERE $14::uuid IS NOT NULL AND $15::bigint > 0
    ON CONFLICT (spend_id) DO UPDATE
      SET refunded_credits = credit_spend_totals.refunded_credits + EXCLUDED.refunded_credits
  ), unrefunded AS (
    UPDATE credit_spend_totals SET refunded_credits = refunded_credits + $15::bigint
     WHERE spend_id = $14::uuid AND $15::bigint < 0
  ), audit AS (${auditInsertSql(16)}),
  ${eventCtes(27)}${response === null ? '' : `, response AS (${response})`}
  SELECT seq FROM entry`;
const WRITE_ENTRY_PLAIN = WRITE_ENTRY(null);
/** The same with the idempotency key's response after the audit entry's 11 parameters. */
const writeEntryKeyed = (claim: IdempotencyClaim) => WRITE_ENTRY(claim.responseSql(37));

const SEQ_CURSOR = /^[0-9]{1,19}$/;

const customerNotFound = () =>
  new DomainError(UserErrorCode.NOT_FOUND, 'We could not find that customer.', [
    'input',
    'customerId',
  ]);
const transactionNotFound = () =>
  new DomainError(UserErrorCode.NOT_FOUND, 'We could not find that transaction.', [
    'input',
    'transactionId',
  ]);

/** A refusal of a parse, pointed at the input field it came from. */
function parsed<T>(result: Result<T>, ...field: string[]): T {
  if (result.ok) return result.value;
  throw result.error.at(...field);
}

/**
 * The credit wallet use cases. Each runs in one transaction that claims its idempotency key,
 * locks the customer's wallet row (the balance it protects; lock order: key → wallet → entries),
 * asks a domain rule, and writes the entry and the new balance together.
 */
export class CreditService {
  private readonly balances = new BatchLoader<bigint>((businessId, customerIds) =>
    this.loadBalances(businessId, customerIds),
  );
  private readonly transactions = new BatchLoader<CreditTransaction>((businessId, ids) =>
    this.loadTransactions(businessId, ids),
  );
  private readonly groupCommit: GroupCommit<BatchedCreditUseCase, BatchAnswer> | null;

  constructor(private readonly deps: ServiceDeps) {
    this.groupCommit = groupCommitOn(deps.db, deps.groupCommit, 'credit', (db, useCases) =>
      writeCreditBatch(db, SELECT_TRANSACTION, useCases),
    );
  }

  // ------------------------------------------------------------------------------- use cases

  recordPurchase(caller: Caller, input: RecordCreditInput): Promise<CreditOutcome> {
    return this.recordCredit(caller, input, 'recordCreditPurchase', decidePurchase);
  }

  recordSpend(caller: Caller, input: RecordCreditInput): Promise<CreditOutcome> {
    return this.recordCredit(caller, input, 'recordCreditSpend', decideSpend);
  }

  private recordCredit(
    caller: Caller,
    input: RecordCreditInput,
    operation: string,
    rule: (balance: Credits, credits: Credits) => Result<CreditEntryDecision>,
  ): Promise<CreditOutcome> {
    const credits = parsed(parsePositiveCredits(input.credits), 'input', 'credits');
    const description = unwrap(normalizeCreditNote(input.description, ['input', 'description']));
    return this.entryUseCase(caller, operation, input, {
      lock: { customerId: input.customerId },
      decide: (balance) => ({
        customerId: input.customerId,
        decision: unwrap(rule(balance, credits)),
        balanceBefore: balance,
        description,
        event: { description },
      }),
    });
  }

  refund(caller: Caller, input: RefundTransactionInput): Promise<CreditOutcome> {
    const credits =
      input.credits === null || input.credits === undefined
        ? null
        : parsed(parsePositiveCredits(input.credits), 'input', 'credits');
    const expectedRefundedCredits =
      input.expectedRefundedCredits === null || input.expectedRefundedCredits === undefined
        ? null
        : parsed(parseCredits(input.expectedRefundedCredits), 'input', 'expectedRefundedCredits');
    const reason = unwrap(normalizeCreditNote(input.reason, ['input', 'reason']));
    const reasonCategory = input.reasonCategory ?? null;
    return this.entryUseCase(
      caller,
      'refundTransaction',
      input,
      {
        lock: { transactionId: input.transactionId },
        decide: (balance, target) => {
          const refundedBefore = BigInt(target!.refunded_credits);
          const decision = unwrap(
            decideRefund({
              target: {
                kind: target!.kind,
                credits: BigInt(target!.credits),
                reversed: target!.reversal_id !== null,
              },
              refundedCredits: refundedBefore,
              balance,
              credits,
              expectedRefundedCredits,
            }),
          );
          return {
            customerId: target!.customer_id,
            decision,
            balanceBefore: balance,
            description: reason,
            refundOfId: target!.id,
            reasonCategory,
            refunded: { spendId: target!.id, change: decision.credits },
            audit: {
              subjectId: target!.id,
              changes: (entryId) => [
                { field: 'refundEntry', before: null, after: entryId },
                {
                  field: 'refundedCredits',
                  before: refundedBefore.toString(),
                  after: (refundedBefore + decision.credits).toString(),
                },
              ],
            },
            event: { refundOfId: target!.id, reason, reasonCategory },
          };
        },
        // The notice is written after the entry, in the same transaction (so never batched).
        afterWrite: input.notifyCustomer
          ? (tx, entry) =>
              queueRefundNotice(tx, {
                businessId: caller.businessId,
                customerId: entry.customerId,
                amount: entry.decision.credits,
                subject: 'credits',
                reason,
                at: this.deps.clock.now(),
              })
          : undefined,
      },
      { afterCommit: () => refundsRecorded.inc({ flow: 'credit' }) },
    );
  }

  adjust(caller: Caller, input: AdjustBalanceInput): Promise<CreditOutcome> {
    const credits = parsed(
      parseCredits(input.credits, { allowNegative: true }),
      'input',
      'credits',
    );
    const comment = unwrap(requireCorrectionComment(input.comment, ['input', 'comment']));
    return this.entryUseCase(caller, 'adjustBalance', input, {
      lock: { customerId: input.customerId },
      decide: (balance) => ({
        customerId: input.customerId,
        decision: unwrap(decideAdjustment(balance, credits)),
        balanceBefore: balance,
        description: comment,
        event: { comment },
      }),
    });
  }

  /**
   * Undoes a REFUND or ADJUSTMENT entered by mistake by appending a REVERSAL entry linked to it
   * (who, when, why): the entry itself is never changed, and "deleted" is derived from the link.
   * Undoing a refund gives its credits back to what the spend may still refund.
   */
  delete(caller: Caller, input: DeleteTransactionInput): Promise<CreditOutcome> {
    const reason = unwrap(normalizeCreditNote(input.reason, ['input', 'reason']));
    const reasonCategory = input.reasonCategory ?? null;
    return this.useCase(caller, 'deleteTransaction', input, async (tx, claim) => {
      const { target, balance } = await this.lockEntry(
        tx,
        caller.businessId,
        input.transactionId,
        claim,
      );
      const credits = BigInt(target.credits);
      const decision = unwrap(
        decideReversal(
          { kind: target.kind, credits, reversed: target.reversal_id !== null },
          balance,
        ),
      );
      const reversalId = newId();
      const result: CreditResult = {
        transactionId: target.id,
        customerId: target.customer_id,
        reversalId,
      };
      const written = await this.write(
        tx,
        claim,
        this.prepareEntry(caller, {
          id: reversalId,
          result,
          customerId: target.customer_id,
          decision,
          balanceBefore: balance,
          description: reason,
          reversesId: target.id,
          reasonCategory,
          refunded:
            target.kind === 'REFUND' && target.refund_of_id !== null
              ? { spendId: target.refund_of_id, change: -credits }
              : null,
          audit: {
            subjectId: target.id,
            changes: (entryId) => [
              { field: 'deleted', before: 'false', after: 'true' },
              { field: 'reversalEntry', before: null, after: entryId },
            ],
          },
          event: { reversesId: target.id, reason },
        }),
      );
      // The undone entry as a read after the commit shows it: deleted by this reversal.
      return {
        result,
        transaction: toView({
          ...target,
          reversal_id: reversalId,
          reversal_created_at: written.createdAt,
          reversal_created_by: caller.memberId,
          reversal_description: reason,
        }),
        reversal: written.reversal,
      };
    });
  }

  /**
   * A use case that locks one wallet (a customer's, or that of the entry it acts on), asks a
   * rule and writes one new entry. Under load it joins a group commit (credit.batch.ts), which
   * writes it with others in one transaction, exactly as it would be written alone; what a batch
   * cannot answer as this use case alone would (a replayed key, a first wallet, an unknown
   * entry), and anything with a write after the entry, runs alone.
   */
  private async entryUseCase(
    caller: Caller,
    operation: string,
    input: { readonly idempotencyKey?: string | null | undefined },
    useCase: {
      readonly lock: { readonly customerId: string } | { readonly transactionId: string };
      readonly decide: (balance: Credits, target: TransactionSqlRow | null) => NewEntry;
      readonly afterWrite?: ((tx: Transaction, entry: NewEntry) => Promise<unknown>) | undefined;
    },
    options: { readonly afterCommit?: () => void } = {},
  ): Promise<CreditOutcome> {
    if (this.groupCommit && !useCase.afterWrite) {
      const key = this.deps.idempotency.keyRow(caller.businessId, operation, input);
      const written = await writeInBatch(
        this.groupCommit,
        {
          businessId: caller.businessId,
          key,
          lock: useCase.lock,
          decide: (balance, target) => this.prepareEntry(caller, useCase.decide(balance, target)),
        },
        creditBatchAlone,
      );
      if (written) {
        options.afterCommit?.();
        const { result, transaction, reversal } = written;
        return { customerId: result.customerId, transaction, reversal };
      }
    }
    return this.useCase(
      caller,
      operation,
      input,
      async (tx, claim) => {
        const { balance, target } =
          'transactionId' in useCase.lock
            ? await this.lockEntry(tx, caller.businessId, useCase.lock.transactionId, claim)
            : {
                balance: await this.lockWallet(
                  tx,
                  caller.businessId,
                  useCase.lock.customerId,
                  claim,
                ),
                target: null,
              };
        const entry = useCase.decide(balance, target);
        const written = await this.write(
          tx,
          claim,
          this.prepareEntry(caller, entry),
          !useCase.afterWrite,
        );
        await useCase.afterWrite?.(tx, entry);
        return written;
      },
      options,
    );
  }

  /**
   * One use case: its transaction under the idempotency key, and what its payload shows. The
   * work returns the stored result and the entries as they are once committed (built from what
   * the transaction wrote, not read again); a replay of a stored result reads them.
   */
  private async useCase(
    caller: Caller,
    operation: string,
    input: { readonly idempotencyKey?: string | null | undefined },
    work: (tx: Transaction, claim: IdempotencyClaim | null) => Promise<Written>,
    options: { readonly afterCommit?: () => void } = {},
  ): Promise<CreditOutcome> {
    let written: Written | null = null;
    const result = await this.deps.idempotency.transaction(
      this.deps.db,
      caller.businessId,
      operation,
      input,
      async (tx, claim) => {
        written = await work(tx, claim);
        return written.result;
      },
      // Every credit use case inserts its key in its first statement, the lock (see claiming).
      { ...options, foldClaim: true },
    );
    const own = written as Written | null;
    // The same object only when the work that committed returned it (never for a replay).
    if (own !== null && own.result === result) {
      return {
        customerId: result.customerId,
        transaction: own.transaction,
        reversal: own.reversal,
      };
    }
    return this.payload(caller.businessId, result);
  }

  // ------------------------------------------------------------------------ locks and writes

  /**
   * Locks the customer's wallet row and returns the balance, creating the wallet (at zero) the
   * first time. A customer of another business, or a malformed id, is NOT_FOUND.
   */
  private async lockWallet(
    tx: Transaction,
    businessId: string,
    customerId: string,
    claim: IdempotencyClaim | null = null,
  ): Promise<Credits> {
    if (!isUuid(customerId)) {
      if (claim?.pending) await claim.claimAlone(tx);
      throw customerNotFound();
    }
    const lock = () =>
      sql<{ balance: string | number }>(tx, 'creditLockWallet', LOCK_WALLET, [
        customerId,
        businessId,
      ]);
    let wallet: { balance: string | number | null } | undefined;
    if (claim?.pending) {
      const [row] = await sql<{ claimed: boolean; balance: string | number | null }>(
        tx,
        'creditClaimLockWallet',
        claiming(claim, lockWalletSql),
        [customerId, businessId, ...claim.claimValues()],
      );
      claim.claimed(row?.claimed === true);
      wallet = row?.balance === null || row?.balance === undefined ? undefined : row;
    } else {
      [wallet] = await lock();
    }
    if (!wallet) {
      // A racing first use blocks on the primary key here until the other commits, then finds it.
      await tx.query(
        `INSERT INTO credit_wallets (customer_id, business_id, balance)
         SELECT id, business_id, 0 FROM customers WHERE id = $1 AND business_id = $2
         ON CONFLICT (customer_id) DO NOTHING`,
        [customerId, businessId],
      );
      [wallet] = await lock();
      if (!wallet) throw customerNotFound();
    }
    return BigInt(wallet.balance!);
  }

  /**
   * Locks the wallet of an entry of this business (the fixed lock order) and reads the entry,
   * whether a REVERSAL undid it and what its refunds add up to, current under the lock: two
   * statements in one round trip (see LOCK_ENTRY).
   */
  private async lockEntry(
    tx: Transaction,
    businessId: string,
    transactionId: string,
    claim: IdempotencyClaim | null,
  ): Promise<{ target: TransactionSqlRow; balance: Credits }> {
    if (!isUuid(transactionId)) {
      if (claim?.pending) await claim.claimAlone(tx);
      throw transactionNotFound();
    }
    const lock: Statement = claim?.pending
      ? {
          name: 'creditClaimLockEntry',
          text: claiming(claim, lockEntrySql),
          values: [transactionId, businessId, ...claim.claimValues()],
        }
      : { name: 'creditLockEntry', text: LOCK_ENTRY, values: [transactionId, businessId] };
    const [lockRows, entryRows] = await sqlAll(tx, [
      lock,
      { name: 'creditEntryUnderLock', text: ENTRY_UNDER_LOCK, values: [transactionId] },
    ]);
    const locked = lockRows![0] as
      { claimed?: boolean; wallet_balance: string | number | null } | undefined;
    if (claim?.pending) claim.claimed(locked?.claimed === true);
    if (locked && locked.wallet_balance !== null) {
      const target = entryRows![0] as TransactionSqlRow | undefined;
      if (!target) throw transactionNotFound();
      return { target, balance: BigInt(locked.wallet_balance) };
    }
    // No such entry here, or (never written by this code) an entry whose wallet is missing.
    const [owner]: Array<{ customer_id: string }> = await tx.query(
      `SELECT customer_id FROM credit_transactions WHERE id = $1 AND business_id = $2`,
      [transactionId, businessId],
    );
    if (!owner) throw transactionNotFound();
    const balance = await this.lockWallet(tx, businessId, owner.customer_id);
    const [target] = await sql<TransactionSqlRow>(tx, 'creditEntryUnderLock', ENTRY_UNDER_LOCK, [
      transactionId,
    ]);
    if (!target) throw transactionNotFound();
    return { target, balance };
  }

  /**
   * A new entry with everything written with it: WRITE_ENTRY's parameters (entry $1-$15, audit
   * $16-$26, event $27-$36), the result to store, and the entry as a read after the commit will
   * show it once its sequence number is known. The group commit sends the same parameters for
   * many entries at once (see credit.batch.ts).
   */
  private prepareEntry(caller: Caller, entry: NewEntry): PreparedEntry {
    const id = entry.id ?? newId();
    const { decision } = entry;
    const result = entry.result ?? { transactionId: id, customerId: entry.customerId };
    const now = this.deps.clock.now();
    const audit = auditValues({
      businessId: caller.businessId,
      actor: caller,
      action: AUDIT_ACTION[decision.kind],
      subjectType: 'CreditTransaction',
      subjectId: entry.audit?.subjectId ?? id,
      changes: [
        {
          field: 'balance',
          before: entry.balanceBefore.toString(),
          after: decision.balanceAfter.toString(),
        },
        ...(entry.audit?.changes(id) ?? []),
      ],
      reason: entry.description,
      at: now,
    });
    const event = prepareEvent(
      this.eventOf(
        caller,
        decision,
        { transactionId: id, customerId: entry.customerId },
        entry.event,
      ),
    );
    const values: unknown[] = [
      id,
      caller.businessId,
      entry.customerId,
      decision.kind,
      decision.credits.toString(),
      decision.balanceAfter.toString(),
      entry.description,
      entry.refundOfId ?? null,
      entry.reversesId ?? null,
      entry.reasonCategory ?? null,
      now,
      caller.memberId,
      caller.apiKeyId,
      entry.refunded?.spendId ?? null,
      (entry.refunded?.change ?? 0n).toString(),
      ...audit,
      ...event.values,
    ];
    const written = (seq: string | number): Written & { createdAt: Date } => {
      const transaction = toView({
        id,
        seq,
        business_id: caller.businessId,
        customer_id: entry.customerId,
        kind: decision.kind,
        credits: decision.credits,
        balance_after: decision.balanceAfter,
        description: entry.description,
        refund_of_id: entry.refundOfId ?? null,
        reverses_id: entry.reversesId ?? null,
        reason_category: entry.reasonCategory ?? null,
        created_at: now,
        created_by: caller.memberId,
        reversal_id: null,
        reversal_created_at: null,
        reversal_created_by: null,
        reversal_description: null,
        // A new entry: a new SPEND has nothing refunded yet, other kinds show 0.
        refunded_credits: 0,
      });
      const reversal = entry.reversesId === undefined ? null : transaction;
      return {
        result,
        transaction: reversal === null ? transaction : null,
        reversal,
        createdAt: now,
      };
    };
    return {
      id,
      result,
      values,
      balanceAfter: decision.balanceAfter,
      refunded: entry.refunded ?? null,
      written,
    };
  }

  /**
   * Writes a prepared entry with everything that goes with it (see WRITE_ENTRY) in one statement
   * and returns the entry as a read after the commit will show it. `last`: whether this write is
   * the use case's last statement (the default): then COMMIT goes out with it (see sql's
   * `commit`).
   */
  private async write(
    tx: Transaction,
    claim: IdempotencyClaim | null,
    entry: PreparedEntry,
    last = true,
  ): Promise<Written & { createdAt: Date }> {
    let rows: Array<{ seq: string | number }>;
    if (claim) {
      // The response goes in with the entry, so nothing touches the key row after the event.
      rows = await sql(
        tx,
        'creditWriteEntryKeyed',
        writeEntryKeyed(claim),
        [...entry.values, ...claim.responseValues(entry.result)],
        { commit: last },
      );
      claim.responded(entry.result);
    } else {
      rows = await sql(tx, 'creditWriteEntry', WRITE_ENTRY_PLAIN, entry.values, { commit: last });
    }
    return entry.written(rows[0]!.seq);
  }

  /** The event of a new entry, written last, with it (see WRITE_ENTRY and recordEvent). */
  private eventOf(
    caller: Caller,
    decision: CreditEntryDecision,
    entry: CreditResult,
    data: Record<string, string | null>,
  ): EventRecord {
    return {
      businessId: caller.businessId,
      type: creditEntryEventType(decision.kind),
      actor: caller,
      at: this.deps.clock.now(),
      subjects: {
        customerId: entry.customerId,
        transactionId: entry.transactionId,
        refundOfId: data['refundOfId'],
        reversesId: data['reversesId'],
      },
      amounts: { credits: decision.credits, balanceAfter: decision.balanceAfter },
      data: {
        kind: decision.kind,
        ...Object.fromEntries(
          Object.entries(data).filter(([name]) => name !== 'refundOfId' && name !== 'reversesId'),
        ),
      },
    };
  }

  // ------------------------------------------------------------------------------------ reads

  /** What a mutation's payload shows, read after its transaction committed (a replay). */
  async payload(businessId: string, result: CreditResult): Promise<CreditOutcome> {
    const reversalId = result['reversalId'];
    const [transaction, reversal] = await Promise.all([
      this.find(businessId, result.transactionId),
      reversalId === undefined ? null : this.find(businessId, reversalId),
    ]);
    return { customerId: result.customerId, transaction, reversal };
  }

  async find(businessId: string, id: string): Promise<CreditTransaction | null> {
    if (!isUuid(id)) return null;
    return (await this.loadTransactions(businessId, [id])).get(id) ?? null;
  }

  /** The customer's balance: what its wallet holds (zero before its first entry). */
  async balance(businessId: string, customerId: string): Promise<Credits> {
    return (await this.balances.load(businessId, customerId)) ?? 0n;
  }

  /** Newest first, keyset-paginated on the insertion order. */
  async list(businessId: string, query: CreditListQuery): Promise<Page<CreditTransaction>> {
    const size = pageSize(query.first);
    const after = decodeCursor(query.after, ['seq']);
    const conditions = ['t.business_id = $1'];
    const params: unknown[] = [businessId];
    if (query.customerId !== null && query.customerId !== undefined) {
      // Another business's customer, or a malformed id, is simply a customer without entries.
      if (!isUuid(query.customerId)) return toPage([], size, () => []);
      params.push(query.customerId);
      conditions.push(`t.customer_id = $${params.length}`);
    }
    if (query.kind !== null && query.kind !== undefined) {
      if (!CREDIT_TRANSACTION_KINDS.includes(query.kind)) {
        throw new BadInputError('Unknown transaction kind.', ['kind']);
      }
      params.push(query.kind);
      conditions.push(`t.kind = $${params.length}`);
    }
    if (query.from || query.to) {
      const [business]: Array<{ timezone: string }> = await this.deps.db.manager.query(
        `SELECT timezone FROM businesses WHERE id = $1`,
        [businessId],
      );
      const range = parseLocalDateRange(query, business?.timezone ?? 'UTC');
      if (range.since) {
        params.push(range.since);
        conditions.push(`t.created_at >= $${params.length}`);
      }
      if (range.until) {
        params.push(range.until);
        conditions.push(`t.created_at < $${params.length}`);
      }
    }
    if (after) {
      const seq = String(after[0]);
      if (!SEQ_CURSOR.test(seq)) {
        throw new BadInputError('That "after" cursor is not one this list gave out.', ['after']);
      }
      params.push(seq);
      conditions.push(`t.seq < $${params.length}`);
    }
    params.push(size + 1);
    const rows: TransactionSqlRow[] = await this.deps.db.manager.query(
      `${SELECT_TRANSACTION} WHERE ${conditions.join(' AND ')} ORDER BY t.seq DESC LIMIT $${params.length}`,
      params,
    );
    return toPage(rows.map(toView), size, (t) => [t.seq]);
  }

  /** The latest corrections (ADJUSTMENT entries) of one customer, newest first. */
  async recentCorrections(
    businessId: string,
    customerId: string,
    first: number | null | undefined,
  ): Promise<CreditTransaction[]> {
    const page = await this.list(businessId, { customerId, kind: 'ADJUSTMENT', first: first ?? 5 });
    return page.nodes;
  }

  // Batched reads for field resolvers: one query per field per list, whatever its length.
  transactionById = (businessId: string, id: string) => this.transactions.load(businessId, id);

  private async loadTransactions(
    businessId: string,
    ids: readonly string[],
  ): Promise<Map<string, CreditTransaction>> {
    const wanted = ids.filter(isUuid);
    if (wanted.length === 0) return new Map();
    const rows: TransactionSqlRow[] = await this.deps.db.manager.query(
      `${SELECT_TRANSACTION} WHERE t.business_id = $1 AND t.id = ANY($2::uuid[])`,
      [businessId, wanted],
    );
    return new Map(rows.map((row) => [row.id, toView(row)]));
  }

  private async loadBalances(
    businessId: string,
    customerIds: readonly string[],
  ): Promise<Map<string, bigint>> {
    const wanted = customerIds.filter(isUuid);
    if (wanted.length === 0) return new Map();
    const rows: Array<{ customer_id: string; balance: string | number }> =
      await this.deps.db.manager.query(
        `SELECT customer_id, balance FROM credit_wallets
          WHERE business_id = $1 AND customer_id = ANY($2::uuid[])`,
        [businessId, wanted],
      );
    return new Map(rows.map((row) => [row.customer_id, BigInt(row.balance)]));
  }
}

const instant = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

function toView(row: TransactionSqlRow): CreditTransaction {
  const credits = BigInt(row.credits);
  const refunded = BigInt(row.refunded_credits);
  const view = new CreditTransaction();
  Object.assign(view, {
    id: row.id,
    seq: String(row.seq),
    businessId: row.business_id,
    customerId: row.customer_id,
    kind: row.kind,
    credits: credits.toString(),
    description: row.description,
    createdAt: instant(row.created_at),
    createdById: row.created_by,
    refundOfId: row.refund_of_id,
    refundedCredits: refunded.toString(),
    refundableCredits: refundableCredits({ kind: row.kind, credits }, refunded).toString(),
    reasonCategory: row.reason_category,
    // "Deleted" is derived from the REVERSAL that undid the entry: its time, author and reason.
    deleted: row.reversal_id !== null,
    deletedAt: row.reversal_created_at === null ? null : instant(row.reversal_created_at),
    deletedById: row.reversal_created_by,
    deleteReason: row.reversal_description,
    reversedById: row.reversal_id,
    reversesId: row.reverses_id,
    balanceAfter: BigInt(row.balance_after).toString(),
  } satisfies Omit<CreditTransaction, never>);
  return view;
}

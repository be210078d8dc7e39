import { type Credits, DomainError } from '@refunds/domain';
import { auditBatchInsertSql } from '../audit/audit.recorder';
import { eventBatchCtes, eventBatchRow } from '../outbound/event.recorder';
import {
  type BatchAnswer as AnyBatchAnswer,
  batchKeys,
  claimedKeys,
  claimKeysStatement,
  columns,
  commitTracked,
  keyId,
  releaseKeys,
  responseRow,
  responsesCte,
} from '../platform/db/batch-sql';
import type { Database } from '../platform/db/database';
import { sql, sqlAll, type Statement } from '../platform/db/statements';
import type { IdempotencyKeyRow } from '../platform/idempotency';
import { isUuid } from '../platform/ids';
import { creditBatchAlone, creditBatchSize } from '../platform/observability/metrics';
import type { PreparedEntry, TransactionSqlRow, Written } from './credit.service';

/**
 * The credit group commit: several credit use cases (purchases, spends, corrections, refunds of
 * a spend) written in one transaction, in the order they arrived, each with exactly the rows it
 * would write alone (entry, wallet balance, spend total, audit entry, event and webhook jobs,
 * stored response). The transaction is two round trips whatever its size:
 *
 *   1. the keys claimed, the wallets locked (in customer order, so two batches never deadlock),
 *      the entries acted on read under those locks;
 *   2. in Node, each use case's domain rule on the balance and entry as the batch's earlier use
 *      cases left them; then one set-based statement writes everything, COMMIT behind it.
 *
 * A use case the batch cannot answer as it would alone — its key already taken (a replay, or a
 * repeat in the same batch), its wallet not created yet, its entry not found — is answered
 * `alone`: its key claim is released and the service runs it by itself after the batch, through
 * the one-use-case path that handles those cases. A refusal of a rule is that use case's answer;
 * the others still commit.
 */

/** One use case in a batch: whose wallet it locks and its rule under the lock. */
export interface BatchedCreditUseCase {
  readonly businessId: string;
  readonly key: IdempotencyKeyRow | null;
  readonly lock: { readonly customerId: string } | { readonly transactionId: string };
  /**
   * The use case's rule and everything it writes, given the wallet's balance and (for a use case
   * on an entry) the entry as the batch has it so far. Throws the rule's refusal.
   */
  readonly decide: (balance: Credits, target: TransactionSqlRow | null) => PreparedEntry;
}

export type BatchAnswer = AnyBatchAnswer<Written>;

const ALONE: BatchAnswer = { kind: 'alone' };

/**
 * The wallets of the batch, locked in customer order: those named by customer ($1) and those of
 * the entries acted on ($3), of the batch's businesses ($2); each use case checks that its wallet
 * and entry are its own business's. Written as `= ANY` of arrays so that both lookups are index
 * scans whatever the tables' sizes (a join to the arrays may be planned as a scan of every
 * wallet).
 */
const LOCK_WALLETS = `
  SELECT w.customer_id, w.business_id, w.balance
    FROM credit_wallets w
   WHERE w.customer_id = ANY ($1::uuid[] || ARRAY(
           SELECT t.customer_id FROM credit_transactions t
            WHERE t.id = ANY ($3::uuid[]) AND t.business_id = ANY ($2::uuid[])))
     AND w.business_id = ANY ($2::uuid[])
   ORDER BY w.customer_id
     FOR UPDATE OF w`;

/**
 * Everything the batch writes, from WRITE_ENTRY's 36 parameters per use case sent as 36 arrays
 * (see CreditService.prepareEntry), plus the stored responses ($37-$42: the key's row) and each
 * wallet's balance after its last entry ($43-$45). Each spend's kept total grows by the batch's
 * refunds of it; each business's event counter grows by its events, which take the numbers in
 * order. The wallets and the keys, rows this transaction holds, are updated through
 * `ON CONFLICT DO UPDATE`: its lookup is always the unique index, where an UPDATE joined to the
 * arrays is planned from the table's statistics, and a plan kept from when the table was small
 * scans every row.
 */
const WRITE_BATCH = `
  WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::bigint[],
                         $6::bigint[], $7::text[], $8::uuid[], $9::uuid[], $10::text[],
                         $11::timestamptz[], $12::uuid[], $13::uuid[], $14::uuid[], $15::bigint[])
                  WITH ORDINALITY
      AS i(id, business_id, customer_id, kind, credits, balance_after, description, refund_of_id,
           reverses_id, reason_category, created_at, created_by, created_by_api_key, spend_id,
           refunded_change, ord)
  ), entry AS (
    INSERT INTO credit_transactions (id, business_id, customer_id, kind, credits, balance_after,
                                     description, refund_of_id, reverses_id, reason_category,
                                     created_at, created_by, created_by_api_key)
    SELECT id, business_id, customer_id, kind, credits, balance_after, description, refund_of_id,
           reverses_id, reason_category, created_at, created_by, created_by_api_key
      FROM input ORDER BY ord
    RETURNING id, seq
  ), wallet AS (
    INSERT INTO credit_wallets (customer_id, business_id, balance)
    SELECT * FROM unnest($43::uuid[], $44::uuid[], $45::bigint[])
    ON CONFLICT (customer_id) DO UPDATE SET balance = EXCLUDED.balance
  ), refunded AS (
    INSERT INTO credit_spend_totals (spend_id, business_id, refunded_credits)
    SELECT spend_id, business_id, sum(refunded_change) FROM input
     WHERE spend_id IS NOT NULL
     GROUP BY spend_id, business_id HAVING sum(refunded_change) > 0
     ORDER BY spend_id
    ON CONFLICT (spend_id) DO UPDATE
      SET refunded_credits = credit_spend_totals.refunded_credits + EXCLUDED.refunded_credits
  ), audit AS (${auditBatchInsertSql(16)}
  ), ${eventBatchCtes(27)}, response AS (${responsesCte(37)}
  )
  SELECT id, seq FROM entry`;

/** WRITE_ENTRY's parameters: the entry's 15, the audit entry's 11, the event's 10. */
const EVENT_PARAMETERS = 15 + 11;
const ENTRY_PARAMETERS = 36;

/**
 * Writes a batch of credit use cases in one transaction (see above) and answers each, in order.
 * A failure of the transaction itself (after its retries) rejects; the caller runs each use
 * case alone then.
 */
export async function writeCreditBatch(
  db: Database,
  selectEntries: string,
  useCases: readonly BatchedCreditUseCase[],
): Promise<BatchAnswer[]> {
  creditBatchSize.observe(useCases.length);
  return commitTracked((progress) => writeBatch(db, selectEntries, useCases, progress));
}

async function writeBatch(
  db: Database,
  selectEntries: string,
  useCases: readonly BatchedCreditUseCase[],
  progress: { commitSent: boolean },
): Promise<BatchAnswer[]> {
  return db.transaction(async (tx) => {
    progress.commitSent = false; // a retried attempt starts again
    const answers: BatchAnswer[] = useCases.map(() => ALONE);
    const alone = (reason: string) => creditBatchAlone.inc({ reason });
    // A key twice in one batch: the later one runs alone, after the first has committed.
    const { rows: keyRows, repeats } = batchKeys(useCases.map((useCase) => useCase.key));
    const customerIds = useCases.flatMap(({ lock }) =>
      'customerId' in lock && isUuid(lock.customerId) ? [lock.customerId] : [],
    );
    const entryIds = useCases.flatMap(({ lock }) =>
      'transactionId' in lock && isUuid(lock.transactionId) ? [lock.transactionId] : [],
    );
    const businessIds = [...new Set(useCases.map((useCase) => useCase.businessId))];

    // Round trip 1: BEGIN, the claims, the locks, the entries read under the locks (a statement
    // of its own: its snapshot is taken once the locks are held).
    const statements: Statement[] = [];
    if (keyRows.length > 0) statements.push(claimKeysStatement('creditBatchClaimKeys', keyRows));
    statements.push({
      name: 'creditBatchLockWallets',
      text: LOCK_WALLETS,
      values: [customerIds, businessIds, entryIds],
    });
    if (entryIds.length > 0) {
      statements.push({
        name: 'creditBatchEntriesUnderLock',
        text: `${selectEntries} WHERE t.id = ANY ($1::uuid[])`,
        values: [entryIds],
      });
    }
    const results = await sqlAll(tx, statements);
    const claimed = claimedKeys((keyRows.length > 0 ? results.shift()! : []) as KeyRow[]);
    const walletRows = results.shift()! as WalletRow[];
    const entryRows = (results.shift() ?? []) as TransactionSqlRow[];
    const balances = new Map(
      walletRows.map((row) => [walletId(row.business_id, row.customer_id), BigInt(row.balance)]),
    );
    // Copies: a refund changes its spend's refunded total for the batch's later refunds.
    const entries = new Map(entryRows.map((row) => [row.id, { ...row }]));

    // In Node: each use case's rule, on its wallet and entry as the earlier ones left them.
    const written: Array<{ index: number; entry: PreparedEntry }> = [];
    const released: IdempotencyKeyRow[] = [];
    useCases.forEach((useCase, i) => {
      const { key, businessId, lock } = useCase;
      if (key && repeats.has(i)) return alone('repeated key');
      if (key && !claimed.has(keyId(key))) return alone('key taken');
      const release = (reason: string) => {
        if (key) released.push(key);
        alone(reason);
      };
      let target: TransactionSqlRow | null = null;
      let customerId: string;
      if ('transactionId' in lock) {
        target = entries.get(lock.transactionId) ?? null;
        if (target === null || target.business_id !== businessId) return release('no entry');
        customerId = target.customer_id;
      } else {
        customerId = lock.customerId;
      }
      const wallet = walletId(businessId, customerId);
      const balance = balances.get(wallet);
      if (balance === undefined) return release('no wallet'); // created alone
      let entry: PreparedEntry;
      try {
        entry = useCase.decide(balance, target);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        answers[i] = { kind: 'refused', error };
        if (key) released.push(key);
        return;
      }
      balances.set(wallet, entry.balanceAfter);
      if (target && entry.refunded) {
        target.refunded_credits = BigInt(target.refunded_credits) + entry.refunded.change;
      }
      written.push({ index: i, entry });
    });

    // Round trip 2: everything written in one statement, COMMIT behind it.
    const finalBalances = new Map(
      written.map(({ index, entry }) => [
        entry.result.customerId,
        [entry.result.customerId, useCases[index]!.businessId, entry.balanceAfter.toString()],
      ]),
    );
    const responses = written.flatMap(({ index, entry }) => {
      const key = useCases[index]!.key;
      return key ? [responseRow(key, entry.result)] : [];
    });
    await releaseKeys(tx, released);
    const entryValues = written.map(({ entry }) => [
      ...entry.values.slice(0, EVENT_PARAMETERS),
      ...eventBatchRow(entry.values.slice(EVENT_PARAMETERS)),
    ]);
    progress.commitSent = true;
    const rows = await sql<{ id: string; seq: string | number }>(
      tx,
      'creditBatchWrite',
      WRITE_BATCH,
      [
        ...columns(entryValues, ENTRY_PARAMETERS),
        ...columns(responses, 6),
        ...columns([...finalBalances.values()], 3),
      ],
      { commit: true },
    );
    const seqs = new Map(rows.map((row) => [row.id, row.seq]));
    for (const { index, entry } of written) {
      answers[index] = { kind: 'written', written: entry.written(seqs.get(entry.id)!) };
    }
    return answers;
  });
}

interface KeyRow {
  business_id: string;
  key: string;
}

interface WalletRow {
  customer_id: string;
  business_id: string;
  balance: string | number;
}

const walletId = (businessId: string, customerId: string) => `${businessId}/${customerId}`;

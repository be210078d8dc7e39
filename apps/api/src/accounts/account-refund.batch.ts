import { DomainError } from '@refunds/domain';
import { type AuditRecord, auditBatchInsertSql, auditValues } from '../audit/audit.recorder';
import { Customer } from '../customers/customer.entity';
import {
  type EventRecord,
  eventBatchCtes,
  eventBatchRow,
  prepareEvent,
} from '../outbound/event.recorder';
import {
  type BatchAnswer,
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
import { formatNumber } from '../platform/db/counters';
import type { Database } from '../platform/db/database';
import { sqlAll } from '../platform/db/statements';
import type { IdempotencyKeyRow } from '../platform/idempotency';
import { isUuid } from '../platform/ids';
import { accountRefundBatchAlone, accountRefundBatchSize } from '../platform/observability/metrics';
import { BankAccountRow } from './account.entities';
import type { AccountRefund, CustomerAccount } from './account.types';

/**
 * The credit note refund group commit: several refundCreditNote use cases written in one
 * transaction, in the order they arrived, each with exactly the rows it would write alone (the
 * refund with the business's next RF number, and through its trigger the credit's kept totals and
 * the statement; the audit entry, the event and its webhook jobs, the stored response). Two round
 * trips whatever its size, as in the credit batch (credits/credit.batch.ts):
 *
 *   1. the keys claimed, the credits locked in id order (the lone path's first lock), the bank
 *      accounts shared, then the businesses' RF counters locked (the lone path takes its counter
 *      next): the batch numbers its refunds itself, without gaps, so its audit entries and
 *      events name their numbers without a lookup;
 *   2. in Node, each use case's rule on its credit as the batch's earlier refunds of it left it;
 *      then the refunds (the trigger moves the totals and the statement, locking the customers'
 *      balances), then the audit entries, events and responses, COMMIT behind them.
 *
 * What the batch cannot answer as the use case alone would (its key taken or repeated, its credit
 * or bank account not found, a business's first RF number) is answered `alone`; a refusal is
 * that use case's answer.
 */

/** A credit under its lock, as refundCreditNote decides on it. */
export interface CreditRowWithOutstanding {
  id: string;
  kind: 'CREDIT_NOTE' | 'PAYMENT';
  number: string;
  created_at: Date;
  amount_minor: string;
  currency: string;
  description: string | null;
  customer_id: string;
  allocated_minor: string;
  refunded_minor: string;
}

/** What refundCreditNote's rule sees: the credit, the bank account, the customer. */
export interface LockedCreditRefund {
  readonly credit: CreditRowWithOutstanding;
  readonly bank: BankAccountRow;
  readonly customer: Customer;
}

/** Everything one credit note refund writes (alone or in a batch), and what it answers. */
export interface PreparedAccountRefund {
  /** The refund's row but its number: id, business, customer, credit, bank account, amount,
   *  currency, reference, reason category, created at, created by. */
  readonly refund: readonly unknown[];
  readonly refundId: string;
  readonly audit: AuditRecord;
  readonly event: EventRecord;
  /** What the idempotency key stores. */
  readonly result: { readonly refundId: string; readonly customerId: string };
  /** The mutation's answer, once the refund's number is known. */
  readonly payload: (number: string) => { refund: AccountRefund; account: CustomerAccount };
  /** The credit as this refund leaves it, for the batch's later refunds of it. */
  readonly creditAfter: CreditRowWithOutstanding;
}

/** The prefix of a refund's number (RF-000001), as insertAccountRefund writes it alone. */
export const REFUND_PREFIX = 'RF';

/** One refundCreditNote in a batch: what it locks, and its rule given its RF number. */
export interface BatchedAccountRefund {
  readonly businessId: string;
  readonly key: IdempotencyKeyRow | null;
  readonly creditId: string;
  readonly bankAccountId: string;
  readonly prepare: (locked: LockedCreditRefund, number: string) => PreparedAccountRefund;
}

export type AccountRefundAnswer = BatchAnswer<{
  readonly prepared: PreparedAccountRefund;
  readonly number: string;
}>;

const ALONE: AccountRefundAnswer = { kind: 'alone' };

const LOCK_CREDITS = `
  SELECT c.id, c.kind, c.number, c.created_at, c.amount_minor, c.currency, c.description,
         c.customer_id, t.allocated_minor, t.refunded_minor, t.business_id,
         cu.name AS customer_name, cu.email AS customer_email,
         cu.portal_token AS customer_portal_token, cu.created_at AS customer_created_at
    FROM account_credit_totals t
    JOIN account_credits c ON c.id = t.credit_id
    JOIN customers cu ON cu.id = c.customer_id
   WHERE t.credit_id = ANY ($1::uuid[]) AND t.business_id = ANY ($2::uuid[])
   ORDER BY t.credit_id
     FOR UPDATE OF t`;

const SHARE_BANKS = `
  SELECT id, business_id, name, currency, created_at, archived_at FROM bank_accounts
   WHERE id = ANY ($1::uuid[]) AND business_id = ANY ($2::uuid[])
   ORDER BY id
     FOR SHARE`;

const LOCK_COUNTERS = `
  SELECT business_id, value::text AS value FROM business_counters
   WHERE business_id = ANY ($1::uuid[]) AND name = 'account_refund'
   ORDER BY business_id
     FOR UPDATE`;

/**
 * The refunds, with the numbers the batch gave them, and each business's counter moved to its
 * last. One INSERT: its trigger moves the credits' totals and the statements in one call.
 */
const WRITE_REFUNDS = `
  WITH counter AS (
    INSERT INTO business_counters (business_id, name, value)
    SELECT business_id, 'account_refund', value
      FROM unnest($13::uuid[], $14::bigint[]) AS n(business_id, value)
    ON CONFLICT (business_id, name) DO UPDATE SET value = EXCLUDED.value
  )
  INSERT INTO account_refunds (id, business_id, customer_id, credit_id, bank_account_id, number,
                               amount_minor, currency, reference, reason_category, created_at,
                               created_by)
  SELECT id, business_id, customer_id, credit_id, bank_account_id, number, amount_minor,
         currency, reference, reason_category, created_at, created_by
    FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::bigint[],
                $7::char(3)[], $8::text[], $9::text[], $10::timestamptz[], $11::uuid[],
                $12::text[]) WITH ORDINALITY
      AS r(id, business_id, customer_id, credit_id, bank_account_id, amount_minor, currency,
           reference, reason_category, created_at, created_by, number, ord)
   ORDER BY ord`;

/** Then the audit entries, the events with their jobs, and the stored responses. */
const WRITE_TRAIL = `
  WITH audit AS (${auditBatchInsertSql(1)}
  ), ${eventBatchCtes(12)}, response AS (${responsesCte(22)}
  )
  SELECT 1 AS written`;

/**
 * Writes a batch of credit note refunds in one transaction (see above) and answers each, in
 * order. A failure of the transaction itself (after its retries) rejects; the caller runs each
 * use case alone then.
 */
export async function writeAccountRefundBatch(
  db: Database,
  useCases: readonly BatchedAccountRefund[],
): Promise<AccountRefundAnswer[]> {
  accountRefundBatchSize.observe(useCases.length);
  return commitTracked((progress) => writeBatch(db, useCases, progress));
}

async function writeBatch(
  db: Database,
  useCases: readonly BatchedAccountRefund[],
  progress: { commitSent: boolean },
): Promise<AccountRefundAnswer[]> {
  return db.transaction(async (tx) => {
    progress.commitSent = false; // a retried attempt starts again
    const answers: AccountRefundAnswer[] = useCases.map(() => ALONE);
    const alone = (reason: string) => accountRefundBatchAlone.inc({ reason });
    const { rows: keyRows, repeats } = batchKeys(useCases.map((useCase) => useCase.key));
    const creditIds = [...new Set(useCases.map((u) => u.creditId).filter(isUuid))];
    const bankIds = [...new Set(useCases.map((u) => u.bankAccountId).filter(isUuid))];
    const businessIds = [...new Set(useCases.map((useCase) => useCase.businessId))];

    // Round trip 1: BEGIN, the claims, the credits' locks, the bank accounts, the counters.
    const results = await sqlAll(tx, [
      ...(keyRows.length > 0 ? [claimKeysStatement('accountRefundBatchClaimKeys', keyRows)] : []),
      {
        name: 'accountRefundBatchLockCredits',
        text: LOCK_CREDITS,
        values: [creditIds, businessIds],
      },
      { name: 'accountRefundBatchShareBanks', text: SHARE_BANKS, values: [bankIds, businessIds] },
      { name: 'accountRefundBatchLockCounters', text: LOCK_COUNTERS, values: [businessIds] },
    ]);
    const claimed = claimedKeys(
      (keyRows.length > 0 ? results.shift()! : []) as Array<{ business_id: string; key: string }>,
    );
    const [creditRows, bankRows, counterRows] = results as [
      Array<CreditRowWithOutstanding & Record<string, unknown> & { business_id: string }>,
      Array<Record<string, unknown> & { id: string; business_id: string }>,
      Array<{ business_id: string; value: string }>,
    ];
    const credits = new Map(creditRows.map((row) => [row.id, row]));
    const banks = new Map(bankRows.map((row) => [row.id, row]));
    const counters = new Map(counterRows.map((row) => [row.business_id, BigInt(row.value)]));

    // In Node: each use case's rule, on its credit as the earlier ones left it.
    const written: Array<{ index: number; prepared: PreparedAccountRefund; number: string }> = [];
    const released: IdempotencyKeyRow[] = [];
    useCases.forEach((useCase, i) => {
      const { key, businessId } = useCase;
      if (key && repeats.has(i)) return alone('repeated key');
      if (key && !claimed.has(keyId(key))) return alone('key taken');
      const release = (reason: string) => {
        if (key) released.push(key);
        alone(reason);
      };
      const row = credits.get(useCase.creditId);
      const bank = banks.get(useCase.bankAccountId);
      // NOT_FOUND (naming which), from the lone path.
      if (!row || row.business_id !== businessId) return release('no credit');
      if (!bank || bank.business_id !== businessId) return release('no bank account');
      const last = counters.get(businessId);
      if (last === undefined) return release('first refund number'); // the counter's first row
      const number = formatNumber(REFUND_PREFIX, last + 1n);
      let prepared: PreparedAccountRefund;
      try {
        prepared = useCase.prepare(lockedCreditRefund(row, bank, businessId), number);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        answers[i] = { kind: 'refused', error };
        if (key) released.push(key);
        return;
      }
      counters.set(businessId, last + 1n);
      credits.set(useCase.creditId, { ...row, ...prepared.creditAfter });
      written.push({ index: i, prepared, number });
    });
    await releaseKeys(tx, released);
    if (written.length === 0) return answers;

    // Round trip 2: the refunds, then the trail, COMMIT behind them.
    const lastNumbers = businessIds.flatMap((businessId) =>
      written.some(({ index }) => useCases[index]!.businessId === businessId)
        ? [[businessId, counters.get(businessId)!.toString()]]
        : [],
    );
    const responses = written.flatMap(({ index, prepared }) => {
      const key = useCases[index]!.key;
      return key ? [responseRow(key, prepared.result)] : [];
    });
    progress.commitSent = true;
    await sqlAll(
      tx,
      [
        {
          name: 'accountRefundBatchRefunds',
          text: WRITE_REFUNDS,
          values: [
            ...columns(
              written.map(({ prepared, number }) => [...prepared.refund, number]),
              12,
            ),
            ...columns(lastNumbers, 2),
          ],
        },
        {
          name: 'accountRefundBatchTrail',
          text: WRITE_TRAIL,
          values: [
            ...columns(
              written.map(({ prepared }) => auditValues(prepared.audit)),
              11,
            ),
            ...columns(
              written.map(({ prepared }) => eventBatchRow(prepareEvent(prepared.event).values)),
              10,
            ),
            ...columns(responses, 6),
          ],
        },
      ],
      { commit: true },
    );
    for (const { index, prepared, number } of written) {
      answers[index] = { kind: 'written', written: { prepared, number } };
    }
    return answers;
  });
}

/** The batch's rows of one use case as the rule sees them. */
function lockedCreditRefund(
  row: CreditRowWithOutstanding & Record<string, unknown>,
  bank: Record<string, unknown> & { id: string },
  businessId: string,
): LockedCreditRefund {
  return {
    credit: row,
    bank: Object.assign(new BankAccountRow(), {
      id: bank.id,
      businessId,
      name: bank.name as string,
      currency: bank.currency as string,
      createdAt: new Date(bank.created_at as string),
      archivedAt: bank.archived_at ? new Date(bank.archived_at as string) : null,
    }),
    customer: Object.assign(new Customer(), {
      id: row.customer_id,
      businessId,
      name: row.customer_name as string,
      email: (row.customer_email as string | null) ?? null,
      portalToken: row.customer_portal_token as string,
      createdAt: new Date(row.customer_created_at as string),
    }),
  };
}

import { type DomainError } from '@refunds/domain';
import type { Transaction } from './database';
import { isDatabaseUnavailable } from './availability';
import { sqlState } from './database';
import type { Statement } from './statements';
import type { IdempotencyKeyRow } from '../idempotency';

/**
 * What every group commit (credits, invoice refunds) writes the same way: the batch's idempotency
 * keys claimed and released, the stored responses, the arrays an `unnest` takes, and what a lost
 * connection after COMMIT means for a batch.
 */

/** Rows to columns: the arrays an `unnest` of `width` parameters takes. */
export function columns(rows: readonly (readonly unknown[])[], width: number): unknown[][] {
  return Array.from({ length: width }, (_, column) => rows.map((row) => row[column]));
}

export const keyId = (row: { businessId: string; key: string }) =>
  `${row.businessId}\u0000${row.key}`;

/** Every key of the batch, sorted so two batches racing on the same keys take them in one order. */
const CLAIM_KEYS = `
  INSERT INTO idempotency_keys (business_id, key, operation, request_hash, created_at)
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
   ORDER BY 1, 2
  ON CONFLICT (business_id, key) DO NOTHING
  RETURNING business_id, key`;

/**
 * The batch's keys, each once: a key twice in one batch is a repeat (`repeats`, by position),
 * which the batch answers alone, after the first has committed.
 */
export function batchKeys(keys: ReadonlyArray<IdempotencyKeyRow | null>): {
  readonly rows: IdempotencyKeyRow[];
  readonly repeats: ReadonlySet<number>;
} {
  const unique = new Map<string, IdempotencyKeyRow>();
  const repeats = new Set<number>();
  keys.forEach((key, i) => {
    if (!key) return;
    const id = keyId(key);
    if (unique.has(id)) repeats.add(i);
    else unique.set(id, key);
  });
  return { rows: [...unique.values()], repeats };
}

/** The statement claiming `keys` (see batchKeys); it returns the rows it inserted. */
export function claimKeysStatement(name: string, keys: readonly IdempotencyKeyRow[]): Statement {
  return {
    name,
    text: CLAIM_KEYS,
    values: columns(
      keys.map((k) => [k.businessId, k.key, k.operation, k.requestHash, k.createdAt]),
      5,
    ),
  };
}

/** The keys claimed, as keyId()s, from claimKeysStatement's rows. */
export const claimedKeys = (rows: ReadonlyArray<{ business_id: string; key: string }>) =>
  new Set(rows.map((row) => keyId({ businessId: row.business_id, key: row.key })));

/**
 * The claims of the use cases that wrote nothing (a refusal, or run alone), as a rollback of
 * each alone would leave them. Rare, so sent unprepared: planned each time for the table's size.
 */
export async function releaseKeys(
  tx: Transaction,
  keys: readonly IdempotencyKeyRow[],
): Promise<void> {
  if (keys.length === 0) return;
  await tx.query(
    `DELETE FROM idempotency_keys k
      USING unnest($1::uuid[], $2::text[]) AS r(business_id, key)
      WHERE k.business_id = r.business_id AND k.key = r.key`,
    columns(
      keys.map((key) => [key.businessId, key.key]),
      2,
    ),
  );
}

/**
 * The stored responses of the batch's keys, 6 arrays from `$first` (see responseRow). The rows are
 * the batch's own claims, updated through `ON CONFLICT DO UPDATE`: its lookup is always the unique
 * index.
 */
export function responsesCte(first: number): string {
  const p = (i: number) => `$${first + i}`;
  return `INSERT INTO idempotency_keys (business_id, key, operation, request_hash, created_at, response)
    SELECT business_id, key, operation, request_hash, created_at, response::jsonb
      FROM unnest(${p(0)}::uuid[], ${p(1)}::text[], ${p(2)}::text[], ${p(3)}::text[],
                  ${p(4)}::timestamptz[], ${p(5)}::text[])
        AS r(business_id, key, operation, request_hash, created_at, response)
    ON CONFLICT (business_id, key) DO UPDATE SET response = EXCLUDED.response`;
}

/** One row of responsesCte: the key and the use case's stored result. */
export const responseRow = (key: IdempotencyKeyRow, result: unknown): unknown[] => [
  key.businessId,
  key.key,
  key.operation,
  key.requestHash,
  key.createdAt,
  JSON.stringify(result),
];

/** How one use case of a batch was answered. */
export type BatchAnswer<Written> =
  | { readonly kind: 'written'; readonly written: Written }
  | { readonly kind: 'refused'; readonly error: DomainError }
  | { readonly kind: 'alone' };

/** A batch whose COMMIT may or may not have happened (see commitTracked). */
export class BatchOutcomeUnknown extends Error {
  constructor(override readonly cause: unknown) {
    super('the connection was lost while a group commit committed');
  }
}

/**
 * Runs a batch's transaction; `write` sets `progress.commitSent` just before it sends its last
 * statement with COMMIT behind it. PostgreSQL answering with an error (a SQLSTATE) means it
 * rolled back, COMMIT included. A connection lost once COMMIT was sent may have committed: the
 * use cases must not run again, so that is thrown as BatchOutcomeUnknown (each caller gets the
 * error; a client's idempotency key makes its retry safe).
 */
export async function commitTracked<T>(
  write: (progress: { commitSent: boolean }) => Promise<T>,
): Promise<T> {
  const progress = { commitSent: false };
  try {
    return await write(progress);
  } catch (error) {
    if (progress.commitSent && (sqlState(error) === undefined || isDatabaseUnavailable(error))) {
      throw new BatchOutcomeUnknown(error);
    }
    throw error;
  }
}

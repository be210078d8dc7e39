import type { Transaction } from './database';

/**
 * The next number of a per-business sequence (case numbers, credit notes, refunds): 1, 2, 3 ...
 * with no gaps. The upsert locks the counter row until the transaction ends, so racing callers get
 * distinct numbers, and a rolled-back transaction gives its number back.
 */
export async function nextNumber(
  tx: Transaction,
  businessId: string,
  counter: string,
): Promise<bigint> {
  const rows: Array<{ value: string }> = await tx.query(
    `INSERT INTO business_counters (business_id, name, value) VALUES ($1, $2, 1)
     ON CONFLICT (business_id, name) DO UPDATE SET value = business_counters.value + 1
     RETURNING value`,
    [businessId, counter],
  );
  return BigInt(rows[0]!.value);
}

/** "YS-000123": a prefix and a zero-padded number. */
export const formatNumber = (prefix: string, value: bigint, width = 6): string =>
  `${prefix}-${value.toString().padStart(width, '0')}`;

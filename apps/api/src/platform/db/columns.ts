import type { ColumnOptions, ValueTransformer } from 'typeorm';

/**
 * PostgreSQL bigint <-> JavaScript bigint. `pg` hands int8 back as a string (a JS number would
 * lose cents above 2^53); we turn it into a bigint and never into a number.
 */
export const bigintTransformer: ValueTransformer = {
  to: (value: bigint | null | undefined) =>
    value === null || value === undefined ? value : value.toString(),
  from: (value: string | null) => (value === null ? null : BigInt(value)),
};

/** A money or credits column: integer minor units / whole credits. */
export const bigintColumn = (options: ColumnOptions = {}): ColumnOptions => ({
  type: 'bigint',
  transformer: bigintTransformer,
  ...options,
});

/** A timestamp with time zone: instants are stored as instants. */
export const instantColumn = (options: ColumnOptions = {}): ColumnOptions => ({
  type: 'timestamptz',
  ...options,
});

import { createHash } from 'node:crypto';
import { BadInputError, DomainError, UserErrorCode } from '@refunds/domain';
import type { Database, Transaction } from './db/database';
import type { Clock } from './clock';
import { sql } from './db/statements';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface IdempotentRequest {
  readonly businessId: string;
  /** The caller's key; without one the work simply runs. */
  readonly key: string | null | undefined;
  /** The mutation, so one key cannot be replayed as another operation. */
  readonly operation: string;
  /** The input that the key promises is the same on a repeat (without the key itself). */
  readonly input: unknown;
}

const MAX_KEY_LENGTH = 200;

/**
 * The key a use case's work runs under, for a use case that writes the response itself, earlier
 * than the helper would (before recordEvent, inside one of its own statements), so the key row is
 * not updated after the business's event counter is locked.
 */
export interface IdempotencyClaim {
  readonly businessId: string;
  readonly key: string;
  /** The UPDATE that stores `result` as the key's response, its parameters numbered from `$first`. */
  responseSql(first: number): string;
  /** Its three parameters: business id, key, the response as JSON text. */
  responseValues(result: Json): unknown[];
  /** Says the response was written (through responseSql) or writes it now (responds(tx, result)). */
  responded(result: Json): void;
  respond(tx: Transaction, result: Json): Promise<void>;
  /**
   * With `foldClaim`, the key is not inserted before the work: the work inserts it in its first
   * statement (claimSql/claimValues, as the first CTE, and nothing of that statement may lock
   * or write unless the insert happened), then says whether it did (claimed). Until then it is
   * pending; claimAlone inserts it in a statement of its own (for a work's early exit).
   */
  readonly pending: boolean;
  /** `INSERT ... ON CONFLICT DO NOTHING RETURNING key`, its parameters numbered from `$first`. */
  claimSql(first: number): string;
  /** Its five parameters. */
  claimValues(): unknown[];
  /** Whether the folded insert happened; false ends the work (the stored response is replayed). */
  claimed(inserted: boolean): void;
  claimAlone(tx: Transaction): Promise<void>;
}

/** Thrown through the work when its folded claim found the key taken: run() replays instead. */
class KeyTaken extends Error {}

/** The key's row, inserted unless a committed (or, after waiting, committing) one is there. */
const claimSql = (
  first: number,
) => `INSERT INTO idempotency_keys (business_id, key, operation, request_hash, created_at)
       VALUES ($${first}::uuid, $${first + 1}::text, $${first + 2}::text, $${first + 3}::text,
               $${first + 4}::timestamptz)
       ON CONFLICT (business_id, key) DO NOTHING
       RETURNING key`;
const CLAIM = claimSql(1);

const STORE_RESPONSE = `UPDATE idempotency_keys SET response = $3::jsonb WHERE business_id = $1::uuid AND key = $2::text`;

/**
 * Idempotency keys, unique per business in the database.
 *
 * The key row is inserted first, inside the use case's transaction. A repeat that races the first
 * request blocks on that row's unique index until the first commits, then finds it and replays
 * the stored result; if the first rolled back (a rule refused it), the repeat runs the work itself.
 * The same key with a different input is refused with IDEMPOTENCY_KEY_REUSED.
 */
export class Idempotency {
  constructor(private readonly clock: Clock) {}

  /**
   * The usual shape of a money-moving use case: one transaction, claimed first under the input's
   * own `idempotencyKey` (the rest of the input is what a repeat must match). `afterCommit` runs
   * once the work has committed, never for a replay (e.g. to count what was recorded).
   */
  async transaction<T extends Json>(
    db: Database,
    businessId: string,
    operation: string,
    input: { readonly idempotencyKey?: string | null | undefined },
    work: (tx: Transaction, claim: IdempotencyClaim | null) => Promise<T>,
    options: {
      readonly afterCommit?: (result: T) => void;
      /** The work inserts the key in its first statement (see IdempotencyClaim.pending). */
      readonly foldClaim?: boolean;
    } = {},
  ): Promise<T> {
    const { idempotencyKey, ...rest } = input;
    // Whether this request's own work committed (not a replay of a stored result): reset on every
    // attempt, since the database may run the transaction again as a whole.
    let workRan = false;
    const result = await db.transaction((tx) => {
      workRan = false;
      return this.run(
        tx,
        { businessId, key: idempotencyKey, operation, input: rest },
        (claim) => {
          workRan = true;
          return work(tx, claim);
        },
        {
          foldClaim: options.foldClaim === true,
          onReplay: () => {
            workRan = false;
          },
        },
      );
    });
    if (workRan) options.afterCommit?.(result);
    return result;
  }

  /**
   * The key row a request would insert, for a use case that claims many keys in one statement
   * (the credit group commit); null without a key. A malformed key is refused here, as by run().
   */
  keyRow(
    businessId: string,
    operation: string,
    input: { readonly idempotencyKey?: string | null | undefined },
  ): IdempotencyKeyRow | null {
    const { idempotencyKey: key, ...rest } = input;
    if (key === null || key === undefined) return null;
    checkKey(key);
    return {
      businessId,
      key,
      operation,
      requestHash: hashRequest(operation, rest),
      createdAt: this.clock.now(),
    };
  }

  async run<T extends Json>(
    tx: Transaction,
    request: IdempotentRequest,
    work: (claim: IdempotencyClaim | null) => Promise<T>,
    options: { readonly foldClaim?: boolean; readonly onReplay?: () => void } = {},
  ): Promise<T> {
    const { key } = request;
    if (key === null || key === undefined) return work(null);
    checkKey(key);
    const requestHash = hashRequest(request.operation, request.input);
    const businessId = request.businessId;
    const claimValues = () => [businessId, key, request.operation, requestHash, this.clock.now()];
    const replay = async (): Promise<T> => {
      options.onReplay?.();
      const [stored] = await sql<{ request_hash: string; response: T }>(
        tx,
        'idempotencyStored',
        `SELECT request_hash, response FROM idempotency_keys
          WHERE business_id = $1::uuid AND key = $2::text`,
        [businessId, key],
      );
      if (!stored || stored.request_hash !== requestHash) {
        throw new DomainError(UserErrorCode.IDEMPOTENCY_KEY_REUSED, undefined, [
          'input',
          'idempotencyKey',
        ]);
      }
      return stored.response;
    };
    let pending = options.foldClaim === true;
    if (!pending) {
      const claimed = await sql(tx, 'idempotencyClaim', CLAIM, claimValues());
      if (claimed.length === 0) return replay();
    }
    // What the work said it stored (if it stored the response itself), as JSON text.
    let written: string | null = null;
    const settle = (inserted: boolean) => {
      if (!pending) throw new Error('the idempotency key was claimed already');
      pending = false;
      if (!inserted) throw new KeyTaken();
    };
    const claim: IdempotencyClaim = {
      businessId,
      key,
      get pending() {
        return pending;
      },
      claimSql: (first) => claimSql(first),
      claimValues,
      claimed: settle,
      claimAlone: async (into) => {
        settle((await sql(into, 'idempotencyClaim', CLAIM, claimValues())).length > 0);
      },
      responseSql: (first) =>
        `UPDATE idempotency_keys SET response = $${first + 2}::jsonb
          WHERE business_id = $${first}::uuid AND key = $${first + 1}::text`,
      responseValues: (result) => [businessId, key, JSON.stringify(result)],
      responded: (result) => {
        written = JSON.stringify(result);
      },
      respond: async (into, result) => {
        written = JSON.stringify(result);
        await sql(into, 'idempotencyRespond', STORE_RESPONSE, [businessId, key, written]);
      },
    };
    let result: T;
    try {
      result = await work(claim);
    } catch (error) {
      if (error instanceof KeyTaken) return replay();
      throw error;
    }
    if (pending) throw new Error('a work with a folded claim never claimed its key');
    // Stored already only if it is exactly what is returned; otherwise (or never) store it now.
    const response = JSON.stringify(result);
    if (written !== response) {
      await sql(tx, 'idempotencyRespond', STORE_RESPONSE, [businessId, key, response]);
    }
    return result;
  }
}

/** The columns of a key's row as first inserted (the response comes with the work's writes). */
export interface IdempotencyKeyRow {
  readonly businessId: string;
  readonly key: string;
  readonly operation: string;
  readonly requestHash: string;
  readonly createdAt: Date;
}

function checkKey(key: string): void {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new BadInputError(`An idempotency key has 1 to ${MAX_KEY_LENGTH} characters.`, [
      'input',
      'idempotencyKey',
    ]);
  }
}

function hashRequest(operation: string, input: unknown): string {
  return createHash('sha256')
    .update(operation)
    .update('\0')
    .update(canonicalJson(input))
    .digest('hex');
}

/** JSON with sorted keys and no undefined members, so equal inputs hash equally. */
export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined && member !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, member]) => `${JSON.stringify(name)}:${canonicalJson(member)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

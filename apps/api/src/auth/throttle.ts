import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Database } from '../platform/db/database';
import { rateLimited } from '../platform/graphql/errors';

/**
 * Limits of the anonymous mutations. Counters live in PostgreSQL (or the embedded PGlite) through
 * rate-limiter-flexible, so every API process on one database shares them, and an attempt is
 * counted (reserved) BEFORE the password is checked: concurrent guesses cannot all slip through
 * the check-then-count gap. Windows are fixed, in seconds.
 */
export const THROTTLE_LIMITS = {
  /** Wrong passwords for one account from one address: the attacker's budget. */
  loginPerAccountAndAddress: { points: 5, duration: 15 * 60 },
  /**
   * Wrong passwords for one account from anywhere. Looser, and only spent by attempts the limit
   * above let through, so one hammering address cannot lock the owner out; many addresses slow
   * down to this and the owner waits at most one window, never for good.
   */
  loginPerAccount: { points: 50, duration: 60 * 60 },
  /** Wrong passwords from one address for any account: high, as offices share one address. */
  loginPerAddress: { points: 300, duration: 60 * 60 },
  /** Businesses created from one address. */
  signUpPerAddress: { points: 20, duration: 60 * 60 },
} as const;

type Limit = { readonly points: number; readonly duration: number };

/** A reserved log-in attempt: give it back when the password was right. */
export interface LoginAttempt {
  /** This attempt used the last try of its account-and-address window. */
  readonly exhaustedAccount: boolean;
  succeeded(): Promise<void>;
}

export class Throttle {
  private readonly perAccountAndAddress: RateLimiterPostgres;
  private readonly perAccount: RateLimiterPostgres;
  private readonly perAddress: RateLimiterPostgres;
  private readonly signUps: RateLimiterPostgres;

  constructor(db: Database, limits: typeof THROTTLE_LIMITS = THROTTLE_LIMITS) {
    const limiter = (keyPrefix: string, limit: Limit) =>
      new RateLimiterPostgres({
        storeClient: storeClientFor(db),
        storeType: 'client',
        tableName: 'rate_limits',
        // The migration made the table; the library must not run DDL itself.
        tableCreated: true,
        // Every 5 minutes (an unref'd timer) the rows expired an hour ago are deleted, so keys
        // sprayed by an attacker do not pile up.
        clearExpiredByTimeout: true,
        keyPrefix,
        ...limit,
      });
    this.perAccountAndAddress = limiter('login-account-address', limits.loginPerAccountAndAddress);
    this.perAccount = limiter('login-account', limits.loginPerAccount);
    this.perAddress = limiter('login-address', limits.loginPerAddress);
    this.signUps = limiter('signup-address', limits.signUpPerAddress);
  }

  /**
   * Reserves one try for `account` from `address`, or throws RATE_LIMITED. The narrowest limit is
   * spent first and a refusal stops there, so an address over its own budget spends nothing of
   * the account's: the owner, from elsewhere, still gets in.
   */
  async reserveLogin(account: string, address: string): Promise<LoginAttempt> {
    const pair = `${account}|${address}`;
    await consumeOrRefuse(this.perAddress, address);
    const reserved = await consumeOrRefuse(this.perAccountAndAddress, pair);
    await consumeOrRefuse(this.perAccount, account);
    return {
      exhaustedAccount: reserved.remainingPoints === 0,
      succeeded: async () => {
        // A right password clears this pair and gives back the shared budgets' try, so that
        // successful log-ins never count against the owner or the office.
        await this.perAccountAndAddress.delete(pair);
        await this.perAccount.reward(account, 1);
        await this.perAddress.reward(address, 1);
      },
    };
  }

  /** Counts a sign-up from `address`, or throws RATE_LIMITED. */
  async reserveSignUp(address: string): Promise<void> {
    await consumeOrRefuse(this.signUps, address);
  }
}

async function consumeOrRefuse(limiter: RateLimiterPostgres, key: string): Promise<RateLimiterRes> {
  try {
    return await limiter.consume(key);
  } catch (refusal) {
    // The library rejects with a RateLimiterRes when over the limit, with an Error when the store
    // fails (which stays an error: an unreachable database must not open the door).
    if (refusal instanceof RateLimiterRes) {
      throw rateLimited(Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)));
    }
    throw refusal;
  }
}

/**
 * The library's `pg`-client shape (`query({ text, values })` → `{ rows, rowCount }`) over TypeORM,
 * so one code path serves PostgreSQL and the embedded PGlite (which has no `pg` client of its own).
 * Each statement is a single atomic upsert, so no transaction is needed around it.
 */
function storeClientFor(db: Database) {
  return {
    async query(statement: { text: string; values?: unknown[] }) {
      const runner = db.dataSource.createQueryRunner();
      try {
        const result = await runner.query(statement.text, statement.values, true);
        const rows = Array.isArray(result.records) ? result.records : [];
        return { rows, rowCount: result.affected ?? rows.length };
      } finally {
        await runner.release();
      }
    },
  };
}

import type { Caller } from '../platform/graphql/context';

/**
 * How long this process trusts what it read about a credential. This is the whole cross-process
 * revocation window: a logout, a revoked key or a removed member in ANOTHER API process (or a
 * change made straight in the database) takes effect here within this time. In THIS process the
 * service that revokes also forgets the entry, so it takes effect at once.
 */
export const CREDENTIAL_TTL_MS = 1_000;

/** Enough for every credential in use on a busy process; the oldest entries make room. */
export const CREDENTIAL_CACHE_SIZE = 10_000;

interface Entry {
  readonly caller: Caller;
  /** The credential's own expiry (a session's or a key's), checked against the app's clock. */
  readonly expiresAt: Date | null;
  /** Monotonic time after which the database is asked again. */
  readonly staleAt: number;
}

/**
 * Credential hash → caller, per process, so that a request does not cost a database round trip
 * to say who is calling. A Map with a size cap and a TTL rather than a library (lru-cache is not
 * among the dependencies, and a one-second TTL makes recency ordering pointless: a Map keeps
 * insertion order, so evicting its first keys drops the oldest entries, which expire first).
 *
 * Invalidation races: a request that read a credential's row just before a revocation committed
 * must not put its stale answer back after the revoking call forgot the entry. Every lookup
 * takes the cache's generation before it reads the database, and `set` drops an answer read
 * before the latest invalidation.
 */
export class CredentialCache {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;

  constructor(
    private readonly options: {
      readonly ttlMs?: number;
      readonly maxEntries?: number;
      /** Monotonic milliseconds; a test passes its own. */
      readonly monotonicNow?: () => number;
    } = {},
  ) {}

  private now(): number {
    return (this.options.monotonicNow ?? performance.now.bind(performance))();
  }

  /** The cached caller, or undefined when unknown, stale or past the credential's expiry. */
  get(credentialHash: string, at: Date): Caller | undefined {
    const entry = this.entries.get(credentialHash);
    if (!entry) return undefined;
    if (entry.staleAt <= this.now() || (entry.expiresAt && entry.expiresAt <= at)) {
      this.entries.delete(credentialHash);
      return undefined;
    }
    return entry.caller;
  }

  /** Taken before reading the database; handed back to `set`. */
  currentGeneration(): number {
    return this.generation;
  }

  set(credentialHash: string, caller: Caller, expiresAt: Date | null, generation: number): void {
    if (generation !== this.generation) return; // read before an invalidation: do not keep it
    const max = this.options.maxEntries ?? CREDENTIAL_CACHE_SIZE;
    this.entries.delete(credentialHash);
    while (this.entries.size >= max) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    this.entries.set(credentialHash, {
      caller,
      expiresAt,
      staleAt: this.now() + (this.options.ttlMs ?? CREDENTIAL_TTL_MS),
    });
  }

  /** Forgets every cached credential that matches (a session, a key, a member, a business). */
  forget(matches: (caller: Caller) => boolean): void {
    this.generation++;
    for (const [hash, entry] of this.entries) {
      if (matches(entry.caller)) this.entries.delete(hash);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * Collects the keys asked for in one tick and loads them with one query, so a list of 100 rows
 * that each show their customer, author or balance costs one query per field, not 100. Nothing is
 * cached beyond the tick: every request sees what is committed.
 */
export class BatchLoader<V> {
  private pending = new Map<string, { keys: Set<string>; waiters: Promise<Map<string, V>> }>();

  constructor(
    private readonly loadMany: (scope: string, keys: readonly string[]) => Promise<Map<string, V>>,
  ) {}

  /** The value for `key` within `scope` (a business id), or undefined when there is none. */
  async load(scope: string, key: string): Promise<V | undefined> {
    let batch = this.pending.get(scope);
    if (!batch) {
      const keys = new Set<string>();
      const waiters = new Promise<Map<string, V>>((resolve, reject) => {
        // setImmediate: after every resolver of this execution step has asked for its key.
        setImmediate(() => {
          this.pending.delete(scope);
          this.loadMany(scope, [...keys]).then(resolve, reject);
        });
      });
      batch = { keys, waiters };
      this.pending.set(scope, batch);
    }
    batch.keys.add(key);
    return (await batch.waiters).get(key);
  }
}

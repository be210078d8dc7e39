import type { Clock } from '../platform/clock';

export interface ThrottleLimit {
  readonly attempts: number;
  readonly windowMs: number;
}

/**
 * Counts failed log-ins per key (an email, a client address) in a sliding window, in memory: the
 * API is one process. A key over its limit is refused until its oldest failure leaves the window.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly limit: ThrottleLimit,
  ) {}

  /** Seconds to wait before `key` may try again, or 0. */
  retryAfterSeconds(key: string): number {
    const recent = this.recent(key);
    if (recent.length < this.limit.attempts) return 0;
    const oldest = recent[recent.length - this.limit.attempts]!;
    return Math.max(
      1,
      Math.ceil((oldest + this.limit.windowMs - this.clock.now().getTime()) / 1000),
    );
  }

  recordFailure(key: string): void {
    this.failures.set(key, [...this.recent(key), this.clock.now().getTime()]);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string): number[] {
    const since = this.clock.now().getTime() - this.limit.windowMs;
    const recent = (this.failures.get(key) ?? []).filter((at) => at > since);
    if (recent.length === 0) this.failures.delete(key);
    else this.failures.set(key, recent);
    return recent;
  }
}

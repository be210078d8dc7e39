/**
 * When to replace a worker that died unexpectedly. The first death in a while is replaced at
 * once (a bug hit by one request should not cost a core for long); deaths that follow each other
 * wait twice as long each time, up to MAX_DELAY_MS, so a crash loop (a bad deploy, a database
 * that refuses connections) does not spin the machine or flood the log.
 */
export const WINDOW_MS = 60_000;
export const FIRST_DELAY_MS = 500;
export const MAX_DELAY_MS = 30_000;

export class RestartBackoff {
  private deaths: number[] = [];

  /** Records a death at `now` and says how long to wait before starting the replacement. */
  delayAfterDeath(now: number): number {
    this.deaths = this.deaths.filter((at) => now - at < WINDOW_MS);
    this.deaths.push(now);
    const recent = this.deaths.length;
    if (recent <= 1) return 0;
    return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (recent - 2));
  }
}

import { MAX_DELAY_MS, RestartBackoff, WINDOW_MS } from './restart-backoff';

describe('RestartBackoff', () => {
  it('replaces a lone death at once', () => {
    expect(new RestartBackoff().delayAfterDeath(1_000)).toBe(0);
  });

  it('doubles the wait for deaths in a row, up to the cap', () => {
    const backoff = new RestartBackoff();
    const delays = Array.from({ length: 10 }, (_, i) => backoff.delayAfterDeath(1_000 + i * 10));
    expect(delays.slice(0, 5)).toEqual([0, 500, 1_000, 2_000, 4_000]);
    expect(Math.max(...delays)).toBe(MAX_DELAY_MS);
    for (let i = 1; i < delays.length; i++)
      expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]!);
  });

  it('forgets deaths older than the window', () => {
    const backoff = new RestartBackoff();
    backoff.delayAfterDeath(0);
    backoff.delayAfterDeath(10);
    expect(backoff.delayAfterDeath(20)).toBe(1_000);
    expect(backoff.delayAfterDeath(20 + WINDOW_MS)).toBe(0);
  });
});

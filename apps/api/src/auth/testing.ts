/**
 * Test helpers for the auth feature. The throttle's windows run on the wall clock
 * (rate-limiter-flexible reads `Date.now()`, not the app's Clock), so tests move `Date` alone:
 * timers, ticks and I/O keep running for real.
 */
export async function atWallClock<T>(epochMs: number, work: () => Promise<T>): Promise<T> {
  jest.useFakeTimers({
    now: epochMs,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
  try {
    return await work();
  } finally {
    jest.useRealTimers();
  }
}

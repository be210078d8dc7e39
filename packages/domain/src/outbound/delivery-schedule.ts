/**
 * When a failed delivery (webhook or e-mail) is tried again. Exponential: 1 min, then three
 * times longer each time, so the eighth and last attempt comes about 18 hours after the first;
 * a receiver that is down for most of a day still gets everything. After that the delivery is
 * FAILED and only a person (resend) brings it back.
 */
export const FIRST_RETRY_DELAY_MS = 60_000;
export const RETRY_GROWTH = 3;
export const MAX_DELIVERY_ATTEMPTS = 8;

/**
 * The wait before the next attempt after `attemptsMade` attempts have failed, or null when the
 * delivery has had all of its attempts.
 */
export function retryDelayMs(attemptsMade: number): number | null {
  if (!Number.isInteger(attemptsMade) || attemptsMade < 1) {
    throw new RangeError(`attemptsMade must be a positive integer, got ${attemptsMade}`);
  }
  if (attemptsMade >= MAX_DELIVERY_ATTEMPTS) return null;
  return FIRST_RETRY_DELAY_MS * RETRY_GROWTH ** (attemptsMade - 1);
}

/** The whole retry window: from the first attempt to the last. */
export function retryWindowMs(): number {
  let total = 0;
  for (let attempt = 1; attempt < MAX_DELIVERY_ATTEMPTS; attempt++) total += retryDelayMs(attempt)!;
  return total;
}

import { useEffect } from 'react';

/**
 * How often a screen reloads what the background worker is about to change. The worker takes due
 * jobs every 2 seconds, so a little more than that. Tests shorten it.
 */
export const refreshTiming = { ms: 3000 };

/**
 * Reloads a query every refreshTiming.ms while `active` (e.g. a delivery or an e-mail is still
 * waiting for the worker), so the screen shows the outcome without the person reopening it, and
 * stops as soon as nothing is waiting or the screen closes.
 */
export function useRefreshWhile(
  active: boolean,
  query: { startPolling(ms: number): void; stopPolling(): void },
): void {
  const { startPolling, stopPolling } = query;
  useEffect(() => {
    if (!active) return undefined;
    startPolling(refreshTiming.ms);
    return () => stopPolling();
  }, [active, startPolling, stopPolling]);
}

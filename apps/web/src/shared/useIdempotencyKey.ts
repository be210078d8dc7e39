import { useCallback, useState } from 'react';

/**
 * A key made once, when the form or dialog that uses it mounts (i.e. opens), so a double click or a
 * retry after a lost response sends the same key and the API records the operation once.
 * `renew()` makes a fresh key: call it after the API gave a definite refusal (userErrors), so a
 * corrected second attempt is not answered IDEMPOTENCY_KEY_REUSED.
 */
export function useIdempotencyKey(): readonly [key: string, renew: () => void] {
  const [key, setKey] = useState(() => crypto.randomUUID());
  const renew = useCallback(() => setKey(crypto.randomUUID()), []);
  return [key, renew] as const;
}

import { useRef, useState } from 'react';
import { requestErrorMessage, splitUserErrors, type UserError } from './errors';
import { useIdempotencyKey } from './useIdempotencyKey';

/**
 * What every form that runs a mutation shares: an idempotency key made when it opens, one request at a time,
 * userErrors split between fields and an alert (a refusal renews the key; an unknown outcome
 * keeps it so a retry cannot record twice).
 */
export function useMutationForm(fields: readonly string[]) {
  const [key, renewKey] = useIdempotencyKey();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const inFlight = useRef(false);

  /** Runs `send` unless one is in flight; `send` answers the payload's object and userErrors. */
  async function run<T>(
    send: () => Promise<{ result: T | null | undefined; userErrors: readonly UserError[] }>,
    nothingMessage: string,
  ): Promise<T | null> {
    if (inFlight.current) return null;
    inFlight.current = true;
    setGeneral([]);
    try {
      const { result, userErrors } = await send();
      if (!result) {
        const split = splitUserErrors(userErrors, fields);
        setFieldErrors(split.byField);
        setGeneral(
          split.general.length || Object.keys(split.byField).length
            ? split.general
            : [nothingMessage],
        );
        renewKey();
        return null;
      }
      setFieldErrors({});
      return result;
    } catch (error) {
      setGeneral([requestErrorMessage(error)]);
      return null;
    } finally {
      inFlight.current = false;
    }
  }

  return { key, renewKey, fieldErrors, setFieldErrors, general, setGeneral, run };
}

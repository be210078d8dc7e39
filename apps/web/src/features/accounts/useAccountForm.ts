import { useRef, useState } from 'react';
import { requestErrorMessage, splitUserErrors, type UserError } from '../../shared/errors';
import { useIdempotencyKey } from '../../shared/useIdempotencyKey';
import { checkAmount } from './amount';

/**
 * What every account form shares: an idempotency key made when it opens, one request at a time,
 * userErrors split between fields and an alert (a refusal renews the key; an unknown outcome
 * keeps it so a retry cannot record twice).
 */
export function useAccountForm(fields: readonly string[]) {
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

  /**
   * For a form whose only checked field is an amount: reads it with the domain's strict parse,
   * shows the refusal next to the field, or sends the Decimal string through `run`.
   */
  async function runWithAmount<T>(
    typed: string,
    currency: string,
    send: (
      amount: string,
    ) => Promise<{ result: T | null | undefined; userErrors: readonly UserError[] }>,
    nothingMessage: string,
  ): Promise<T | null> {
    const checked = checkAmount(typed, currency);
    if (!checked.ok) {
      setFieldErrors({ amount: checked.message });
      return null;
    }
    setFieldErrors({});
    return run(() => send(checked.wire), nothingMessage);
  }

  return { key, fieldErrors, setFieldErrors, general, setGeneral, run, runWithAmount };
}

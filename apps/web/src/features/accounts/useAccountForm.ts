import { type UserError } from '../../shared/errors';
import { useMutationForm } from '../../shared/useMutationForm';
import { checkAmount } from './amount';

/** The shared mutation form, plus the amount check most account forms start with. */
export function useAccountForm(fields: readonly string[]) {
  const form = useMutationForm(fields);

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
      form.setFieldErrors({ amount: checked.message });
      return null;
    }
    form.setFieldErrors({});
    return form.run(() => send(checked.wire), nothingMessage);
  }

  return { ...form, runWithAmount };
}

import { useMutation } from '@apollo/client/react';
import { Button, Group, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import {
  MAX_CREDIT_NOTE_LENGTH,
  MAX_CREDITS,
  parseCredits,
  requireCorrectionComment,
} from '@refunds/domain';
import { useState } from 'react';
import { AdjustBalanceDocument } from '../../../gql/graphql';
import { useCurrent } from '../../../shared/current';
import { FormErrors } from '../../../shared/errors';
import { useMutationForm } from '../../../shared/useMutationForm';
import { formatCredits, isBeyondCreditsLimit } from '../../transactions/credits';

const FIELDS = ['credits', 'comment'];

/** A signed whole number, not zero: what the correction adds (+) or removes (-). */
export function correctionCreditsError(value: string, locale: string): string | null {
  if (isBeyondCreditsLimit(value)) {
    return `At most ${formatCredits(MAX_CREDITS.toString(), locale)} credits in one correction.`;
  }
  const parsed = parseCredits(value.trim(), { allowNegative: true });
  if (!parsed.ok || parsed.value === 0n) {
    return 'Enter a whole number of credits, e.g. 25 to add or -10 to remove.';
  }
  return null;
}

/** "Add credits to customer's account": a signed correction with a required comment. */
export function CorrectionForm({ customerId }: { customerId: string }) {
  const { locale } = useCurrent();
  const [credits, setCredits] = useState('');
  const [comment, setComment] = useState('');
  const form = useMutationForm(FIELDS);
  const [newBalance, setNewBalance] = useState<string | null>(null);
  const [adjustBalance, { loading }] = useMutation(AdjustBalanceDocument, {
    refetchQueries: ['CustomerDetail'],
  });

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    const creditsError = correctionCreditsError(credits, locale);
    if (creditsError) errors['credits'] = creditsError;
    const checkedComment = requireCorrectionComment(comment);
    if (!checkedComment.ok) errors['comment'] = checkedComment.error.message;
    form.setFieldErrors(errors);
    setNewBalance(null);
    if (Object.keys(errors).length > 0 || !checkedComment.ok) return;
    const adjusted = await form.run(async () => {
      const { data } = await adjustBalance({
        variables: {
          input: {
            customerId,
            credits: credits.trim(),
            comment: checkedComment.value,
            idempotencyKey: form.key,
          },
        },
      });
      const payload = data?.adjustBalance;
      return {
        result: payload?.transaction
          ? (payload.customer?.creditBalance ?? payload.transaction.balanceAfter)
          : null,
        userErrors: payload?.userErrors ?? [],
      };
    }, 'The balance was not changed.');
    if (adjusted !== null) {
      setNewBalance(adjusted);
      setCredits('');
      setComment('');
      // Done: the next correction is another request.
      form.renewKey();
    }
  };

  return (
    <Stack component="section" aria-labelledby="correction-title" gap="sm">
      <Title order={2} size="h4" id="correction-title">
        Add credits to customer&apos;s account
      </Title>
      <form onSubmit={submit} noValidate aria-labelledby="correction-title">
        <Stack gap="sm" maw={480}>
          <TextInput
            label="Credits"
            description="A whole number: positive adds credits, negative (e.g. -10) removes them."
            inputMode="numeric"
            value={credits}
            onChange={(e) => setCredits(e.currentTarget.value)}
            error={form.fieldErrors['credits']}
            required
          />
          <Textarea
            label="Comment"
            description="Required. Says why the balance changes."
            autosize
            minRows={2}
            maxLength={MAX_CREDIT_NOTE_LENGTH + 1}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            error={form.fieldErrors['comment']}
            required
          />
          <FormErrors messages={form.general} />
          <Group>
            <Button type="submit" loading={loading}>
              Add
            </Button>
          </Group>
          <div role="status" aria-live="polite">
            {newBalance !== null && (
              <Text c="teal.8" fw={600}>
                Saved. New balance: {formatCredits(newBalance, locale)} credits
              </Text>
            )}
          </div>
        </Stack>
      </form>
    </Stack>
  );
}

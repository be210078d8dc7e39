import { useMutation } from '@apollo/client/react';
import { Button, Group, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { MAX_CREDIT_NOTE_LENGTH, parseCredits, requireCorrectionComment } from '@refunds/domain';
import { useRef, useState } from 'react';
import { AdjustBalanceDocument } from '../../../gql/graphql';
import { useCurrent } from '../../../shared/current';
import { FormErrors, requestErrorMessage, splitUserErrors } from '../../../shared/errors';
import { useIdempotencyKey } from '../../../shared/useIdempotencyKey';
import { formatCredits } from '../../transactions/credits';

const FIELDS = ['credits', 'comment'];

/** A signed whole number, not zero: what the correction adds (+) or removes (-). */
export function correctionCreditsError(value: string): string | null {
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
  const [key, renewKey] = useIdempotencyKey();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [newBalance, setNewBalance] = useState<string | null>(null);
  const inFlight = useRef(false);
  const [adjustBalance, { loading }] = useMutation(AdjustBalanceDocument, {
    refetchQueries: ['CustomerDetail'],
  });

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (inFlight.current) return;
    const errors: Record<string, string> = {};
    const creditsError = correctionCreditsError(credits);
    if (creditsError) errors['credits'] = creditsError;
    const checkedComment = requireCorrectionComment(comment);
    if (!checkedComment.ok) errors['comment'] = checkedComment.error.message;
    setFieldErrors(errors);
    setGeneral([]);
    setNewBalance(null);
    if (Object.keys(errors).length > 0 || !checkedComment.ok) return;
    inFlight.current = true;
    try {
      const { data } = await adjustBalance({
        variables: {
          input: {
            customerId,
            credits: credits.trim(),
            comment: checkedComment.value,
            idempotencyKey: key,
          },
        },
      });
      const payload = data?.adjustBalance;
      if (!payload?.transaction) {
        const split = splitUserErrors(payload?.userErrors ?? [], FIELDS);
        setFieldErrors(split.byField);
        setGeneral(
          split.general.length || Object.keys(split.byField).length
            ? split.general
            : ['The balance was not changed.'],
        );
        renewKey();
        return;
      }
      setNewBalance(payload.customer?.creditBalance ?? payload.transaction.balanceAfter);
      setCredits('');
      setComment('');
      // Done: the next correction is another request.
      renewKey();
    } catch (error) {
      // Unknown outcome: keep the key so a retry cannot apply the correction twice.
      setGeneral([requestErrorMessage(error)]);
    } finally {
      inFlight.current = false;
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
            error={fieldErrors['credits']}
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
            error={fieldErrors['comment']}
            required
          />
          <FormErrors messages={general} />
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

import { useMutation } from '@apollo/client/react';
import { Button, Group, Stack, Textarea, TextInput } from '@mantine/core';
import { MAX_ACCOUNT_TEXT_LENGTH } from '@refunds/domain';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { CreateCreditNoteDocument } from '../../../gql/graphql';
import { useCurrent } from '../../../shared/current';
import { FormErrors } from '../../../shared/errors';
import { useMoney } from '../../../shared/useMoney';
import { useAccountForm } from '../useAccountForm';

const FIELDS = ['amount', 'reason'];

/** A credit note: money the business owes the customer on account. */
export function CreditNoteForm({ customerId, onDone }: { customerId: string; onDone: () => void }) {
  const { business } = useCurrent();
  const money = useMoney();
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const form = useAccountForm(FIELDS);
  const [createCreditNote, { loading }] = useMutation(CreateCreditNoteDocument, {
    refetchQueries: ['CustomerAccount'],
    awaitRefetchQueries: true,
  });

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const credit = await form.runWithAmount(
      amount,
      business.currency,
      async (wire) => {
        const { data } = await createCreditNote({
          variables: {
            input: {
              customerId,
              amount: { amount: wire, currency: business.currency },
              reason: reason.trim() || null,
              idempotencyKey: form.key,
            },
          },
        });
        return {
          result: data?.createCreditNote.credit,
          userErrors: data?.createCreditNote.userErrors ?? [],
        };
      },
      'No credit note was created.',
    );
    if (credit) {
      notifications.show({ message: `Credit note ${credit.number} for ${money(credit.amount)}.` });
      onDone();
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          label={`Amount (${business.currency})`}
          inputMode="decimal"
          value={amount}
          onChange={(e) => setAmount(e.currentTarget.value)}
          error={form.fieldErrors['amount']}
          required
          data-autofocus
        />
        <Textarea
          label="Reason"
          description="Optional."
          autosize
          minRows={2}
          maxLength={MAX_ACCOUNT_TEXT_LENGTH + 1}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={form.fieldErrors['reason']}
        />
        <FormErrors messages={form.general} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone} disabled={loading}>
            Cancel
          </Button>
          <Button type="submit" loading={loading}>
            Create credit note
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

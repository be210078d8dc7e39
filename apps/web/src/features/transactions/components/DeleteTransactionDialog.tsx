import { useMutation } from '@apollo/client/react';
import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { MAX_CREDIT_NOTE_LENGTH } from '@refunds/domain';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import {
  type CreditTransactionRowFragment,
  DeleteTransactionDocument,
  type RefundReason,
} from '../../../gql/graphql';
import { RefundReasonSelect } from '../../../shared/RefundReasonSelect';
import { useCurrent } from '../../../shared/current';
import { FormErrors } from '../../../shared/errors';
import { useMutationForm } from '../../../shared/useMutationForm';
import { formatCredits, KIND_LABELS } from '../credits';

const FIELDS = ['reason'];

/** Asks before deleting a refund or correction entered by mistake, and why. */
export function DeleteTransactionDialog({
  entry,
  onClose,
}: {
  entry: CreditTransactionRowFragment | null;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={entry !== null}
      onClose={onClose}
      title={
        <Text fw={700}>Delete this {entry ? KIND_LABELS[entry.kind].toLowerCase() : 'entry'}?</Text>
      }
    >
      {entry && <DeleteForm key={entry.id} entry={entry} onDone={onClose} />}
    </Modal>
  );
}

function DeleteForm({
  entry,
  onDone,
}: {
  entry: CreditTransactionRowFragment;
  onDone: () => void;
}) {
  const { locale } = useCurrent();
  const [reason, setReason] = useState('');
  const [category, setCategory] = useState<RefundReason | null>(null);
  const form = useMutationForm(FIELDS);
  const [deleteTransaction, { loading }] = useMutation(DeleteTransactionDocument, {
    refetchQueries: ['CreditTransactions'],
    awaitRefetchQueries: true,
  });

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const trimmed = reason.trim();
    if (!trimmed) {
      form.setFieldErrors({ reason: 'Say why this entry is deleted.' });
      return;
    }
    if (trimmed.length > MAX_CREDIT_NOTE_LENGTH) {
      form.setFieldErrors({
        reason: `Keep the reason under ${MAX_CREDIT_NOTE_LENGTH} characters.`,
      });
      return;
    }
    form.setFieldErrors({});
    const deleted = await form.run(async () => {
      const { data } = await deleteTransaction({
        variables: {
          input: {
            transactionId: entry.id,
            reason: trimmed,
            reasonCategory: category,
            idempotencyKey: form.key,
          },
        },
      });
      return {
        result: data?.deleteTransaction.transaction,
        userErrors: data?.deleteTransaction.userErrors ?? [],
      };
    }, 'Nothing was deleted.');
    if (deleted) {
      notifications.show({ message: `${KIND_LABELS[entry.kind]} reversed.` });
      onDone();
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm">
          The {KIND_LABELS[entry.kind].toLowerCase()} of{' '}
          <strong>{formatCredits(entry.credits, locale, true)}</strong> credits for{' '}
          {entry.customer.name} stays in the list, struck through and marked Reversed. A reversal
          entry of the opposite amount is added to the ledger with your reason, so the balance and
          its history stay true.
        </Text>
        <RefundReasonSelect
          value={category}
          onChange={setCategory}
          description="Optional. Kept on the reversal entry."
        />
        <Textarea
          label="Reason"
          description="Required. Shown on the reversed entry and its reversal."
          autosize
          minRows={2}
          maxLength={MAX_CREDIT_NOTE_LENGTH + 1}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={form.fieldErrors['reason']}
          required
          data-autofocus
        />
        <FormErrors messages={form.general} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone} disabled={loading}>
            Cancel
          </Button>
          <Button type="submit" color="red" loading={loading}>
            Delete
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

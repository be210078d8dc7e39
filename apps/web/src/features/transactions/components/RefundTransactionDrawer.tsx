import { useMutation } from '@apollo/client/react';
import {
  Button,
  Checkbox,
  Drawer,
  Group,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { MAX_CREDIT_NOTE_LENGTH, parsePositiveCredits } from '@refunds/domain';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import {
  type CreditTransactionRowFragment,
  RefundTransactionDocument,
  type RefundReason,
} from '../../../gql/graphql';
import { RefundReasonSelect } from '../../../shared/RefundReasonSelect';
import { useCurrent } from '../../../shared/current';
import { formatDateTime } from '../../../shared/dates';
import { FormErrors } from '../../../shared/errors';
import { useMutationForm } from '../../../shared/useMutationForm';
import { creditsOf, formatCredits, isBeyondCreditsLimit } from '../credits';

const FIELDS = ['credits', 'reason'];

/** What a refund of `amount` credits may be, checked before anything is sent. */
export function refundAmountError(amount: string, refundable: bigint): string | null {
  const parsed = parsePositiveCredits(amount.trim());
  // 10^20 is a whole number above zero: what stops it is the limit, so say the limit.
  if (!parsed.ok && !isBeyondCreditsLimit(amount))
    return 'Enter a whole number of credits above zero.';
  if (!parsed.ok || parsed.value > refundable) {
    return `At most ${refundable.toString()} credits can still be refunded.`;
  }
  return null;
}

interface Props {
  /** The SPEND to refund; null when the panel is closed. */
  spend: CreditTransactionRowFragment | null;
  onClose: () => void;
}

/** The "Refund transaction" panel: the spend's numbers, an amount and a reason. */
export function RefundTransactionDrawer({ spend, onClose }: Props) {
  return (
    <Drawer
      opened={spend !== null}
      onClose={onClose}
      position="right"
      size="md"
      title={<Text fw={700}>Refund transaction</Text>}
      closeButtonProps={{ 'aria-label': 'Close refund panel' }}
    >
      {/* Mounted only while open: each opening makes its own idempotency key and default amount. */}
      {spend && <RefundForm key={spend.id} spend={spend} onDone={onClose} />}
    </Drawer>
  );
}

function RefundForm({
  spend,
  onDone,
}: {
  spend: CreditTransactionRowFragment;
  onDone: () => void;
}) {
  const { business, locale } = useCurrent();
  const refundable = creditsOf(spend.refundableCredits) ?? 0n;
  const original = creditsOf(spend.credits) ?? 0n;
  const [amount, setAmount] = useState(refundable.toString());
  const [reason, setReason] = useState('');
  const [category, setCategory] = useState<RefundReason | null>(null);
  const [tellCustomer, setTellCustomer] = useState(false);
  const form = useMutationForm(FIELDS);
  // The refund is a new entry at the top of the list, and the spend's refundable amount changes;
  // after a refusal the refetch shows the panel what is refundable now.
  const [refundTransaction, { loading }] = useMutation(RefundTransactionDocument, {
    refetchQueries: ['CreditTransactions'],
    awaitRefetchQueries: true,
  });

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    const amountError = refundAmountError(amount, refundable);
    if (amountError) errors['credits'] = amountError;
    if (reason.trim().length > MAX_CREDIT_NOTE_LENGTH) {
      errors['reason'] = `Keep the reason under ${MAX_CREDIT_NOTE_LENGTH} characters.`;
    }
    form.setFieldErrors(errors);
    if (Object.keys(errors).length > 0) return;
    const refund = await form.run(async () => {
      const { data } = await refundTransaction({
        variables: {
          input: {
            transactionId: spend.id,
            credits: amount.trim(),
            // Refused (INVALID_STATE) if someone refunded since this row was loaded.
            expectedRefundedCredits: spend.refundedCredits,
            reason: reason.trim() || null,
            reasonCategory: category,
            idempotencyKey: form.key,
            notifyCustomer: tellCustomer,
          },
        },
      });
      return {
        result: data?.refundTransaction.transaction,
        userErrors: data?.refundTransaction.userErrors ?? [],
      };
    }, 'No refund was recorded.');
    if (refund) {
      notifications.show({
        color: 'coral',
        message: `Refunded ${formatCredits(refund.credits, locale)} credits to ${spend.customer.name}.`,
      });
      onDone();
    }
  };

  const credits = (value: bigint) => formatCredits(value.toString(), locale);
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm">
          {spend.customer.name}, spend of{' '}
          {formatDateTime(spend.createdAt, locale, business.timezone)}
          {spend.description ? `: ${spend.description}` : ''}
        </Text>
        <Table withRowBorders={false} aria-label="Refund limits">
          <Table.Tbody>
            <Table.Tr>
              <Table.Th scope="row">Original amount</Table.Th>
              <Table.Td ta="right">{credits(original < 0n ? -original : original)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th scope="row">Already refunded</Table.Th>
              <Table.Td ta="right">{formatCredits(spend.refundedCredits, locale)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th scope="row">Refundable</Table.Th>
              <Table.Td ta="right">{credits(refundable)}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
        <TextInput
          label="Credits to refund"
          description={`A whole number, at most ${credits(refundable)}.`}
          inputMode="numeric"
          value={amount}
          onChange={(e) => setAmount(e.currentTarget.value)}
          error={form.fieldErrors['credits']}
          required
          data-autofocus
        />
        <RefundReasonSelect value={category} onChange={setCategory} />
        <Textarea
          label="Reason"
          description="Optional. Kept on the refund entry."
          autosize
          minRows={2}
          maxLength={MAX_CREDIT_NOTE_LENGTH + 1}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={form.fieldErrors['reason']}
        />
        <Checkbox
          label="Tell the customer by e-mail"
          description="Sends them the credits given back and the reason."
          checked={tellCustomer}
          onChange={(e) => setTellCustomer(e.currentTarget.checked)}
        />
        <FormErrors messages={form.general} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone} disabled={loading}>
            Cancel
          </Button>
          <Button type="submit" color="coral" loading={loading}>
            Refund
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

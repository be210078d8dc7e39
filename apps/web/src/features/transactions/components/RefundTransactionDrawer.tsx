import { useMutation } from '@apollo/client/react';
import { Button, Drawer, Group, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { MAX_CREDIT_NOTE_LENGTH, parsePositiveCredits } from '@refunds/domain';
import { notifications } from '@mantine/notifications';
import { useRef, useState } from 'react';
import { type CreditTransactionRowFragment, RefundTransactionDocument } from '../../../gql/graphql';
import { useCurrent } from '../../../shared/current';
import { formatDateTime } from '../../../shared/dates';
import { FormErrors, requestErrorMessage, splitUserErrors } from '../../../shared/errors';
import { useIdempotencyKey } from '../../../shared/useIdempotencyKey';
import { creditsOf, formatCredits } from '../credits';

const FIELDS = ['credits', 'reason'];

/** What a refund of `amount` credits may be, checked before anything is sent. */
export function refundAmountError(amount: string, refundable: bigint): string | null {
  const parsed = parsePositiveCredits(amount.trim());
  if (!parsed.ok) return 'Enter a whole number of credits above zero.';
  if (parsed.value > refundable) {
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
  const [key, renewKey] = useIdempotencyKey();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const inFlight = useRef(false);
  // The refund is a new entry at the top of the list, and the spend's refundable amount changes;
  // after a refusal the refetch shows the panel what is refundable now.
  const [refundTransaction, { loading }] = useMutation(RefundTransactionDocument, {
    refetchQueries: ['CreditTransactions'],
    awaitRefetchQueries: true,
  });

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (inFlight.current) return;
    const errors: Record<string, string> = {};
    const amountError = refundAmountError(amount, refundable);
    if (amountError) errors['credits'] = amountError;
    if (reason.trim().length > MAX_CREDIT_NOTE_LENGTH) {
      errors['reason'] = `Keep the reason under ${MAX_CREDIT_NOTE_LENGTH} characters.`;
    }
    setFieldErrors(errors);
    setGeneral([]);
    if (Object.keys(errors).length > 0) return;
    inFlight.current = true;
    try {
      const { data } = await refundTransaction({
        variables: {
          input: {
            transactionId: spend.id,
            credits: amount.trim(),
            // Refused (INVALID_STATE) if someone refunded since this row was loaded.
            expectedRefundedCredits: spend.refundedCredits,
            reason: reason.trim() || null,
            idempotencyKey: key,
          },
        },
      });
      const payload = data?.refundTransaction;
      if (!payload?.transaction) {
        const split = splitUserErrors(payload?.userErrors ?? [], FIELDS);
        setFieldErrors(split.byField);
        setGeneral(
          split.general.length || Object.keys(split.byField).length
            ? split.general
            : ['No refund was recorded.'],
        );
        // A definite refusal recorded nothing: a corrected retry is a new request.
        renewKey();
        return;
      }
      notifications.show({
        color: 'coral',
        message: `Refunded ${formatCredits(payload.transaction.credits, locale)} credits to ${spend.customer.name}.`,
      });
      onDone();
    } catch (error) {
      // Unknown outcome: keep the key so a retry cannot refund twice.
      setGeneral([requestErrorMessage(error)]);
    } finally {
      inFlight.current = false;
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
          error={fieldErrors['credits']}
          required
          data-autofocus
        />
        <Textarea
          label="Reason"
          description="Optional. Kept on the refund entry."
          autosize
          minRows={2}
          maxLength={MAX_CREDIT_NOTE_LENGTH + 1}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={fieldErrors['reason']}
        />
        <FormErrors messages={general} />
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

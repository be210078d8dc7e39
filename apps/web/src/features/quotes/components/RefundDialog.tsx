import { useMutation } from '@apollo/client/react';
import {
  Button,
  Checkbox,
  Group,
  List,
  Modal,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { MAX_REFUND_REASON_LENGTH, normalizeRefundReason } from '@refunds/domain';
import { useRef, useState } from 'react';
import {
  type QuoteDetailFragment,
  RecordRefundDocument,
  type RefundReason as WireRefundReason,
} from '../../../gql/graphql';
import { checkRefundAmount, sameAmount } from '../refundAmount';
import { useCurrent } from '../../../shared/current';
import { RefundReasonSelect } from '../../../shared/RefundReasonSelect';
import { FormErrors, requestErrorMessage, splitUserErrors } from '../../../shared/errors';
import { useIdempotencyKey } from '../../../shared/useIdempotencyKey';
import { useMoney } from '../../../shared/useMoney';
import { QUOTE_LIST_QUERIES } from '../quoteActions';

interface Props {
  quote: QuoteDetailFragment;
  opened: boolean;
  onClose: () => void;
}

export function RefundDialog({ quote, opened, onClose }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={700}>Refund {quote.number}</Text>}>
      {/* Mounted only while open: each opening makes its own idempotency key. */}
      {opened && <RefundForm quote={quote} onDone={onClose} onCancel={onClose} />}
    </Modal>
  );
}

function RefundForm({
  quote,
  onDone,
  onCancel,
}: {
  quote: QuoteDetailFragment;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { business } = useCurrent();
  const money = useMoney();
  const [reason, setReason] = useState('');
  // Defaults to everything still refundable: a full refund, as before partial refunds existed.
  const [amount, setAmount] = useState(quote.refundableAmount.amount);
  const [category, setCategory] = useState<WireRefundReason | null>(null);
  const [tellCustomer, setTellCustomer] = useState(false);
  const [key, renewKey] = useIdempotencyKey();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);
  // A ref, not state: a second click in the same tick must see the first one in flight.
  const inFlight = useRef(false);
  const [recordRefund, { loading }] = useMutation(RecordRefundDocument, {
    refetchQueries: QUOTE_LIST_QUERIES,
  });

  // Whether what is typed refunds everything left: the dialog then says what a full refund does.
  const full = sameAmount(amount, quote.refundableAmount);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (inFlight.current) return;
    // The domain's rule: blank means no reason; too long is refused before anything is sent.
    const normalized = normalizeRefundReason(reason);
    if (!normalized.ok) {
      setFieldErrors({ reason: normalized.error.message });
      return;
    }
    // The domain's strict parse, and at most what is still refundable, before anything is sent.
    const checked = checkRefundAmount(amount, quote.refundableAmount, money);
    if (!checked.ok) {
      setFieldErrors({ amount: checked.message });
      return;
    }
    inFlight.current = true;
    setFieldErrors({});
    setGeneral([]);
    try {
      const { data } = await recordRefund({
        variables: {
          input: {
            quoteId: quote.id,
            amount: checked.wire,
            reason: normalized.value,
            reasonCategory: category,
            idempotencyKey: key,
            notifyCustomer: tellCustomer,
          },
        },
      });
      const payload = data?.recordRefund;
      if (!payload || payload.userErrors.length > 0) {
        const { byField, general: rest } = splitUserErrors(payload?.userErrors ?? [], [
          'reason',
          'amount',
        ]);
        setFieldErrors(byField);
        setGeneral(rest.length || Object.keys(byField).length ? rest : ['No refund was recorded.']);
        // A definite refusal recorded nothing: a corrected retry is a new request.
        renewKey();
        return;
      }
      notifications.show({
        color: 'coral',
        message: `Refund of ${money({ amount: checked.wire, currency: quote.total.currency })} recorded for ${quote.number}.`,
      });
      onDone();
    } catch (error) {
      // Unknown outcome (network, server): keep the key so a retry cannot record twice.
      setGeneral([requestErrorMessage(error)]);
    } finally {
      inFlight.current = false;
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text>
          Record money you sent back to <strong>{quote.customer.name}</strong>. Up to{' '}
          <strong>{money(quote.refundableAmount)}</strong> of {money(quote.total)} can still be
          refunded.
        </Text>
        <Stack gap={4} component="section" aria-label="What will happen">
          <Title order={3} size="h6">
            What will happen
          </Title>
          <List size="sm" spacing={2}>
            {!full && (
              <List.Item>
                A partial refund: the invoice stays Paid, marked Partly refunded, and its case stays
                Won.
              </List.Item>
            )}
            {full && <List.Item>The invoice status becomes Refunded.</List.Item>}
            {full && (
              <List.Item>
                {quote.case ? `Case ${quote.case.number}` : 'The linked case'} moves to Lost.
              </List.Item>
            )}
            {full && (
              <List.Item>Invoices paid and Invoiced this month no longer count it.</List.Item>
            )}
            <List.Item>Insights shows the refund as a dip today.</List.Item>
            {full && <List.Item>Automatic follow-ups stop for this invoice.</List.Item>}
            <List.Item>This cannot be undone.</List.Item>
          </List>
        </Stack>
        <Stack gap={4} component="section" aria-label="Where to send the money">
          <Title order={3} size="h6">
            Send the money back first
          </Title>
          <Text size="sm" c="dimmed">
            This app does not move money. Refund through the channel they paid on, for example:
          </Text>
          <List size="sm" spacing={2} aria-label="Refund channels">
            {business.refundChannelExamples.map((channel) => (
              <List.Item key={channel}>{channel}</List.Item>
            ))}
          </List>
        </Stack>
        <TextInput
          label="Amount"
          description={`In ${quote.total.currency}. At most ${money(quote.refundableAmount)}.`}
          inputMode="decimal"
          value={amount}
          onChange={(e) => setAmount(e.currentTarget.value)}
          error={fieldErrors['amount']}
        />
        <RefundReasonSelect value={category} onChange={setCategory} />
        <Textarea
          label="Reason"
          description="Optional. The customer sees it on their invoice page."
          placeholder="Customer cancelled, duplicate payment, ..."
          autosize
          minRows={2}
          maxLength={MAX_REFUND_REASON_LENGTH + 1}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={fieldErrors['reason']}
        />
        <Checkbox
          label="Tell the customer by e-mail"
          description="Sends them the amount, the reason and the link to their page."
          checked={tellCustomer}
          onChange={(e) => setTellCustomer(e.currentTarget.checked)}
        />
        <FormErrors messages={general} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} disabled={loading}>
            Cancel
          </Button>
          <Button type="submit" color="coral" loading={loading}>
            Record refund
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

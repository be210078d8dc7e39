import { useMutation } from '@apollo/client/react';
import { Button, Group, Stack, TextInput } from '@mantine/core';
import { MAX_ACCOUNT_TEXT_LENGTH } from '@refunds/domain';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { RecordPaymentDocument } from '../../../gql/graphql';
import { useCurrent } from '../../../shared/current';
import { FormErrors } from '../../../shared/errors';
import { useMoney } from '../../../shared/useMoney';
import { useAccountForm } from '../useAccountForm';
import { InvoiceSelect } from './InvoiceSelect';

const FIELDS = ['amount', 'quoteId', 'reference'];

/** Money received from the customer, optionally against one invoice. */
export function PaymentForm({ customerId, onDone }: { customerId: string; onDone: () => void }) {
  const { business } = useCurrent();
  const money = useMoney();
  const [amount, setAmount] = useState('');
  const [quoteId, setQuoteId] = useState<string | null>(null);
  const [reference, setReference] = useState('');
  const form = useAccountForm(FIELDS);
  const [recordPayment, { loading }] = useMutation(RecordPaymentDocument, {
    refetchQueries: ['CustomerAccount'],
    awaitRefetchQueries: true,
  });

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const credit = await form.runWithAmount(
      amount,
      business.currency,
      async (wire) => {
        const { data } = await recordPayment({
          variables: {
            input: {
              customerId,
              amount: { amount: wire, currency: business.currency },
              quoteId,
              reference: reference.trim() || null,
              idempotencyKey: form.key,
            },
          },
        });
        return {
          result: data?.recordPayment.credit,
          userErrors: data?.recordPayment.userErrors ?? [],
        };
      },
      'No payment was recorded.',
    );
    if (credit) {
      notifications.show({
        message: `Payment ${credit.number} of ${money(credit.amount)} recorded.`,
      });
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
        <InvoiceSelect
          customerId={customerId}
          label="Against invoice"
          value={quoteId}
          onChange={setQuoteId}
          error={form.fieldErrors['quoteId']}
        />
        <TextInput
          label="Reference"
          description="Optional, e.g. the transfer reference."
          maxLength={MAX_ACCOUNT_TEXT_LENGTH + 1}
          value={reference}
          onChange={(e) => setReference(e.currentTarget.value)}
          error={form.fieldErrors['reference']}
        />
        <FormErrors messages={form.general} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone} disabled={loading}>
            Cancel
          </Button>
          <Button type="submit" loading={loading}>
            Record payment
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

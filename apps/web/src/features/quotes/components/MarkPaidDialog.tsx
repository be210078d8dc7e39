import { useMutation } from '@apollo/client/react';
import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useRef, useState } from 'react';
import { MarkQuotePaidDocument, type QuoteDetailFragment } from '../../../gql/graphql';
import { useCurrent } from '../../../shared/current';
import { noonInZone, todayIn } from '../../../shared/dates';
import { FormErrors, requestErrorMessage, splitUserErrors } from '../../../shared/errors';
import { useIdempotencyKey } from '../../../shared/useIdempotencyKey';
import { useMoney } from '../../../shared/useMoney';
import { QUOTE_LIST_QUERIES } from '../quoteActions';

interface Props {
  quote: QuoteDetailFragment;
  opened: boolean;
  onClose: () => void;
}

export function MarkPaidDialog({ quote, opened, onClose }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={700}>Mark {quote.number} paid</Text>}>
      {opened && <MarkPaidForm quote={quote} onDone={onClose} />}
    </Modal>
  );
}

function MarkPaidForm({ quote, onDone }: { quote: QuoteDetailFragment; onDone: () => void }) {
  const { business } = useCurrent();
  const money = useMoney();
  const today = todayIn(business.timezone);
  const [date, setDate] = useState(today);
  const [key, renewKey] = useIdempotencyKey();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const inFlight = useRef(false);
  const [markPaid, { loading }] = useMutation(MarkQuotePaidDocument, {
    refetchQueries: QUOTE_LIST_QUERIES,
  });

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (inFlight.current) return;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return setFieldErrors({ paidAt: 'Choose a date.' });
    // Same-format ISO dates compare correctly as strings.
    if (date > today)
      return setFieldErrors({ paidAt: 'The payment date cannot be in the future.' });
    inFlight.current = true;
    setFieldErrors({});
    setGeneral([]);
    try {
      // Today means now; an earlier day means noon of that day in the business's time zone.
      const paidAt =
        date === today ? new Date().toISOString() : noonInZone(date, business.timezone);
      const { data } = await markPaid({
        variables: { input: { quoteId: quote.id, paidAt, idempotencyKey: key } },
      });
      const payload = data?.markQuotePaid;
      if (!payload || payload.userErrors.length > 0) {
        const { byField, general: rest } = splitUserErrors(payload?.userErrors ?? [], ['paidAt']);
        setFieldErrors(byField);
        setGeneral(rest.length || Object.keys(byField).length ? rest : ['Nothing was recorded.']);
        renewKey();
        return;
      }
      notifications.show({ color: 'green', message: `${quote.number} marked paid.` });
      onDone();
    } catch (error) {
      setGeneral([requestErrorMessage(error)]);
    } finally {
      inFlight.current = false;
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm">
          Record that {quote.customer.name} paid {money(quote.total)}.
        </Text>
        <TextInput
          type="date"
          label="Paid on"
          description="When the money arrived. Not in the future."
          value={date}
          max={today}
          onChange={(e) => setDate(e.currentTarget.value)}
          error={fieldErrors['paidAt']}
          required
        />
        <FormErrors messages={general} />
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

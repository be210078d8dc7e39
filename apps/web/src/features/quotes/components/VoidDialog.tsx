import { useMutation } from '@apollo/client/react';
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { type QuoteDetailFragment, VoidQuoteDocument } from '../../../gql/graphql';
import { FormErrors, requestErrorMessage, userErrorMessage } from '../../../shared/errors';
import { QUOTE_LIST_QUERIES } from '../quoteActions';

export function VoidDialog({
  quote,
  opened,
  onClose,
}: {
  quote: QuoteDetailFragment;
  opened: boolean;
  onClose: () => void;
}) {
  const [errors, setErrors] = useState<string[]>([]);
  const [voidQuote, { loading }] = useMutation(VoidQuoteDocument, {
    refetchQueries: QUOTE_LIST_QUERIES,
  });
  const close = () => {
    setErrors([]);
    onClose();
  };
  const confirm = async () => {
    setErrors([]);
    try {
      const { data } = await voidQuote({ variables: { quoteId: quote.id } });
      const userErrors = data?.voidQuote.userErrors ?? [];
      if (userErrors.length > 0) return setErrors(userErrors.map(userErrorMessage));
      notifications.show({ message: `${quote.number} voided.` });
      close();
    } catch (error) {
      setErrors([requestErrorMessage(error)]);
    }
  };
  return (
    <Modal opened={opened} onClose={close} title={<Text fw={700}>Void {quote.number}?</Text>}>
      <Stack>
        <Text size="sm">
          A void quote stays in the list for the record but can no longer be sent, accepted or paid.
        </Text>
        <FormErrors messages={errors} />
        <Group justify="flex-end">
          <Button variant="default" onClick={close} disabled={loading}>
            Keep it
          </Button>
          <Button color="red" onClick={confirm} loading={loading}>
            Void quote
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

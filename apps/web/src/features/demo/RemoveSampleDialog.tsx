import { useMutation } from '@apollo/client/react';
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { RemoveSampleBusinessDocument } from '../../gql/graphql';
import { requestErrorMessage, userErrorMessage } from '../../shared/errors';

/** "Remove the sample business?": removes it, then goes back to the member's own business. */
export function RemoveSampleDialog({
  opened,
  onClose,
  onRemoved,
}: {
  opened: boolean;
  onClose: () => void;
  onRemoved: () => Promise<void>;
}) {
  const [error, setError] = useState<string | null>(null);
  const [remove, { loading }] = useMutation(RemoveSampleBusinessDocument);

  const removeIt = async () => {
    setError(null);
    try {
      const { data } = await remove();
      const refusal = data?.removeSampleBusiness.userErrors[0];
      if (refusal) {
        setError(userErrorMessage(refusal));
        return;
      }
      await onRemoved();
    } catch (failure) {
      setError(requestErrorMessage(failure));
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title="Remove the sample business?">
      <Stack>
        <Text>
          You go back to your own business and this sample closes for good. Your own business is not
          changed.
        </Text>
        {error && (
          <Text role="alert" size="sm" c="red.8">
            {error}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={loading}>
            Keep it
          </Button>
          <Button color="red" onClick={() => void removeIt()} loading={loading}>
            Remove
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

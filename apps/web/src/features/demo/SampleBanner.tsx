import { useApolloClient, useMutation } from '@apollo/client/react';
import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useSessionStore } from '../../app/providers';
import { RemoveSampleBusinessDocument } from '../../gql/graphql';
import { useCurrent } from '../../shared/current';
import { requestErrorMessage, userErrorMessage } from '../../shared/errors';
import { leaveSample, switchBusiness } from './sampleSession';

/** On every screen of a sample business: what it is, the way back, and how to remove it. */
export function SampleBanner() {
  const { business } = useCurrent();
  const session = useSessionStore();
  const client = useApolloClient();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [remove, { loading }] = useMutation(RemoveSampleBusinessDocument);
  if (!business.sample) return null;

  const goHome = async () => {
    await switchBusiness(client, () => leaveSample(session));
    navigate('/');
  };
  const removeIt = async () => {
    setError(null);
    try {
      const { data } = await remove();
      const refusal = data?.removeSampleBusiness.userErrors[0];
      if (refusal) {
        setError(userErrorMessage(refusal));
        return;
      }
      await goHome();
    } catch (failure) {
      setError(requestErrorMessage(failure));
    }
  };

  return (
    <>
      <Alert color="yellow" title="Sample business" mb="md" data-testid="sample-banner">
        <Group justify="space-between" align="center">
          <Text size="sm">
            Everything here is made up, to look around. Your own business is untouched.
          </Text>
          <Group gap="xs">
            <Button size="xs" variant="default" onClick={() => void goHome()}>
              Back to my business
            </Button>
            <Button size="xs" color="red" variant="light" onClick={() => setConfirming(true)}>
              Remove sample business
            </Button>
          </Group>
        </Group>
      </Alert>
      <Modal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title="Remove the sample business?"
      >
        <Stack>
          <Text>
            You go back to your own business and this sample closes for good. Your own business is
            not changed.
          </Text>
          {error && (
            <Text role="alert" size="sm" c="red.8">
              {error}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)} disabled={loading}>
              Keep it
            </Button>
            <Button color="red" onClick={() => void removeIt()} loading={loading}>
              Remove
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

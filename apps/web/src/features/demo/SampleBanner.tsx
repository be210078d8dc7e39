import { useApolloClient } from '@apollo/client/react';
import { Alert, Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from '../../app/router';
import { useSessionStore } from '../../app/providers';
import { useCurrent } from '../../shared/current';
import { lazyComponent, useWantedOnce } from '../../shared/lazyComponent';
import { leaveSample, switchBusiness } from './sampleSession';

// The shell shows this banner on every screen: its confirmation (a Modal) is fetched when asked.
const RemoveSampleDialog = lazyComponent(() =>
  import('./RemoveSampleDialog').then((module) => module.RemoveSampleDialog),
);

/** On every screen of a sample business: what it is, the way back, and how to remove it. */
export function SampleBanner() {
  const { business } = useCurrent();
  const session = useSessionStore();
  const client = useApolloClient();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const dialogWanted = useWantedOnce(confirming);
  if (!business.sample) return null;

  const goHome = async () => {
    await switchBusiness(client, () => leaveSample(session));
    navigate('/');
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
      {dialogWanted && (
        <RemoveSampleDialog
          opened={confirming}
          onClose={() => setConfirming(false)}
          onRemoved={goHome}
        />
      )}
    </>
  );
}

import { useApolloClient, useMutation } from '@apollo/client/react';
import { Button, Card, Stack, Text, Title } from '@mantine/core';
import { can, Permission } from '@refunds/domain';
import { useState } from 'react';
import { useNavigate } from '../../app/router';
import { useSessionStore } from '../../app/providers';
import { OpenSampleBusinessDocument } from '../../gql/graphql';
import { useCurrent } from '../../shared/current';
import { requestErrorMessage, userErrorMessage } from '../../shared/errors';
import { enterSample, switchBusiness } from './sampleSession';

/**
 * The first run: a new business has nothing to show, so offer a sample business to look around
 * (its own business, clearly marked; this one stays empty and untouched).
 */
export function SampleDataOffer() {
  const { member, business } = useCurrent();
  const session = useSessionStore();
  const client = useApolloClient();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [open, { loading }] = useMutation(OpenSampleBusinessDocument);
  if (business.sample || !can({ kind: 'member', role: member.role }, Permission.MANAGE_MEMBERS)) {
    return null;
  }
  const explore = async () => {
    setError(null);
    try {
      const { data } = await open();
      const token = data?.openSampleBusiness.token;
      const refusal = data?.openSampleBusiness.userErrors[0];
      if (!token) {
        setError(refusal ? userErrorMessage(refusal) : 'No sample business was opened.');
        return;
      }
      await switchBusiness(client, () => enterSample(session, token));
      navigate('/quotes');
    } catch (failure) {
      setError(requestErrorMessage(failure));
    }
  };
  return (
    <Card withBorder maw={560} mx="auto" component="section" aria-labelledby="sample-offer">
      <Stack gap="xs">
        <Title order={2} size="h4" id="sample-offer">
          New here? Look around a sample business
        </Title>
        <Text size="sm">
          It has customers, a paid and a refunded invoice, credits with a partial refund and a
          credit note, in {business.currency}. It is a separate business marked “sample”: nothing is
          added to {business.name}, and you can remove it when you are done.
        </Text>
        <Button onClick={() => void explore()} loading={loading} w="fit-content">
          Explore a sample business
        </Button>
        {error && (
          <Text role="alert" size="sm" c="red.8">
            {error}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

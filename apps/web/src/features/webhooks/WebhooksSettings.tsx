import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Modal,
  ScrollArea,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import {
  CreateWebhookEndpointDocument,
  ResendEventDocument,
  SendTestWebhookDocument,
  UpdateWebhookEndpointDocument,
  type WebhookDeliveryFieldsFragment,
  WebhookDeliveriesDocument,
  type WebhookEndpointFieldsFragment,
  WebhookEndpointsDocument,
} from '../../gql/graphql';
import { useCurrent } from '../../shared/current';
import { formatDateTime } from '../../shared/dates';
import { FormErrors, QueryError } from '../../shared/errors';
import { PageControls, useCursorPages } from '../../shared/pagination';
import { useRefreshWhile } from '../../shared/refreshWhile';
import { Empty, Loading } from '../../shared/states';
import { useMutationForm } from '../../shared/useMutationForm';

type Endpoint = WebhookEndpointFieldsFragment;
type Delivery = WebhookDeliveryFieldsFragment;

const REFRESH = { refetchQueries: ['WebhookEndpoints'], awaitRefetchQueries: true };
const DELIVERY_PAGE = 20;

/**
 * Settings → Webhooks: the endpoints that receive the business's events, each with its delivery
 * log, resend and a test event. The signing secret is shown once, right after adding an endpoint.
 */
export function WebhooksSettings() {
  const { data, loading, error, refetch } = useQuery(WebhookEndpointsDocument, {
    fetchPolicy: 'cache-and-network',
  });
  const [adding, setAdding] = useState(false);
  const [logOf, setLogOf] = useState<Endpoint | null>(null);

  if (error) return <QueryError error={error} onRetry={() => void refetch()} />;
  if (loading && !data) return <Loading label="Loading webhook endpoints" />;
  const endpoints = data?.webhookEndpoints ?? [];
  const eventTypes = data?.eventTypes ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h3">
          Webhooks
        </Title>
        <Button onClick={() => setAdding(true)}>Add endpoint</Button>
      </Group>
      <Text size="sm" c="dimmed">
        Each event is POSTed as JSON, signed with HMAC-SHA256 in the Refunds-Signature header, and
        retried for about a day until the receiver answers 2xx.
      </Text>
      {endpoints.length === 0 ? (
        <Empty title="No webhook endpoints">
          Add one to have refunds, payments and credit changes sent to another system.
        </Empty>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="sm">
            <Table.Caption>Webhook endpoints</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">URL</Table.Th>
                <Table.Th scope="col">Events</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                <Table.Th scope="col">Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {endpoints.map((endpoint) => (
                <EndpointRow
                  key={endpoint.id}
                  endpoint={endpoint}
                  onShowLog={() => setLogOf(endpoint)}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal
        opened={adding}
        onClose={() => setAdding(false)}
        title="Add a webhook endpoint"
        size="lg"
        // The secret must not vanish with a stray click outside: only the buttons close it.
        closeOnClickOutside={false}
      >
        {adding && <AddEndpointForm eventTypes={eventTypes} onDone={() => setAdding(false)} />}
      </Modal>
      <Modal opened={logOf !== null} onClose={() => setLogOf(null)} title="Delivery log" size="xl">
        {logOf && <DeliveryLog endpoint={logOf} />}
      </Modal>
    </Stack>
  );
}

function EndpointRow({ endpoint, onShowLog }: { endpoint: Endpoint; onShowLog: () => void }) {
  const form = useMutationForm([]);
  const [update, { loading }] = useMutation(UpdateWebhookEndpointDocument, REFRESH);
  const [sendTest, { loading: testing }] = useMutation(SendTestWebhookDocument);
  const [tested, setTested] = useState(false);
  const toggle = () =>
    form.run(async () => {
      const { data } = await update({
        variables: { input: { id: endpoint.id, enabled: !endpoint.enabled } },
      });
      return {
        result: data?.updateWebhookEndpoint.endpoint,
        userErrors: data?.updateWebhookEndpoint.userErrors ?? [],
      };
    }, 'The endpoint was not changed.');
  const test = async () => {
    const delivery = await form.run(async () => {
      const { data } = await sendTest({ variables: { endpointId: endpoint.id } });
      return {
        result: data?.sendTestWebhook.delivery,
        userErrors: data?.sendTestWebhook.userErrors ?? [],
      };
    }, 'No test event was sent.');
    if (delivery) setTested(true);
  };
  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm" style={{ wordBreak: 'break-all' }}>
          {endpoint.url}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">
          {endpoint.eventTypes.length === 0 ? 'All events' : endpoint.eventTypes.join(', ')}
        </Text>
      </Table.Td>
      <Table.Td>
        {endpoint.enabled ? (
          <Badge variant="light" color="teal">
            Enabled
          </Badge>
        ) : (
          <Stack gap={2}>
            <Badge variant="outline" color="red">
              Disabled
            </Badge>
            {endpoint.disabledReason && (
              <Text size="xs" c="dimmed">
                {endpoint.disabledReason}
              </Text>
            )}
          </Stack>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap="xs">
          <Button
            size="compact-sm"
            variant="subtle"
            onClick={() => {
              // The note points here: once the log is open it has done its job.
              setTested(false);
              onShowLog();
            }}
            aria-description={endpoint.url}
          >
            Delivery log
          </Button>
          <Button
            size="compact-sm"
            variant="subtle"
            onClick={() => void test()}
            loading={testing}
            disabled={!endpoint.enabled}
            aria-description={endpoint.url}
          >
            Send test event
          </Button>
          <Button
            size="compact-sm"
            variant="subtle"
            color={endpoint.enabled ? 'red' : undefined}
            onClick={() => void toggle()}
            loading={loading}
            aria-description={endpoint.url}
          >
            {endpoint.enabled ? 'Disable' : 'Enable'}
          </Button>
        </Group>
        {tested && (
          <Text size="xs" c="dimmed" role="status">
            Test event queued; see the delivery log.
          </Text>
        )}
        <FormErrors messages={form.general} />
      </Table.Td>
    </Table.Tr>
  );
}

function AddEndpointForm({
  eventTypes,
  onDone,
}: {
  eventTypes: readonly string[];
  onDone: () => void;
}) {
  const [url, setUrl] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [secret, setSecret] = useState<string | null>(null);
  const form = useMutationForm(['url', 'eventTypes']);
  const [create, { loading }] = useMutation(CreateWebhookEndpointDocument, REFRESH);

  if (secret) return <SigningSecretOnce secret={secret} onDone={onDone} />;

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    if (!/^https?:\/\/\S+$/i.test(url.trim())) {
      errors['url'] = 'Enter the receiver’s address, starting with https://.';
    }
    form.setFieldErrors(errors);
    if (Object.keys(errors).length > 0) return;
    const created = await form.run(async () => {
      const { data } = await create({
        variables: { input: { url: url.trim(), eventTypes: chosen } },
      });
      const payload = data?.createWebhookEndpoint;
      return {
        result: payload?.signingSecret ? payload.signingSecret : null,
        userErrors: payload?.userErrors ?? [],
      };
    }, 'No endpoint was added.');
    if (created) setSecret(created);
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          label="URL"
          placeholder="https://books.example.com/webhooks/refunds"
          description="A public https address. Private and local addresses are refused."
          value={url}
          onChange={(e) => setUrl(e.currentTarget.value)}
          error={form.fieldErrors['url']}
          required
          data-autofocus
        />
        <Checkbox.Group
          label="Events"
          description="None chosen: every event, including types added later."
          value={chosen}
          onChange={setChosen}
          error={form.fieldErrors['eventTypes']}
        >
          <ScrollArea.Autosize mah={240} mt={6}>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={6}>
              {eventTypes.map((type) => (
                <Checkbox key={type} value={type} label={type} />
              ))}
            </SimpleGrid>
          </ScrollArea.Autosize>
        </Checkbox.Group>
        <FormErrors messages={form.general} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone} disabled={loading}>
            Cancel
          </Button>
          <Button type="submit" loading={loading}>
            Add endpoint
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function SigningSecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  return (
    <Stack>
      <Alert color="yellow" title="Copy the signing secret now" role="alert">
        This is the only time it is shown. The receiver uses it to check the Refunds-Signature
        header of every delivery (see the README for a verification snippet).
      </Alert>
      <Code block data-testid="webhook-signing-secret">
        {secret}
      </Code>
      <Group justify="flex-end">
        <CopyButton value={secret}>
          {({ copied, copy }) => (
            <Button variant="light" onClick={copy}>
              {copied ? 'Copied' : 'Copy secret'}
            </Button>
          )}
        </CopyButton>
        <Button onClick={onDone}>I have stored it</Button>
      </Group>
    </Stack>
  );
}

const STATUS_COLOR: Record<string, string> = {
  DELIVERED: 'teal',
  PENDING: 'yellow',
  FAILED: 'red',
};

/** An endpoint's deliveries, newest first, with the answer each got and a resend per event. */
function DeliveryLog({ endpoint }: { endpoint: Endpoint }) {
  const { business, locale } = useCurrent();
  const pages = useCursorPages();
  const query = useQuery(WebhookDeliveriesDocument, {
    variables: { endpointId: endpoint.id, first: DELIVERY_PAGE, after: pages.after },
    fetchPolicy: 'cache-and-network',
  });
  const { data, loading, error, refetch } = query;
  // While a delivery is due, the log follows its attempts (the worker's answer, its next try).
  const due = (data?.webhookDeliveries.nodes ?? []).some(
    (delivery) =>
      delivery.status === 'PENDING' &&
      (!delivery.nextAttemptAt || Date.parse(delivery.nextAttemptAt) <= Date.now()),
  );
  useRefreshWhile(due, query);
  const when = (iso: string) => formatDateTime(iso, locale, business.timezone);
  if (error) return <QueryError error={error} onRetry={() => void refetch()} />;
  if (loading && !data) return <Loading label="Loading deliveries" />;
  const deliveries = data?.webhookDeliveries.nodes ?? [];
  return (
    <Stack>
      <Text size="sm" style={{ wordBreak: 'break-all' }}>
        {endpoint.url}
      </Text>
      {deliveries.length === 0 ? (
        <Empty title="No deliveries yet">Events show up here as they are sent.</Empty>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="xs">
            <Table.Caption>Deliveries, newest first</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Event</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                <Table.Th scope="col">Attempts</Table.Th>
                <Table.Th scope="col">Answer</Table.Th>
                <Table.Th scope="col">When</Table.Th>
                <Table.Th scope="col">Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {deliveries.map((delivery) => (
                <DeliveryRow
                  key={delivery.id}
                  delivery={delivery}
                  endpoint={endpoint}
                  when={when}
                  onResent={() => {
                    pages.reset();
                    void refetch({ after: null });
                  }}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <PageControls
        label="Deliveries"
        page={pages.page}
        hasNextPage={data?.webhookDeliveries.pageInfo.hasNextPage ?? false}
        onPrevious={pages.previous}
        onNext={() => pages.next(data?.webhookDeliveries.pageInfo.endCursor ?? null)}
      />
    </Stack>
  );
}

function DeliveryRow({
  delivery,
  endpoint,
  when,
  onResent,
}: {
  delivery: Delivery;
  endpoint: Endpoint;
  when: (iso: string) => string;
  onResent: () => void;
}) {
  const form = useMutationForm([]);
  const [resend, { loading }] = useMutation(ResendEventDocument);
  const run = async () => {
    const resent = await form.run(async () => {
      const { data } = await resend({
        variables: { endpointId: endpoint.id, eventId: delivery.event.id },
      });
      return {
        result: data?.resendEvent.delivery,
        userErrors: data?.resendEvent.userErrors ?? [],
      };
    }, 'The event was not queued again.');
    if (resent) onResent();
  };
  const answer =
    delivery.responseStatus !== null && delivery.responseStatus !== undefined
      ? `HTTP ${delivery.responseStatus}${delivery.durationMs !== null ? ` in ${delivery.durationMs} ms` : ''}`
      : (delivery.error ?? '—');
  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm">
          #{delivery.event.sequence} {delivery.event.type}
        </Text>
      </Table.Td>
      <Table.Td>
        <Badge variant="light" color={STATUS_COLOR[delivery.status] ?? 'gray'}>
          {delivery.status}
        </Badge>
        {delivery.nextAttemptAt && (
          <Text size="xs" c="dimmed">
            Next try {when(delivery.nextAttemptAt)}
          </Text>
        )}
      </Table.Td>
      <Table.Td>{delivery.attempt}</Table.Td>
      <Table.Td>
        <Text size="sm">{answer}</Text>
      </Table.Td>
      <Table.Td>{when(delivery.at)}</Table.Td>
      <Table.Td>
        <Button
          size="compact-sm"
          variant="subtle"
          onClick={() => void run()}
          loading={loading}
          disabled={!endpoint.enabled}
          aria-description={`event ${delivery.event.sequence}`}
        >
          Resend
        </Button>
        <FormErrors messages={form.general} />
      </Table.Td>
    </Table.Tr>
  );
}

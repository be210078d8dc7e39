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
  Stack,
  Table,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import {
  type ApiKeyFieldsFragment,
  ApiKeysDocument,
  type ApiScope,
  CreateApiKeyDocument,
  RevokeApiKeyDocument,
} from '../../gql/graphql';
import { useCurrent } from '../../shared/current';
import { formatDate, formatDateTime, todayIn } from '../../shared/dates';
import { FormErrors, QueryError } from '../../shared/errors';
import { Empty, Loading } from '../../shared/states';
import { useMutationForm } from '../../shared/useMutationForm';
import { ConfirmActionBody } from '../../shared/ConfirmActionBody';

type ApiKey = ApiKeyFieldsFragment;

const SCOPE_HELP: Record<ApiScope, string> = {
  READ: 'Read: every query of the business',
  WRITE: 'Write: refunds, payments, adjustments, credit notes',
};

const REFRESH = { refetchQueries: ['ApiKeys'], awaitRefetchQueries: true };

/** Keys third parties call the API with. The secret is shown once, right after creating it. */
export function ApiKeysSettings() {
  const { business, locale } = useCurrent();
  const { data, loading, error, refetch } = useQuery(ApiKeysDocument, {
    fetchPolicy: 'cache-and-network',
  });
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const when = (iso: string) => formatDateTime(iso, locale, business.timezone);

  if (error) return <QueryError error={error} onRetry={() => void refetch()} />;
  if (loading && !data) return <Loading label="Loading API keys" />;
  const keys = data?.apiKeys ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h3">
          API keys
        </Title>
        <Button onClick={() => setCreating(true)}>Create API key</Button>
      </Group>
      {keys.length === 0 ? (
        <Empty title="No API keys">Create one for a system that reads or records refunds.</Empty>
      ) : (
        // On a phone the dates give way, so the status and Revoke stay on screen.
        <Table.ScrollContainer minWidth={320}>
          <Table verticalSpacing="sm">
            <Table.Caption>API keys; secrets are never shown again</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Name</Table.Th>
                <Table.Th scope="col">Scopes</Table.Th>
                <Table.Th scope="col" visibleFrom="sm">
                  Created
                </Table.Th>
                <Table.Th scope="col" visibleFrom="sm">
                  Expires
                </Table.Th>
                <Table.Th scope="col" visibleFrom="sm">
                  Last used
                </Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                <Table.Th scope="col">Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {keys.map((key) => {
                const expired = key.expiresAt !== null && new Date(key.expiresAt) <= new Date();
                return (
                  <Table.Tr key={key.id}>
                    <Table.Td>{key.name}</Table.Td>
                    <Table.Td>{key.scopes.join(', ')}</Table.Td>
                    <Table.Td visibleFrom="sm">
                      {formatDate(key.createdAt, locale, business.timezone)}
                    </Table.Td>
                    <Table.Td visibleFrom="sm">
                      {key.expiresAt ? when(key.expiresAt) : 'Never'}
                    </Table.Td>
                    <Table.Td visibleFrom="sm">
                      {key.lastUsedAt ? when(key.lastUsedAt) : 'Not yet'}
                    </Table.Td>
                    <Table.Td>
                      {key.revokedAt ? (
                        <Badge variant="outline" color="red">
                          Revoked
                        </Badge>
                      ) : expired ? (
                        <Badge variant="outline" color="gray">
                          Expired
                        </Badge>
                      ) : (
                        <Badge variant="light" color="teal">
                          Active
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {!key.revokedAt && (
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          color="red"
                          onClick={() => setRevoking(key)}
                          aria-description={key.name}
                        >
                          Revoke
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal
        opened={creating}
        onClose={() => setCreating(false)}
        title="Create an API key"
        // The secret must not vanish with a stray click outside: only the buttons close it.
        closeOnClickOutside={false}
      >
        {creating && <CreateKeyForm onDone={() => setCreating(false)} />}
      </Modal>
      <Modal opened={revoking !== null} onClose={() => setRevoking(null)} title="Revoke API key?">
        {revoking && <RevokeConfirm apiKey={revoking} onDone={() => setRevoking(null)} />}
      </Modal>
    </Stack>
  );
}

function CreateKeyForm({ onDone }: { onDone: () => void }) {
  const { business } = useCurrent();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiScope[]>(['READ']);
  const [expiresOn, setExpiresOn] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const form = useMutationForm(['name', 'scopes', 'expiresAt']);
  const [create, { loading }] = useMutation(CreateApiKeyDocument, REFRESH);

  if (secret) return <SecretOnce secret={secret} onDone={onDone} />;

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    if (!name.trim()) errors['name'] = 'Name the key after the system that uses it.';
    if (scopes.length === 0) errors['scopes'] = 'Choose at least one scope.';
    if (expiresOn && expiresOn <= todayIn(business.timezone)) {
      errors['expiresAt'] = 'Choose a day after today.';
    }
    form.setFieldErrors(errors);
    if (Object.keys(errors).length > 0) return;
    const created = await form.run(async () => {
      const { data } = await create({
        variables: {
          input: {
            name: name.trim(),
            scopes,
            // The key works until the end of the chosen day, business time: the start of the next.
            expiresAt: expiresOn ? endOfDayIn(expiresOn, business.timezone) : null,
          },
        },
      });
      const payload = data?.createApiKey;
      return {
        result: payload?.secret ? payload.secret : null,
        userErrors: payload?.userErrors ?? [],
      };
    }, 'No key was created.');
    if (created) setSecret(created);
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          label="Name"
          placeholder="Accounting sync"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={form.fieldErrors['name']}
          required
          data-autofocus
        />
        <Checkbox.Group
          label="Scopes"
          value={scopes}
          onChange={(value) => setScopes(value as ApiScope[])}
          error={form.fieldErrors['scopes']}
          required
        >
          <Stack gap={6} mt={6}>
            {(['READ', 'WRITE'] as const).map((scope) => (
              <Checkbox key={scope} value={scope} label={SCOPE_HELP[scope]} />
            ))}
          </Stack>
        </Checkbox.Group>
        <TextInput
          type="date"
          label="Expires after (optional)"
          description={`The last day the key works, in ${business.timezone}. Empty: until revoked.`}
          value={expiresOn}
          onChange={(e) => setExpiresOn(e.currentTarget.value)}
          error={form.fieldErrors['expiresAt']}
        />
        <FormErrors messages={form.general} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone} disabled={loading}>
            Cancel
          </Button>
          <Button type="submit" loading={loading}>
            Create key
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The first instant after `date` ends in the zone (the zone's midnight, found with Intl). */
function endOfDayIn(date: string, timeZone: string): string {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  const next = Date.UTC(y, m - 1, d + 1);
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(new Date(next));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const offset =
    Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute')) - next;
  return new Date(next - offset).toISOString();
}

function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  return (
    <Stack>
      <Alert color="yellow" title="Copy the secret now" role="alert">
        This is the only time it is shown. Store it where the other system keeps its secrets; anyone
        who has it can use the API as this key.
      </Alert>
      <Code block data-testid="api-key-secret">
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

function RevokeConfirm({ apiKey, onDone }: { apiKey: ApiKey; onDone: () => void }) {
  const form = useMutationForm([]);
  const [revoke, { loading }] = useMutation(RevokeApiKeyDocument, REFRESH);
  const confirm = async () => {
    const revoked = await form.run(async () => {
      const { data } = await revoke({ variables: { id: apiKey.id } });
      return {
        result: data?.revokeApiKey.apiKey,
        userErrors: data?.revokeApiKey.userErrors ?? [],
      };
    }, 'The key was not revoked.');
    if (revoked) onDone();
  };
  return (
    <ConfirmActionBody
      errors={form.general}
      keepLabel="Keep it"
      actionLabel="Revoke"
      loading={loading}
      onKeep={onDone}
      onConfirm={() => void confirm()}
    >
      Calls with <strong>{apiKey.name}</strong> are refused from now on. This cannot be undone;
      create a new key if the system still needs access.
    </ConfirmActionBody>
  );
}

import { useMutation, useQuery } from '@apollo/client/react';
import { Badge, Button, Group, Modal, Stack, Table, TextInput, Title } from '@mantine/core';
import { MAX_BANK_ACCOUNT_NAME_LENGTH, parseBankAccount } from '@refunds/domain';
import { useState } from 'react';
import {
  ArchiveBankAccountDocument,
  RenameBankAccountDocument,
  type SettingsBankAccountFieldsFragment,
  SettingsBankAccountsDocument,
} from '../../gql/graphql';
import { useCurrent } from '../../shared/current';
import { formatDate } from '../../shared/dates';
import { FormErrors, QueryError } from '../../shared/errors';
import { Empty, Loading } from '../../shared/states';
import { useMutationForm } from '../../shared/useMutationForm';
import { BankAccountForm } from '../accounts/components/BankAccountForm';
import { ConfirmActionBody } from '../../shared/ConfirmActionBody';

type BankAccount = SettingsBankAccountFieldsFragment;

// Every list of bank accounts refreshes after a change here (the refund form's too).
const REFRESH = {
  refetchQueries: ['SettingsBankAccounts', 'BankAccounts'],
  awaitRefetchQueries: true,
};

/** Bank accounts refunds are paid from: add, rename, archive (never delete: refunds point at them). */
export function BankAccountsSettings() {
  const { business, locale } = useCurrent();
  const { data, loading, error, refetch } = useQuery(SettingsBankAccountsDocument, {
    fetchPolicy: 'cache-and-network',
  });
  const [adding, setAdding] = useState(false);
  const [renaming, setRenaming] = useState<BankAccount | null>(null);
  const [archiving, setArchiving] = useState<BankAccount | null>(null);

  if (error) return <QueryError error={error} onRetry={() => void refetch()} />;
  if (loading && !data) return <Loading label="Loading bank accounts" />;
  const accounts = data?.bankAccounts ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h3">
          Bank accounts
        </Title>
        <Button onClick={() => setAdding(true)}>Add bank account</Button>
      </Group>
      {accounts.length === 0 ? (
        <Empty title="No bank accounts">Add the account refunds are paid from.</Empty>
      ) : (
        // On a phone the currency gives way, so the actions stay on screen without scrolling.
        <Table.ScrollContainer minWidth={320}>
          <Table verticalSpacing="sm">
            <Table.Caption>Refunds are paid from these accounts</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Name</Table.Th>
                <Table.Th scope="col" visibleFrom="sm">
                  Currency
                </Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                <Table.Th scope="col">Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {accounts.map((account) => (
                <Table.Tr key={account.id}>
                  <Table.Td>{account.name}</Table.Td>
                  <Table.Td visibleFrom="sm">{account.currency}</Table.Td>
                  <Table.Td>
                    {account.archivedAt ? (
                      <Badge variant="outline" color="gray">
                        Archived {formatDate(account.archivedAt, locale, business.timezone)}
                      </Badge>
                    ) : (
                      <Badge variant="light" color="teal">
                        In use
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Button
                        size="compact-sm"
                        variant="light"
                        onClick={() => setRenaming(account)}
                        aria-description={account.name}
                      >
                        Rename
                      </Button>
                      {!account.archivedAt && (
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          color="red"
                          onClick={() => setArchiving(account)}
                          aria-description={account.name}
                        >
                          Archive
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal opened={adding} onClose={() => setAdding(false)} title="Add a bank account">
        <BankAccountForm
          onCreated={() => {
            setAdding(false);
            // The form refreshes the refund screen's list; this screen's list includes archived ones.
            void refetch();
          }}
          onCancel={() => setAdding(false)}
        />
      </Modal>
      <Modal
        opened={renaming !== null}
        onClose={() => setRenaming(null)}
        title="Rename the bank account"
      >
        {renaming && <RenameForm account={renaming} onDone={() => setRenaming(null)} />}
      </Modal>
      <Modal
        opened={archiving !== null}
        onClose={() => setArchiving(null)}
        title="Archive the bank account?"
      >
        {archiving && <ArchiveConfirm account={archiving} onDone={() => setArchiving(null)} />}
      </Modal>
    </Stack>
  );
}

function RenameForm({ account, onDone }: { account: BankAccount; onDone: () => void }) {
  const [name, setName] = useState(account.name);
  const form = useMutationForm(['name']);
  const [rename, { loading }] = useMutation(RenameBankAccountDocument, REFRESH);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    // The same rule the API applies to a new account's name.
    const draft = parseBankAccount({ name, currency: account.currency });
    if (!draft.ok) {
      form.setFieldErrors({ name: draft.error.message });
      return;
    }
    const renamed = await form.run(async () => {
      const { data } = await rename({
        variables: { input: { bankAccountId: account.id, name: draft.value.name } },
      });
      return {
        result: data?.renameBankAccount.bankAccount,
        userErrors: data?.renameBankAccount.userErrors ?? [],
      };
    }, 'The bank account was not renamed.');
    if (renamed) onDone();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          label="Account name"
          value={name}
          maxLength={MAX_BANK_ACCOUNT_NAME_LENGTH + 1}
          onChange={(e) => setName(e.currentTarget.value)}
          error={form.fieldErrors['name']}
          required
          data-autofocus
        />
        <FormErrors messages={form.general} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone} disabled={loading}>
            Cancel
          </Button>
          <Button type="submit" loading={loading}>
            Save name
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ArchiveConfirm({ account, onDone }: { account: BankAccount; onDone: () => void }) {
  const form = useMutationForm([]);
  const [archive, { loading }] = useMutation(ArchiveBankAccountDocument, REFRESH);
  const confirm = async () => {
    const archived = await form.run(async () => {
      const { data } = await archive({ variables: { bankAccountId: account.id } });
      return {
        result: data?.archiveBankAccount.bankAccount,
        userErrors: data?.archiveBankAccount.userErrors ?? [],
      };
    }, 'The bank account was not archived.');
    if (archived) onDone();
  };
  return (
    <ConfirmActionBody
      errors={form.general}
      keepLabel="Keep it"
      actionLabel="Archive"
      loading={loading}
      onKeep={onDone}
      onConfirm={() => void confirm()}
    >
      <strong>{account.name}</strong> will no longer be offered for refunds. Refunds already paid
      from it keep showing it.
    </ConfirmActionBody>
  );
}

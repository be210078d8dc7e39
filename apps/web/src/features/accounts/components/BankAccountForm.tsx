import { useMutation } from '@apollo/client/react';
import { Button, Group, Stack, TextInput } from '@mantine/core';
import { MAX_BANK_ACCOUNT_NAME_LENGTH, parseBankAccount } from '@refunds/domain';
import { useState } from 'react';
import { CreateBankAccountDocument } from '../../../gql/graphql';
import { useCurrent } from '../../../shared/current';
import { FormErrors } from '../../../shared/errors';
import { useAccountForm } from '../useAccountForm';

const FIELDS = ['name', 'currency'];

/** A bank account refunds are paid from, in the business currency unless changed. */
export function BankAccountForm({
  onCreated,
  onCancel,
}: {
  onCreated: (id: string) => void;
  onCancel: () => void;
}) {
  const { business } = useCurrent();
  const [name, setName] = useState('');
  const [currency, setCurrency] = useState(business.currency);
  const form = useAccountForm(FIELDS);
  const [createBankAccount, { loading }] = useMutation(CreateBankAccountDocument, {
    refetchQueries: ['BankAccounts'],
    awaitRefetchQueries: true,
  });

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const draft = parseBankAccount({ name, currency: currency.trim().toUpperCase() });
    if (!draft.ok) {
      const field = draft.error.field[draft.error.field.length - 1] ?? 'name';
      form.setFieldErrors({ [field]: draft.error.message });
      return;
    }
    form.setFieldErrors({});
    const created = await form.run(async () => {
      const { data } = await createBankAccount({
        variables: { input: { name: draft.value.name, currency: draft.value.currency } },
      });
      return {
        result: data?.createBankAccount.bankAccount,
        userErrors: data?.createBankAccount.userErrors ?? [],
      };
    }, 'No bank account was added.');
    if (created) onCreated(created.id);
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          label="Account name"
          placeholder="Main business account"
          maxLength={MAX_BANK_ACCOUNT_NAME_LENGTH + 1}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={form.fieldErrors['name']}
          required
          data-autofocus
        />
        <TextInput
          label="Currency"
          description="ISO 4217 code."
          maxLength={3}
          value={currency}
          onChange={(e) => setCurrency(e.currentTarget.value)}
          error={form.fieldErrors['currency']}
          required
        />
        <FormErrors messages={form.general} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} disabled={loading}>
            Cancel
          </Button>
          <Button type="submit" loading={loading}>
            Add bank account
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

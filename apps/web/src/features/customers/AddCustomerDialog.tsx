import { useMutation } from '@apollo/client/react';
import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { CreateCustomerDocument } from '../../gql/graphql';
import { FormErrors, splitRequestError, splitUserErrors } from '../../shared/errors';

const FIELDS = ['name', 'email'];

export function AddCustomerDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={700}>Add customer</Text>}>
      {opened && <AddCustomerForm onDone={onClose} />}
    </Modal>
  );
}

function AddCustomerForm({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);
  // Every customer list (any search, letter or page) may now be different.
  const [createCustomer, { loading }] = useMutation(CreateCustomerDocument, {
    refetchQueries: ['Customers', 'CustomerInitials'],
  });

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (loading) return;
    const errors: Record<string, string> = {};
    if (!name.trim()) errors['name'] = 'Enter a name.';
    if (email.trim() && !/^\S+@\S+\.\S+$/.test(email.trim())) {
      errors['email'] = 'Enter a valid email, or leave it empty.';
    }
    setFieldErrors(errors);
    setGeneral([]);
    if (Object.keys(errors).length > 0) return;
    try {
      const { data } = await createCustomer({
        variables: { input: { name: name.trim(), email: email.trim() || null } },
      });
      const payload = data?.createCustomer;
      if (!payload?.customer) {
        const split = splitUserErrors(payload?.userErrors ?? [], FIELDS);
        setFieldErrors(split.byField);
        setGeneral(split.general);
        return;
      }
      notifications.show({ color: 'green', message: `${payload.customer.name} added.` });
      onDone();
    } catch (error) {
      const split = splitRequestError(error, FIELDS);
      setFieldErrors(split.byField);
      setGeneral(split.general);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          label="Name"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={fieldErrors['name']}
          required
          data-autofocus
        />
        <TextInput
          label="Email"
          description="Optional."
          type="email"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={fieldErrors['email']}
        />
        <FormErrors messages={general} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone} disabled={loading}>
            Cancel
          </Button>
          <Button type="submit" loading={loading}>
            Save customer
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

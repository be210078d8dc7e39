import { Button, Group, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { FormErrors } from './errors';

/**
 * The body of a dialog that asks before an action that cannot be taken back (revoke a key,
 * archive a bank account, remove a member): what will happen, why it did not if it failed, and
 * the two answers, the safe one first.
 */
export function ConfirmActionBody({
  children,
  errors,
  keepLabel,
  actionLabel,
  loading,
  onKeep,
  onConfirm,
}: {
  children: ReactNode;
  errors: readonly string[];
  keepLabel: string;
  actionLabel: string;
  loading: boolean;
  onKeep: () => void;
  onConfirm: () => void;
}) {
  return (
    <Stack>
      <Text>{children}</Text>
      <FormErrors messages={errors} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onKeep} disabled={loading}>
          {keepLabel}
        </Button>
        <Button color="red" onClick={onConfirm} loading={loading}>
          {actionLabel}
        </Button>
      </Group>
    </Stack>
  );
}

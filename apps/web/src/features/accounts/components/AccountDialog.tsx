import { Modal, Text } from '@mantine/core';

/** A dialog whose form mounts only while open, so each opening has its own idempotency key. */
export function AccountDialog({
  title,
  opened,
  onClose,
  children,
}: {
  title: string;
  opened: boolean;
  onClose: () => void;
  children: React.ReactNode;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={700}>{title}</Text>}>
      {opened && children}
    </Modal>
  );
}

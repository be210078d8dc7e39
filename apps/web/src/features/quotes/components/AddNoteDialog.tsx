import { useMutation } from '@apollo/client/react';
import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { AddQuoteNoteDocument, type QuoteDetailFragment } from '../../../gql/graphql';
import { FormErrors, requestErrorMessage, splitUserErrors } from '../../../shared/errors';

export function AddNoteDialog({
  quote,
  opened,
  onClose,
}: {
  quote: QuoteDetailFragment;
  opened: boolean;
  onClose: () => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={700}>Add a note</Text>}>
      {opened && <NoteForm quote={quote} onDone={onClose} />}
    </Modal>
  );
}

function NoteForm({ quote, onDone }: { quote: QuoteDetailFragment; onDone: () => void }) {
  const [body, setBody] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [addNote, { loading }] = useMutation(AddQuoteNoteDocument);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (loading) return;
    if (!body.trim()) return setFieldErrors({ body: 'Write the note first.' });
    setFieldErrors({});
    setGeneral([]);
    try {
      const { data } = await addNote({ variables: { quoteId: quote.id, body: body.trim() } });
      const payload = data?.addQuoteNote;
      if (!payload || payload.userErrors.length > 0) {
        const { byField, general: rest } = splitUserErrors(payload?.userErrors ?? [], ['body']);
        setFieldErrors(byField);
        setGeneral(rest);
        return;
      }
      notifications.show({ message: 'Note added.' });
      onDone();
    } catch (error) {
      setGeneral([requestErrorMessage(error)]);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Textarea
          label="Note"
          description={`Added to the activity feed of ${quote.number}.`}
          autosize
          minRows={3}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          error={fieldErrors['body']}
          required
          data-autofocus
        />
        <FormErrors messages={general} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone} disabled={loading}>
            Cancel
          </Button>
          <Button type="submit" loading={loading}>
            Save note
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

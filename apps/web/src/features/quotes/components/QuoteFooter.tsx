import { useMutation } from '@apollo/client/react';
import { Button, Group, Paper, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { can, Permission } from '@refunds/domain';
import { useEffect, useRef, useState } from 'react';
import {
  AcceptQuoteDocument,
  MarkQuoteUnpaidDocument,
  type QuoteDetailFragment,
  SendQuoteDocument,
} from '../../../gql/graphql';
import { useCurrent } from '../../../shared/current';
import {
  FormErrors,
  requestErrorMessage,
  type UserError,
  userErrorMessage,
} from '../../../shared/errors';
import {
  ACTION_LABELS,
  footerActions,
  QUOTE_LIST_QUERIES,
  type QuoteAction,
} from '../quoteActions';
import { AddNoteDialog } from './AddNoteDialog';
import { MarkPaidDialog } from './MarkPaidDialog';
import { RefundDialog } from './RefundDialog';
import { VoidDialog } from './VoidDialog';

type DialogAction = Extract<QuoteAction, 'MARK_PAID' | 'REFUND' | 'VOID' | 'ADD_NOTE'>;
const OPENS_DIALOG = new Set<QuoteAction>(['MARK_PAID', 'REFUND', 'VOID', 'ADD_NOTE']);

/** The actions the quote allows (footerActions), in ACTIONS_BY_STATUS's order. */
export function QuoteFooter({
  quote,
  onDialogOpenChange,
}: {
  quote: QuoteDetailFragment;
  onDialogOpenChange?: (open: boolean) => void;
}) {
  const { member } = useCurrent();
  const [dialog, setDialog] = useState<DialogAction | null>(null);
  const actionsRef = useRef<HTMLDivElement>(null);
  const openerRef = useRef<HTMLElement | null>(null);
  useEffect(() => onDialogOpenChange?.(dialog !== null), [dialog, onDialogOpenChange]);
  const closeDialog = () => {
    setDialog(null);
    // The dialog gives focus back to the button that opened it; after a refund or a void that
    // button is gone (the status no longer offers it), so focus goes to the first action left
    // instead of falling to the page. Later than Mantine's own focus return.
    const opener = openerRef.current;
    setTimeout(() => {
      if (opener?.isConnected) return;
      actionsRef.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
    }, 50);
  };
  const [pending, setPending] = useState<QuoteAction | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const options = { refetchQueries: QUOTE_LIST_QUERIES };
  const [send] = useMutation(SendQuoteDocument, options);
  const [accept] = useMutation(AcceptQuoteDocument, options);
  const [markUnpaid] = useMutation(MarkQuoteUnpaidDocument, options);

  if (!can({ kind: 'member', role: member.role }, Permission.WRITE_MONEY)) return null;

  const run = async (
    action: QuoteAction,
    exec: () => Promise<{ userErrors: readonly UserError[] } | undefined>,
    done: string,
  ) => {
    setPending(action);
    setErrors([]);
    try {
      const payload = await exec();
      if (payload?.userErrors.length) setErrors(payload.userErrors.map(userErrorMessage));
      else notifications.show({ message: done, color: 'green' });
    } catch (error) {
      setErrors([requestErrorMessage(error)]);
    } finally {
      setPending(null);
    }
  };

  const variables = { quoteId: quote.id };
  const immediate: Partial<Record<QuoteAction, () => void>> = {
    SEND: () =>
      void run('SEND', async () => (await send({ variables })).data?.sendQuote, 'Quote sent.'),
    ACCEPT: () =>
      void run(
        'ACCEPT',
        async () => (await accept({ variables })).data?.acceptQuote,
        'Quote marked accepted.',
      ),
    MARK_UNPAID: () =>
      void run(
        'MARK_UNPAID',
        async () => (await markUnpaid({ variables })).data?.markQuoteUnpaid,
        'Invoice marked unpaid.',
      ),
  };

  const actions = footerActions(quote);
  return (
    <Paper component="footer" pos="sticky" bottom={0} py="sm" style={{ zIndex: 1 }}>
      <Stack gap="sm">
        <FormErrors messages={errors} />
        <Group gap="xs" role="group" aria-label="Quote actions" ref={actionsRef}>
          {actions.map((action) => (
            <Button
              key={action}
              color={action === 'REFUND' ? 'coral' : action === 'VOID' ? 'red' : undefined}
              variant={action === 'ADD_NOTE' || action === 'VOID' ? 'default' : 'filled'}
              loading={pending === action}
              disabled={pending !== null && pending !== action}
              onClick={(event) => {
                openerRef.current = event.currentTarget;
                if (OPENS_DIALOG.has(action)) setDialog(action as DialogAction);
                else immediate[action]?.();
              }}
            >
              {ACTION_LABELS[action]}
            </Button>
          ))}
        </Group>
      </Stack>
      <MarkPaidDialog quote={quote} opened={dialog === 'MARK_PAID'} onClose={closeDialog} />
      <RefundDialog quote={quote} opened={dialog === 'REFUND'} onClose={closeDialog} />
      <VoidDialog quote={quote} opened={dialog === 'VOID'} onClose={closeDialog} />
      <AddNoteDialog quote={quote} opened={dialog === 'ADD_NOTE'} onClose={closeDialog} />
    </Paper>
  );
}

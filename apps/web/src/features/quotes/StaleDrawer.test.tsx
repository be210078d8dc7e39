/**
 * Issue 13 defects of the quote drawer: a refusal that says the invoice moved on (refunded in
 * another tab) refetches what the drawer shows; Escape in the Refund dialog closes only the dialog;
 * after a refund, focus lands on an action of the drawer instead of falling to the page.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { installApi } from '../../test/fakeApi';
import { fakeBusiness, member, quote } from '../../test/fixtures';
import { renderApp } from '../../test/render';

async function openPaidDrawer(
  markQuoteUnpaid?: (args: { quoteId: string }) => unknown,
): Promise<ReturnType<typeof renderApp> & { drawer: HTMLElement; q: ReturnType<typeof quote> }> {
  const q = quote('PAID');
  const fake = fakeBusiness({
    quotes: [q],
    ...(markQuoteUnpaid ? { extra: { markQuoteUnpaid } } : {}),
  });
  installApi(fake.resolvers);
  const view = renderApp(`/quotes?quote=${q.id}`);
  const drawer = await screen.findByRole(
    'dialog',
    { name: `Quote ${q.number}` },
    { timeout: 10000 },
  );
  return { ...view, drawer, q };
}

describe('a stale drawer', () => {
  it('refetches the quote after ALREADY_REFUNDED: refund block, Lost case and activity appear', async () => {
    let refundedElsewhere: ReturnType<typeof quote> | null = null;
    const { user, drawer, q } = await openPaidDrawer(() => {
      // Another tab refunded the invoice a moment ago: the API refuses and the quote moved on.
      refundedElsewhere = q;
      q.status = 'REFUNDED';
      q.case.status = 'LOST';
      q.followUpsActive = false;
      q.refund = {
        id: 'r-elsewhere',
        amount: q.total,
        reason: 'Refunded in another tab',
        recordedAt: '2026-11-20T10:00:00.000Z',
        recordedBy: member(),
      };
      q.activity.push({
        id: 'elsewhere',
        at: '2026-11-20T10:00:00.000Z',
        kind: 'REFUND_RECORDED',
        actorName: 'Ama Owusu',
        message: 'Refund recorded',
        reason: 'Refunded in another tab',
      });
      return {
        quote: null,
        userErrors: [{ code: 'ALREADY_REFUNDED', field: [], message: 'Already refunded.' }],
      };
    });
    expect(within(drawer).getByRole('region', { name: 'Case' })).toHaveTextContent('Won');

    await user.click(within(drawer).getByRole('button', { name: 'Mark unpaid' }));
    expect(await within(drawer).findByRole('alert')).toHaveTextContent('Already refunded.');
    expect(refundedElsewhere).not.toBeNull();

    // What the drawer shows now is the truth, without a reload.
    expect(await within(drawer).findByRole('region', { name: 'Refund' })).toHaveTextContent(
      'Refunded in another tab',
    );
    expect(within(drawer).getByRole('region', { name: 'Case' })).toHaveTextContent('Lost');
    expect(within(drawer).getByRole('list', { name: 'Activity, oldest first' })).toHaveTextContent(
      'Refund recorded',
    );
    expect(
      within(within(drawer).getByRole('group', { name: 'Quote actions' }))
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Add note']);
  });

  it('does not refetch after a refusal that is about the input, not the state', async () => {
    const { user, drawer } = await openPaidDrawer(() => ({
      quote: null,
      userErrors: [{ code: 'INVALID_AMOUNT', field: [], message: 'Bad amount.' }],
    }));
    const api = installApi(
      fakeBusiness({
        quotes: [],
        extra: {
          markQuoteUnpaid: () => ({
            quote: null,
            userErrors: [{ code: 'INVALID_AMOUNT', field: [], message: 'Bad amount.' }],
          }),
        },
      }).resolvers,
    );
    await user.click(within(drawer).getByRole('button', { name: 'Mark unpaid' }));
    expect(await within(drawer).findByRole('alert')).toHaveTextContent('Bad amount.');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(api.callsOf('Quote')).toHaveLength(0);
  });
});

describe('the Refund dialog over the drawer', () => {
  it('Escape closes the dialog only; the drawer stays open', async () => {
    const { user, drawer, q } = await openPaidDrawer();
    await user.click(within(drawer).getByRole('button', { name: 'Refund' }));
    const dialog = await screen.findByRole('dialog', { name: `Refund ${q.number}` });
    fireEvent.keyDown(dialog, { key: 'Escape' });
    await waitFor(() =>
      expect(screen.queryByRole('dialog', { name: `Refund ${q.number}` })).not.toBeInTheDocument(),
    );
    expect(screen.getByRole('dialog', { name: `Quote ${q.number}` })).toBeInTheDocument();
    // A second Escape, with no dialog left, closes the drawer as before.
    fireEvent.keyDown(document.body, { key: 'Escape' });
    await waitFor(() =>
      expect(screen.queryByRole('dialog', { name: `Quote ${q.number}` })).not.toBeInTheDocument(),
    );
  });

  it('after a refund, focus lands on the drawer’s remaining action, not the page', async () => {
    const { user, drawer, q } = await openPaidDrawer();
    await user.click(within(drawer).getByRole('button', { name: 'Refund' }));
    const dialog = await screen.findByRole('dialog', { name: `Refund ${q.number}` });
    await user.click(within(dialog).getByRole('button', { name: 'Record refund' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog', { name: `Refund ${q.number}` })).not.toBeInTheDocument(),
    );
    const addNote = await within(drawer).findByRole('button', { name: 'Add note' });
    await waitFor(() => expect(document.activeElement).toBe(addNote));
  });

  it('after Cancel, focus returns to the Refund button that opened the dialog', async () => {
    const { user, drawer, q } = await openPaidDrawer();
    const refund = within(drawer).getByRole('button', { name: 'Refund' });
    await user.click(refund);
    const dialog = await screen.findByRole('dialog', { name: `Refund ${q.number}` });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(document.activeElement).toBe(refund));
  });
});

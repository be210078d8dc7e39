import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { QuoteStatus } from '../../gql/graphql';
import { installApi } from '../../test/fakeApi';
import { fakeBusiness, quote } from '../../test/fixtures';
import { renderApp } from '../../test/render';

async function openDrawer(
  status: QuoteStatus,
  role: 'OWNER' | 'MANAGER' = 'OWNER',
  overrides: Parameters<typeof quote>[1] = {},
) {
  const q = quote(status, overrides);
  const api = installApi(fakeBusiness({ role, quotes: [q] }).resolvers);
  const view = renderApp(`/quotes?quote=${q.id}`);
  const drawer = await screen.findByRole('dialog', { name: `Quote ${q.number}` });
  const footer = within(drawer).getByRole('group', { name: 'Quote actions' });
  return { ...view, api, q, drawer, footer };
}

const labels = (footer: HTMLElement) =>
  within(footer)
    .getAllByRole('button')
    .map((button) => button.textContent);

describe('quote drawer footer', () => {
  it.each<[QuoteStatus, string[]]>([
    ['DRAFT', ['Send', 'Void', 'Add note']],
    ['SENT', ['Mark accepted', 'Void', 'Add note']],
    ['ACCEPTED', ['Mark paid', 'Void', 'Add note']],
    ['PAID', ['Mark unpaid', 'Refund', 'Add note']],
    ['REFUNDED', ['Add note']],
    ['VOID', ['Add note']],
  ])('a %s quote offers %j', async (status, expected) => {
    const { footer } = await openDrawer(status);
    expect(labels(footer)).toEqual(expected);
  });

  it('does not offer "Mark unpaid" where the domain refuses it', async () => {
    const ghs = (amount: string) => ({ amount, currency: 'GHS' });
    // Settled by credits on the customer's account alone: no payment was marked.
    const byCredits = await openDrawer('PAID', 'OWNER', { paidAmount: ghs('0.00') });
    expect(labels(byCredits.footer)).toEqual(['Refund', 'Add note']);
    byCredits.unmount();
    // Partly refunded: a refund is final, so its payment stays.
    const partly = await openDrawer('PAID', 'OWNER', {
      refundedAmount: ghs('250.00'),
      refundableAmount: ghs('1000.00'),
    });
    expect(labels(partly.footer)).toEqual(['Refund', 'Add note']);
  });

  it('colours Refund coral', async () => {
    const { footer } = await openDrawer('PAID');
    const refund = within(footer).getByRole('button', { name: 'Refund' });
    expect(refund.getAttribute('style')).toContain('--mantine-color-coral');
  });

  it('shows line items, case, payment and the activity feed oldest first', async () => {
    const q = quote('PAID');
    q.activity = [
      {
        id: 'e3',
        at: '2026-11-10T12:00:00.000Z',
        kind: 'MARKED_PAID',
        actorName: null,
        message: 'Marked paid',
        reason: null,
      },
      {
        id: 'e1',
        at: '2026-11-02T09:00:00.000Z',
        kind: 'CREATED',
        actorName: null,
        message: 'Quote created',
        reason: null,
      },
      {
        id: 'e2',
        at: '2026-11-03T09:00:00.000Z',
        kind: 'NOTE_ADDED',
        actorName: null,
        message: 'Note',
        reason: 'Asked for a discount',
      },
    ];
    installApi(fakeBusiness({ quotes: [q] }).resolvers);
    renderApp(`/quotes?quote=${q.id}`);
    const drawer = await screen.findByRole('dialog', { name: `Quote ${q.number}` });
    expect(within(drawer).getByRole('region', { name: 'Line items' })).toHaveTextContent(
      'Deep clean, 3 rooms',
    );
    expect(within(drawer).getByRole('region', { name: 'Case' })).toHaveTextContent('Won');
    expect(within(drawer).getByRole('region', { name: 'Payment' })).toHaveTextContent('Paid on');
    const feed = within(drawer).getByRole('list', { name: 'Activity, oldest first' });
    const items = within(feed).getAllByRole('listitem');
    expect(items.map((li) => li.querySelector('strong')?.textContent)).toEqual([
      'Quote created',
      'Note',
      'Marked paid',
    ]);
    expect(items[1]).toHaveTextContent('Reason: Asked for a discount');
  });

  it('Send moves a draft to Sent and the footer follows', async () => {
    const { user, footer, api } = await openDrawer('DRAFT');
    await user.click(within(footer).getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(labels(footer)).toEqual(['Mark accepted', 'Void', 'Add note']));
    expect(api.callsOf('SendQuote')).toHaveLength(1);
    // The list and tiles were asked again.
    await waitFor(() => expect(api.callsOf('QuoteStats').length).toBeGreaterThanOrEqual(2));
  });

  it('Mark paid defaults to today, refuses a future date, and sends a past one at noon', async () => {
    const { user, footer, api, q } = await openDrawer('ACCEPTED');
    await user.click(within(footer).getByRole('button', { name: 'Mark paid' }));
    const dialog = await screen.findByRole('dialog', { name: `Mark ${q.number} paid` });
    const date = within(dialog).getByLabelText(/Paid on/);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Africa/Accra' }).format(new Date());
    expect(date).toHaveValue(today);

    fireEvent.change(date, { target: { value: '2999-01-01' } });
    await user.click(within(dialog).getByRole('button', { name: 'Record payment' }));
    expect(
      await within(dialog).findByText('The payment date cannot be in the future.'),
    ).toBeVisible();
    expect(api.callsOf('MarkQuotePaid')).toHaveLength(0);

    fireEvent.change(date, { target: { value: '2026-11-05' } });
    await user.click(within(dialog).getByRole('button', { name: 'Record payment' }));
    await waitFor(() => expect(api.callsOf('MarkQuotePaid')).toHaveLength(1));
    expect(api.callsOf('MarkQuotePaid')[0]?.variables).toEqual({
      input: {
        quoteId: q.id,
        paidAt: '2026-11-05T12:00:00.000Z',
        idempotencyKey: expect.any(String),
      },
    });
    await waitFor(() => expect(labels(footer)).toEqual(['Mark unpaid', 'Refund', 'Add note']));
  });

  it('Void asks first, then voids', async () => {
    const { user, footer, api, q } = await openDrawer('SENT');
    await user.click(within(footer).getByRole('button', { name: 'Void' }));
    const dialog = await screen.findByRole('dialog', { name: `Void ${q.number}?` });
    expect(api.callsOf('VoidQuote')).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Void quote' }));
    await waitFor(() => expect(labels(footer)).toEqual(['Add note']));
  });

  it('Add note refuses an empty note and adds a written one', async () => {
    const { user, footer, api, q, drawer } = await openDrawer('REFUNDED');
    await user.click(within(footer).getByRole('button', { name: 'Add note' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a note' });
    await user.click(within(dialog).getByRole('button', { name: 'Save note' }));
    expect(await within(dialog).findByText('Write the note first.')).toBeVisible();
    await user.type(within(dialog).getByLabelText(/Note/), 'Half was refunded in cash');
    await user.click(within(dialog).getByRole('button', { name: 'Save note' }));
    await waitFor(() =>
      expect(api.callsOf('AddQuoteNote')[0]?.variables).toEqual({
        quoteId: q.id,
        body: 'Half was refunded in cash',
      }),
    );
    expect(await within(drawer).findByText('Half was refunded in cash')).toBeInTheDocument();
  });
});

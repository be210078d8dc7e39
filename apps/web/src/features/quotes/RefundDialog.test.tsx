import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { defaultUserErrorMessage, UserErrorCode } from '@refunds/domain';
import { graphql, HttpResponse } from 'msw';
import { apiError, installApi } from '../../test/fakeApi';
import { business, fakeBusiness, quote } from '../../test/fixtures';
import { renderApp } from '../../test/render';
import { server } from '../../test/server';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function openRefundDialog(extra: Record<string, unknown> = {}) {
  const paid = quote('PAID');
  const biz = fakeBusiness({ quotes: [paid], extra });
  const api = installApi(biz.resolvers);
  const view = renderApp(`/quotes?quote=${paid.id}`);
  const drawer = await screen.findByRole('dialog', { name: `Quote ${paid.number}` });
  await view.user.click(within(drawer).getByRole('button', { name: 'Refund' }));
  const dialog = await screen.findByRole('dialog', { name: `Refund ${paid.number}` });
  return { ...view, api, paid, biz, drawer, dialog };
}

describe('refund dialog', () => {
  it('says what will happen and lists where to send the money for the business country', async () => {
    const { dialog, paid } = await openRefundDialog();
    const happens = within(dialog).getByRole('region', { name: 'What will happen' });
    expect(happens).toHaveTextContent('The invoice status becomes Refunded.');
    expect(happens).toHaveTextContent(`Case ${paid.case.number} moves to Lost.`);
    expect(happens).toHaveTextContent(/Invoices paid and Invoiced this month no longer count it/);
    expect(happens).toHaveTextContent('Automatic follow-ups stop for this invoice.');
    expect(happens).toHaveTextContent('This cannot be undone.');
    const channels = within(dialog).getByRole('list', { name: 'Refund channels' });
    expect(
      within(channels)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(business.refundChannelExamples);
    expect(within(dialog).getByText('GH₵1,250.00')).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Reason')).toHaveValue('');
  });

  it('records the refund with the reason and a key, then refreshes drawer, tabs, tiles and list', async () => {
    const { user, dialog, drawer, api, paid } = await openRefundDialog();
    expect(screen.queryByRole('tab', { name: 'Refunded' })).not.toBeInTheDocument();
    const paidTile = screen.getByRole('region', { name: 'Invoices paid' });
    expect(paidTile).toHaveTextContent('1');

    await user.type(within(dialog).getByLabelText('Reason'), 'Customer cancelled');
    await user.click(within(dialog).getByRole('button', { name: 'Record refund' }));

    await waitFor(() =>
      expect(
        screen.queryByRole('dialog', { name: `Refund ${paid.number}` }),
      ).not.toBeInTheDocument(),
    );
    const [call, ...more] = api.callsOf('RecordRefund');
    expect(more).toHaveLength(0);
    expect(call?.variables).toEqual({
      input: {
        quoteId: paid.id,
        // Defaults to everything still refundable: a full refund.
        amount: '1250.00',
        reasonCategory: null,
        reason: 'Customer cancelled',
        idempotencyKey: expect.stringMatching(UUID),
        notifyCustomer: false,
      },
    });
    // The drawer shows the new status, the case, the refund and the feed entry with its reason.
    expect(await within(drawer).findByText('Refund recorded')).toBeInTheDocument();
    expect(within(drawer).getAllByText('Refunded').length).toBeGreaterThan(0);
    expect(within(drawer).getByText(/Case YS-\d+:/)).toHaveTextContent('Lost');
    expect(within(drawer).getByRole('region', { name: 'Refund' })).toHaveTextContent(
      'Reason: Customer cancelled',
    );
    const feed = within(drawer).getByRole('list', { name: 'Activity, oldest first' });
    const entries = within(feed).getAllByRole('listitem');
    expect(entries[entries.length - 1]).toHaveTextContent('Refund recorded');
    expect(entries[entries.length - 1]).toHaveTextContent('Reason: Customer cancelled');
    // Only a note can follow a refund.
    const footer = within(drawer).getByRole('group', { name: 'Quote actions' });
    expect(
      within(footer)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Add note']);
    // Tabs and tiles were asked again and now count the refund.
    expect(await screen.findByRole('tab', { name: 'Refunded' })).toBeInTheDocument();
    await waitFor(() => expect(paidTile).toHaveTextContent('0'));
    expect(screen.getByRole('region', { name: 'Invoiced this month' })).toHaveTextContent(
      'GH₵0.00',
    );
  });

  it('sends no reason when the field is left empty', async () => {
    const { user, dialog, api } = await openRefundDialog();
    await user.click(within(dialog).getByRole('button', { name: 'Record refund' }));
    await waitFor(() => expect(api.callsOf('RecordRefund')).toHaveLength(1));
    expect(api.callsOf('RecordRefund')[0]?.variables).toMatchObject({ input: { reason: null } });
  });

  it('asks the API to e-mail the customer when "Tell the customer" is ticked', async () => {
    const { user, dialog, api } = await openRefundDialog();
    await user.click(within(dialog).getByRole('checkbox', { name: /Tell the customer by e-mail/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Record refund' }));
    await waitFor(() => expect(api.callsOf('RecordRefund')).toHaveLength(1));
    expect(api.callsOf('RecordRefund')[0]?.variables).toMatchObject({
      input: { notifyCustomer: true },
    });
  });

  it('records one refund when Record refund is double-clicked', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const paidQuote = quote('PAID');
    const biz = fakeBusiness({ quotes: [paidQuote] });
    const record = biz.resolvers['recordRefund'] as (args: unknown) => unknown;
    biz.resolvers['recordRefund'] = async (args: unknown) => {
      await gate;
      return record(args);
    };
    const api = installApi(biz.resolvers);
    const { user } = renderApp(`/quotes?quote=${paidQuote.id}`);
    const drawer = await screen.findByRole('dialog', { name: `Quote ${paidQuote.number}` });
    await user.click(within(drawer).getByRole('button', { name: 'Refund' }));
    const dialog = await screen.findByRole('dialog', { name: `Refund ${paidQuote.number}` });
    const button = within(dialog).getByRole('button', { name: 'Record refund' });

    await user.dblClick(button);
    await user.click(button);
    await waitFor(() => expect(api.callsOf('RecordRefund')).toHaveLength(1));
    expect(button).toBeDisabled();
    release();

    await waitFor(() => expect(screen.queryByRole('dialog', { name: /^Refund / })).toBeNull());
    expect(api.callsOf('RecordRefund')).toHaveLength(1);
  });

  it('ignores a second submit (e.g. Enter twice) while the first is in flight', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const paidQuote = quote('PAID');
    const biz = fakeBusiness({ quotes: [paidQuote] });
    const record = biz.resolvers['recordRefund'] as (args: unknown) => unknown;
    biz.resolvers['recordRefund'] = async (args: unknown) => {
      await gate;
      return record(args);
    };
    const api = installApi(biz.resolvers);
    const { user } = renderApp(`/quotes?quote=${paidQuote.id}`);
    const drawer = await screen.findByRole('dialog', { name: `Quote ${paidQuote.number}` });
    await user.click(within(drawer).getByRole('button', { name: 'Refund' }));
    const dialog = await screen.findByRole('dialog', { name: `Refund ${paidQuote.number}` });
    const form = within(dialog).getByLabelText('Reason').closest('form') as HTMLFormElement;
    // Submitting the form directly bypasses the disabled button: only the in-flight guard is left.
    fireEvent.submit(form);
    fireEvent.submit(form);
    await waitFor(() => expect(api.callsOf('RecordRefund')).toHaveLength(1));
    release();
    await waitFor(() => expect(screen.queryByRole('dialog', { name: /^Refund / })).toBeNull());
    expect(api.callsOf('RecordRefund')).toHaveLength(1);
  });

  const refusals = [
    [UserErrorCode.QUOTE_NOT_PAID, 'Only a paid invoice can be refunded. Mark it paid first.'],
    [UserErrorCode.ALREADY_REFUNDED, 'This invoice was already refunded on 20 Nov.'],
    [UserErrorCode.NOT_FOUND, 'We could not find that quote.'],
    [UserErrorCode.INVALID_STATE, 'A void quote cannot be refunded.'],
    [UserErrorCode.NOT_REFUNDABLE, 'This invoice cannot be refunded.'],
    [UserErrorCode.IDEMPOTENCY_KEY_REUSED, 'This key was used for another request.'],
  ] as const;

  it.each(refusals)('shows %s inline and records nothing', async (code, message) => {
    const { user, dialog, api, drawer } = await openRefundDialog({
      recordRefund: () => ({
        refund: null,
        quote: null,
        userErrors: [{ code, field: [], message }],
      }),
    });
    await user.click(within(dialog).getByRole('button', { name: 'Record refund' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(message);
    // Still open, still Paid, and a second try is a new request with a new key.
    expect(within(drawer).getAllByText('Paid').length).toBeGreaterThan(0);
    await user.click(within(dialog).getByRole('button', { name: 'Record refund' }));
    await waitFor(() => expect(api.callsOf('RecordRefund')).toHaveLength(2));
    const [first, second] = api.callsOf('RecordRefund');
    expect(first?.variables).not.toEqual(second?.variables);
  });

  it('falls back to the domain message when the API sends none', async () => {
    const { user, dialog } = await openRefundDialog({
      recordRefund: () => ({
        refund: null,
        quote: null,
        userErrors: [{ code: 'ALREADY_REFUNDED', field: [], message: '' }],
      }),
    });
    await user.click(within(dialog).getByRole('button', { name: 'Record refund' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      defaultUserErrorMessage.ALREADY_REFUNDED,
    );
  });

  it('shows an error about the reason next to the Reason field', async () => {
    const { user, dialog } = await openRefundDialog({
      recordRefund: () => ({
        refund: null,
        quote: null,
        userErrors: [
          { code: 'INVALID_STATE', field: ['input', 'reason'], message: 'The reason is too long.' },
        ],
      }),
    });
    await user.click(within(dialog).getByRole('button', { name: 'Record refund' }));
    const reason = within(dialog).getByLabelText('Reason');
    await waitFor(() => expect(reason).toHaveAttribute('aria-invalid', 'true'));
    expect(reason).toHaveAccessibleDescription(expect.stringContaining('The reason is too long.'));
  });

  it('explains a permission error from the API', async () => {
    const { user, dialog } = await openRefundDialog({
      recordRefund: () => {
        throw apiError('FORBIDDEN', 'Not allowed');
      },
    });
    await user.click(within(dialog).getByRole('button', { name: 'Record refund' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Your role does not allow this.',
    );
  });

  it('keeps the same key after a network failure, so the retry cannot record twice', async () => {
    const { user, dialog, api } = await openRefundDialog();
    let failedKey: unknown;
    server.use(
      graphql.mutation(
        'RecordRefund',
        ({ variables }) => {
          failedKey = (variables['input'] as { idempotencyKey: string }).idempotencyKey;
          return HttpResponse.error();
        },
        { once: true },
      ),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Record refund' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      /Could not reach the server/,
    );
    await user.click(within(dialog).getByRole('button', { name: 'Record refund' }));
    await waitFor(() => expect(api.callsOf('RecordRefund')).toHaveLength(1));
    expect(failedKey).toMatch(UUID);
    expect(api.callsOf('RecordRefund')[0]?.variables).toMatchObject({
      input: { idempotencyKey: failedKey },
    });
  });

  it('closes with Escape without recording anything', async () => {
    const { user, api, paid } = await openRefundDialog();
    await user.keyboard('{Escape}');
    await waitFor(() =>
      expect(screen.queryByRole('dialog', { name: `Refund ${paid.number}` })).toBeNull(),
    );
    expect(api.callsOf('RecordRefund')).toHaveLength(0);
  });
});

describe('partial refunds', () => {
  it('refuses more than is refundable in place, by the domain parse, and sends nothing', async () => {
    const { user, dialog, api } = await openRefundDialog();
    const amount = within(dialog).getByLabelText('Amount');
    expect(amount).toHaveValue('1250.00');
    const tryAmount = async (typed: string) => {
      await user.clear(amount);
      await user.type(amount, typed);
      await user.click(within(dialog).getByRole('button', { name: 'Record refund' }));
      expect(within(dialog).getByLabelText('Amount')).toHaveAttribute('aria-invalid', 'true');
    };
    await tryAmount('1250.01');
    expect(
      within(dialog).getByText(
        'Only GH₵1,250.00 of this invoice can still be refunded. Refund at most that.',
      ),
    ).toBeInTheDocument();
    await tryAmount('12.345');
    expect(within(dialog).getByText(/GHS has 2 decimal places/)).toBeInTheDocument();
    await tryAmount('0');
    expect(api.callsOf('RecordRefund')).toHaveLength(0);
  });

  it('records a partial refund with its category: the invoice stays Paid, Partly refunded', async () => {
    const { user, dialog, drawer, api, paid } = await openRefundDialog();
    const amount = within(dialog).getByLabelText('Amount');
    await user.clear(amount);
    await user.type(amount, '250');
    const happens = within(dialog).getByRole('region', { name: 'What will happen' });
    expect(happens).toHaveTextContent(/stays Paid, marked Partly refunded/);
    expect(happens).not.toHaveTextContent('moves to Lost');
    await user.click(within(dialog).getByRole('combobox', { name: 'Reason category' }));
    await user.click(await screen.findByRole('option', { name: 'Service not delivered' }));
    await user.click(within(dialog).getByRole('button', { name: 'Record refund' }));
    await waitFor(() => expect(api.callsOf('RecordRefund')).toHaveLength(1));
    expect(api.callsOf('RecordRefund')[0]?.variables).toMatchObject({
      input: { quoteId: paid.id, amount: '250.00', reasonCategory: 'NOT_DELIVERED' },
    });
    expect(await within(drawer).findByText('Partly refunded')).toBeInTheDocument();
    expect(within(drawer).getByTestId('quote-refunded')).toHaveTextContent(
      'Refunded: GH₵250.00 · Still refundable: GH₵1,000.00',
    );
    const refunds = within(drawer).getByRole('region', { name: 'Partial refunds' });
    expect(refunds).toHaveTextContent('GH₵250.00');
    expect(refunds).toHaveTextContent('Service not delivered');
    // Still paid: the footer still offers a refund of the rest.
    const footer = within(drawer).getByRole('group', { name: 'Quote actions' });
    expect(within(footer).getByRole('button', { name: 'Refund' })).toBeInTheDocument();
  });
});

import { screen, waitFor, within } from '@testing-library/react';
import { defaultUserErrorMessage, UserErrorCode } from '@refunds/domain';
import { installApi } from '../../test/fakeApi';
import { customer } from '../../test/fixtures';
import { renderApp } from '../../test/render';
import { fakeLedger } from './testLedger';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A wallet with 100 credits bought, 40 spent and 10 of those already refunded. */
function wallet(extra: Record<string, unknown> = {}) {
  const ledger = fakeLedger({ customers: [{ ...customer }], extra });
  ledger.add(customer.id, 'PURCHASE', 100n, { description: 'Starter pack' });
  const spend = ledger.add(customer.id, 'SPEND', -40n, { description: 'Deep clean' });
  spend.refundedCredits = '10';
  spend.refundableCredits = '30';
  const refund = ledger.add(customer.id, 'REFUND', 10n, { refundOf: spend });
  const api = installApi(ledger.resolvers);
  return { ledger, spend, refund, api };
}

function rowOf(text: RegExp | string) {
  const table = screen.getByRole('table', { name: 'Credit transactions, newest first' });
  const row = within(table)
    .getAllByRole('row')
    .find((r) => within(r).queryAllByText(text).length > 0);
  if (!row) throw new Error(`no row with ${String(text)}`);
  return row;
}

async function openRefundPanel(extra: Record<string, unknown> = {}) {
  const setup = wallet(extra);
  const view = renderApp('/transactions');
  await screen.findByRole('table', { name: 'Credit transactions, newest first' });
  await view.user.click(within(rowOf('Deep clean')).getByRole('button', { name: 'Refund' }));
  const panel = await screen.findByRole('dialog', { name: 'Refund transaction' });
  return { ...setup, ...view, panel };
}

describe('transactions list', () => {
  it('lists entries newest first with kind, signed credits, balance after, who and what a refund refunds', async () => {
    wallet();
    renderApp('/transactions');
    const table = await screen.findByRole('table', { name: 'Credit transactions, newest first' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent('Refund');
    expect(rows[0]).toHaveTextContent('+10');
    expect(rows[0]).toHaveTextContent(/Refund of the spend of -40 on/);
    expect(rows[1]).toHaveTextContent('Spend');
    expect(rows[1]).toHaveTextContent('-40');
    expect(rows[1]).toHaveTextContent('60');
    expect(rows[1]).toHaveTextContent('Refunded so far: 10');
    expect(rows[2]).toHaveTextContent('Purchase');
    expect(rows[2]).toHaveTextContent('+100');
    expect(rows[2]).toHaveTextContent('Ama Owusu');
    expect(rows[2]).toHaveTextContent('Yaw Mensah');
    // Refund only on spends, Delete only on refunds and corrections.
    expect(within(rows[0]!).queryByRole('button', { name: 'Refund' })).toBeNull();
    expect(within(rows[0]!).getByRole('button', { name: 'Delete' })).toBeInTheDocument();
    expect(within(rows[1]!).getByRole('button', { name: 'Refund' })).toBeInTheDocument();
    expect(within(rows[1]!).queryByRole('button', { name: 'Delete' })).toBeNull();
    expect(within(rows[2]!).queryAllByRole('button')).toHaveLength(0);
  });

  it('filters by kind and by customer through the API', async () => {
    const ama = { ...customer, id: 'c2', name: 'Abena Boateng', portalPath: '/c/tok-abena' };
    const ledger = fakeLedger({ customers: [{ ...customer }, ama] });
    ledger.add(customer.id, 'PURCHASE', 100n);
    ledger.add(ama.id, 'PURCHASE', 50n);
    ledger.add(ama.id, 'SPEND', -5n);
    const api = installApi(ledger.resolvers);
    const { user } = renderApp('/transactions');
    await screen.findByRole('table', { name: 'Credit transactions, newest first' });

    await user.click(screen.getByRole('combobox', { name: 'Kind' }));
    await user.click(await screen.findByRole('option', { name: 'Purchase' }));
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent('/transactions?kind=purchase'),
    );
    await waitFor(() => expect(screen.getAllByRole('row')).toHaveLength(3));
    expect(api.callsOf('CreditTransactions').at(-1)?.variables).toMatchObject({ kind: 'PURCHASE' });

    await user.click(screen.getByRole('combobox', { name: 'Customer' }));
    await user.click(await screen.findByRole('option', { name: 'Abena Boateng' }));
    await waitFor(() => expect(screen.getAllByRole('row')).toHaveLength(2));
    expect(api.callsOf('CreditTransactions').at(-1)?.variables).toMatchObject({
      kind: 'PURCHASE',
      customerId: 'c2',
    });
    expect(screen.getAllByRole('row')[1]).toHaveTextContent('+50');
  });

  it('says so when there are no transactions', async () => {
    installApi(fakeLedger().resolvers);
    renderApp('/transactions');
    expect(await screen.findByText('No transactions')).toBeInTheDocument();
  });
});

describe('refund transaction panel', () => {
  it('shows the original, already refunded and refundable amounts, and defaults to everything refundable', async () => {
    const { panel } = await openRefundPanel();
    const limits = within(panel).getByRole('table', { name: 'Refund limits' });
    expect(
      within(limits).getByRole('rowheader', { name: 'Original amount' }).closest('tr'),
    ).toHaveTextContent('40');
    expect(
      within(limits).getByRole('rowheader', { name: 'Already refunded' }).closest('tr'),
    ).toHaveTextContent('10');
    expect(
      within(limits).getByRole('rowheader', { name: 'Refundable' }).closest('tr'),
    ).toHaveTextContent('30');
    expect(within(panel).getByLabelText(/Credits to refund/)).toHaveValue('30');
  });

  it('refunds part of the spend and shows the linked entry at the top', async () => {
    const { user, panel, api, spend } = await openRefundPanel();
    const amount = within(panel).getByLabelText(/Credits to refund/);
    await user.clear(amount);
    await user.type(amount, '12');
    await user.type(within(panel).getByLabelText('Reason'), 'Cleaner left early');
    await user.click(within(panel).getByRole('combobox', { name: 'Reason category' }));
    await user.click(await screen.findByRole('option', { name: 'Service not delivered' }));
    await user.click(within(panel).getByRole('button', { name: 'Refund' }));

    await waitFor(() =>
      expect(screen.queryByRole('dialog', { name: 'Refund transaction' })).toBeNull(),
    );
    const [call, ...more] = api.callsOf('RefundTransaction');
    expect(more).toHaveLength(0);
    expect(call?.variables).toEqual({
      input: {
        transactionId: spend.id,
        credits: '12',
        reason: 'Cleaner left early',
        reasonCategory: 'NOT_DELIVERED',
        expectedRefundedCredits: '10',
        idempotencyKey: expect.stringMatching(UUID),
        notifyCustomer: false,
      },
    });
    await waitFor(() => {
      const first = screen.getAllByRole('row')[1];
      expect(first).toHaveTextContent('+12');
      expect(first).toHaveTextContent('Cleaner left early');
      expect(first).toHaveTextContent('Category: Service not delivered');
      expect(first).toHaveTextContent(/Refund of the spend of -40/);
    });
    expect(rowOf('Deep clean')).toHaveTextContent('Refunded so far: 22');
  });

  it.each([
    ['31', 'At most 30 credits can still be refunded.'],
    // 10^20 is a whole number above zero: the real limit is what can still be refunded.
    ['100000000000000000000', 'At most 30 credits can still be refunded.'],
    ['0', 'Enter a whole number of credits above zero.'],
    ['-3', 'Enter a whole number of credits above zero.'],
    ['2.5', 'Enter a whole number of credits above zero.'],
    ['', 'Enter a whole number of credits above zero.'],
  ])('refuses %p before sending anything', async (typed, message) => {
    const { user, panel, api } = await openRefundPanel();
    const amount = within(panel).getByLabelText(/Credits to refund/);
    await user.clear(amount);
    if (typed) await user.type(amount, typed);
    await user.click(within(panel).getByRole('button', { name: 'Refund' }));
    await waitFor(() => expect(amount).toHaveAttribute('aria-invalid', 'true'));
    expect(amount).toHaveAccessibleDescription(expect.stringContaining(message));
    expect(api.callsOf('RefundTransaction')).toHaveLength(0);
  });

  it('shows AMOUNT_EXCEEDS_REFUNDABLE from the server next to the amount', async () => {
    const { user, panel, api } = await openRefundPanel({
      refundTransaction: () => ({
        transaction: null,
        customer: null,
        userErrors: [
          {
            code: 'AMOUNT_EXCEEDS_REFUNDABLE',
            field: ['input', 'credits'],
            message: 'Only 30 credits can still be refunded.',
          },
        ],
      }),
    });
    await user.click(within(panel).getByRole('button', { name: 'Refund' }));
    const amount = within(panel).getByLabelText(/Credits to refund/);
    await waitFor(() => expect(amount).toHaveAttribute('aria-invalid', 'true'));
    expect(amount).toHaveAccessibleDescription(
      expect.stringContaining('Only 30 credits can still be refunded.'),
    );
    expect(api.callsOf('RefundTransaction')).toHaveLength(1);
    expect(screen.getByRole('dialog', { name: 'Refund transaction' })).toBeInTheDocument();
  });

  it('sends the refunded amount it showed, and after a refund made meanwhile shows the new limits', async () => {
    const { user, panel, api, spend } = await openRefundPanel();
    // Another member refunds 25 after the panel opened: only 5 are left on the server.
    spend.refundedCredits = '35';
    spend.refundableCredits = '5';
    await user.click(within(panel).getByRole('button', { name: 'Refund' }));
    expect(await within(panel).findByRole('alert')).toHaveTextContent(
      'Someone refunded this spend meanwhile.',
    );
    expect(api.callsOf('RefundTransaction')[0]?.variables).toMatchObject({
      input: { credits: '30', expectedRefundedCredits: '10' },
    });
    const limits = within(panel).getByRole('table', { name: 'Refund limits' });
    await waitFor(() =>
      expect(
        within(limits).getByRole('rowheader', { name: 'Refundable' }).closest('tr'),
      ).toHaveTextContent('5'),
    );
    // 30 is now too much: refused before sending.
    await user.click(within(panel).getByRole('button', { name: 'Refund' }));
    expect(within(panel).getByLabelText(/Credits to refund/)).toHaveAccessibleDescription(
      expect.stringContaining('At most 5 credits can still be refunded.'),
    );
    expect(api.callsOf('RefundTransaction')).toHaveLength(1);
  });

  it.each([
    UserErrorCode.AMOUNT_EXCEEDS_REFUNDABLE,
    UserErrorCode.INVALID_AMOUNT,
    UserErrorCode.INVALID_STATE,
    UserErrorCode.NOT_FOUND,
    UserErrorCode.NOT_REFUNDABLE,
    UserErrorCode.INSUFFICIENT_BALANCE,
    UserErrorCode.IDEMPOTENCY_KEY_REUSED,
  ])('shows %s inline, keeps the panel open, and retries with a new key', async (code) => {
    const { user, panel, api } = await openRefundPanel({
      refundTransaction: () => ({
        transaction: null,
        customer: null,
        userErrors: [{ code, field: [], message: '' }],
      }),
    });
    await user.click(within(panel).getByRole('button', { name: 'Refund' }));
    expect(await within(panel).findByRole('alert')).toHaveTextContent(
      defaultUserErrorMessage[code],
    );
    await user.click(within(panel).getByRole('button', { name: 'Refund' }));
    await waitFor(() => expect(api.callsOf('RefundTransaction')).toHaveLength(2));
    const [first, second] = api.callsOf('RefundTransaction');
    expect(first?.variables).not.toEqual(second?.variables);
  });

  it('closes with Escape and refunds nothing', async () => {
    const { user, api } = await openRefundPanel();
    await user.keyboard('{Escape}');
    await waitFor(() =>
      expect(screen.queryByRole('dialog', { name: 'Refund transaction' })).toBeNull(),
    );
    expect(api.callsOf('RefundTransaction')).toHaveLength(0);
  });
});

describe('delete a refund or correction', () => {
  it('asks for a reason and a category, then shows the reversal linked to the entry it undoes', async () => {
    const { api, refund } = wallet();
    const { user } = renderApp('/transactions');
    await screen.findByRole('table', { name: 'Credit transactions, newest first' });
    await user.click(within(rowOf(/Refund of the spend/)).getByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete this refund?' });

    // No reason: refused before sending.
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    const reason = within(dialog).getByRole('textbox', { name: /^Reason/ });
    await waitFor(() => expect(reason).toHaveAttribute('aria-invalid', 'true'));
    expect(reason).toHaveAccessibleDescription(
      expect.stringContaining('Say why this entry is deleted.'),
    );
    expect(api.callsOf('DeleteTransaction')).toHaveLength(0);

    await user.type(reason, 'Entered twice');
    await user.click(within(dialog).getByRole('combobox', { name: 'Reason category' }));
    await user.click(await screen.findByRole('option', { name: 'Duplicate payment' }));
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog', { name: 'Delete this refund?' })).toBeNull(),
    );
    expect(api.callsOf('DeleteTransaction')[0]?.variables).toEqual({
      input: {
        transactionId: refund.id,
        reason: 'Entered twice',
        reasonCategory: 'DUPLICATE_PAYMENT',
        idempotencyKey: expect.stringMatching(UUID),
      },
    });

    await waitFor(() => expect(rowOf(/Refund of the spend/)).toHaveTextContent('Reversed'));
    const row = rowOf(/Refund of the spend/);
    expect(row).toHaveTextContent(/Reversed by Ama Owusu on .*: Entered twice/);
    expect(within(row).getByText('+10').tagName).toBe('S');
    expect(within(row).getByText('Reversed')).toBeInTheDocument();
    // Reversed once: no second Delete.
    expect(within(row).queryByRole('button', { name: 'Delete' })).toBeNull();
    // The reversal is a new entry at the top, linked to the refund, and cannot itself be deleted.
    const top = screen.getAllByRole('row')[1]!;
    expect(top).toHaveTextContent('Reversal');
    expect(top).toHaveTextContent('-10');
    expect(top).toHaveTextContent(/Reverses the refund of \+10 on/);
    expect(top).toHaveTextContent('Category: Duplicate payment');
    expect(top).toHaveTextContent('Entered twice');
    expect(top).not.toHaveTextContent('Reversed');
    expect(within(top).queryByRole('button', { name: 'Delete' })).toBeNull();
    // The balance after the reversal is what the refund's came to, less its credits: 70 - 10.
    expect(top).toHaveTextContent('60');
    // The spend may be refunded again.
    expect(rowOf('Deep clean')).not.toHaveTextContent('Refunded so far');
  });

  it.each([
    UserErrorCode.INVALID_STATE,
    UserErrorCode.INSUFFICIENT_BALANCE,
    UserErrorCode.NOT_FOUND,
  ])('shows %s inline and keeps the entry', async (code) => {
    wallet({
      deleteTransaction: () => ({
        transaction: null,
        customer: null,
        userErrors: [{ code, field: [], message: '' }],
      }),
    });
    const { user } = renderApp('/transactions');
    await screen.findByRole('table', { name: 'Credit transactions, newest first' });
    await user.click(within(rowOf(/Refund of the spend/)).getByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete this refund?' });
    await user.type(within(dialog).getByRole('textbox', { name: /^Reason/ }), 'Oops');
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      defaultUserErrorMessage[code],
    );
    expect(rowOf(/Refund of the spend/)).not.toHaveTextContent('Reversed');
  });
});

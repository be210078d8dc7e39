import { screen, waitFor, within } from '@testing-library/react';
import { defaultUserErrorMessage, UserErrorCode } from '@refunds/domain';
import { installApi } from '../../test/fakeApi';
import { customer } from '../../test/fixtures';
import { renderApp } from '../../test/render';
import { fakeLedger } from '../transactions/testLedger';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function customerWith(credits: bigint, extra: Record<string, unknown> = {}) {
  const ledger = fakeLedger({
    customers: [{ ...customer, accountBalance: { amount: '-5.00', currency: 'GHS' } }],
    extra,
  });
  if (credits > 0n) ledger.add(customer.id, 'PURCHASE', credits);
  const api = installApi(ledger.resolvers);
  const view = renderApp(`/customers/${customer.id}`);
  return { ledger, api, ...view };
}

async function correctionForm() {
  return screen.findByRole('form', { name: "Add credits to customer's account" });
}

describe('customer page', () => {
  it('shows details, the portal link, both balances and the way to the accounts', async () => {
    customerWith(40n);
    expect(
      await screen.findByRole('heading', { name: 'Yaw Mensah', level: 1 }),
    ).toBeInTheDocument();
    expect(screen.getByText('yaw@example.com')).toBeInTheDocument();
    expect(screen.getByTestId('portal-link')).toHaveAttribute(
      'href',
      `${window.location.origin}/c/tok-yaw`,
    );
    expect(screen.getByRole('button', { name: 'Copy portal link' })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Credit balance' })).toHaveTextContent('40 credits');
    expect(screen.getByRole('region', { name: 'Account balance' })).toHaveTextContent('-GH₵5.00');
    expect(screen.getByRole('link', { name: 'View accounts' })).toHaveAttribute(
      'href',
      `/customers/${customer.id}/accounts`,
    );
  });

  it('shows an agent the details only: no balances, no correction form', async () => {
    const ledger = fakeLedger({ role: 'AGENT' });
    const api = installApi(ledger.resolvers);
    renderApp(`/customers/${customer.id}`);
    expect(
      await screen.findByRole('heading', { name: 'Yaw Mensah', level: 1 }),
    ).toBeInTheDocument();
    expect(api.callsOf('CustomerDetail')[0]?.variables).toMatchObject({ withMoney: false });
    expect(screen.queryByRole('region', { name: 'Credit balance' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'View accounts' })).toBeNull();
    expect(screen.queryByRole('form', { name: "Add credits to customer's account" })).toBeNull();
  });

  it('says so when the customer does not exist', async () => {
    installApi(fakeLedger().resolvers);
    renderApp('/customers/nope');
    expect(await screen.findByText('Customer not found')).toBeInTheDocument();
  });

  it('removes credits with a negative correction, shows the new balance and the correction', async () => {
    const { user, api } = customerWith(40n);
    const form = await correctionForm();
    await user.type(within(form).getByLabelText(/^Credits/), '-10');
    await user.type(within(form).getByLabelText(/^Comment/), 'Double top-up by mistake');
    await user.click(within(form).getByRole('button', { name: 'Add' }));

    expect(await within(form).findByRole('status')).toHaveTextContent('New balance: 30 credits');
    expect(api.callsOf('AdjustBalance')[0]?.variables).toEqual({
      input: {
        customerId: customer.id,
        credits: '-10',
        comment: 'Double top-up by mistake',
        idempotencyKey: expect.stringMatching(UUID),
      },
    });
    await waitFor(() =>
      expect(screen.getByRole('region', { name: 'Credit balance' })).toHaveTextContent(
        '30 credits',
      ),
    );
    const corrections = screen.getByRole('table', { name: 'Recent corrections, newest first' });
    const rows = within(corrections).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('-10');
    expect(rows[1]).toHaveTextContent('Double top-up by mistake');
    expect(rows[1]).toHaveTextContent('Ama Owusu');
    // The form is cleared for the next correction.
    expect(within(form).getByLabelText(/^Credits/)).toHaveValue('');
  });

  it('takes the balance to exactly zero', async () => {
    const { user } = customerWith(40n);
    const form = await correctionForm();
    await user.type(within(form).getByLabelText(/^Credits/), '-40');
    await user.type(within(form).getByLabelText(/^Comment/), 'Closing the wallet');
    await user.click(within(form).getByRole('button', { name: 'Add' }));
    expect(await within(form).findByRole('status')).toHaveTextContent('New balance: 0 credits');
  });

  it('shows INSUFFICIENT_BALANCE from the server next to the credits and changes nothing', async () => {
    const { user, api } = customerWith(40n);
    const form = await correctionForm();
    await user.type(within(form).getByLabelText(/^Credits/), '-50');
    await user.type(within(form).getByLabelText(/^Comment/), 'Too much');
    await user.click(within(form).getByRole('button', { name: 'Add' }));
    const credits = within(form).getByLabelText(/^Credits/);
    await waitFor(() => expect(credits).toHaveAttribute('aria-invalid', 'true'));
    expect(credits).toHaveAccessibleDescription(
      expect.stringContaining('The balance is only 40 credits.'),
    );
    expect(api.callsOf('AdjustBalance')).toHaveLength(1);
    expect(screen.getByRole('region', { name: 'Credit balance' })).toHaveTextContent('40 credits');
    expect(within(form).getByRole('status')).toBeEmptyDOMElement();
  });

  it.each([
    ['', 'Double', 'Enter a whole number of credits'],
    ['0', 'Nothing', 'Enter a whole number of credits'],
    ['2.5', 'Half', 'Enter a whole number of credits'],
    ['abc', 'Letters', 'Enter a whole number of credits'],
    // Beyond the domain's MAX_CREDITS: the message says the limit, not "enter a whole number".
    ['100000000000000000000', 'Huge', 'At most 1,000,000,000,000 credits in one correction.'],
  ])('refuses credits %p before sending', async (typed, comment, message) => {
    const { user, api } = customerWith(40n);
    const form = await correctionForm();
    if (typed) await user.type(within(form).getByLabelText(/^Credits/), typed);
    await user.type(within(form).getByLabelText(/^Comment/), comment);
    await user.click(within(form).getByRole('button', { name: 'Add' }));
    const credits = within(form).getByLabelText(/^Credits/);
    await waitFor(() => expect(credits).toHaveAttribute('aria-invalid', 'true'));
    expect(credits).toHaveAccessibleDescription(expect.stringContaining(message));
    expect(api.callsOf('AdjustBalance')).toHaveLength(0);
  });

  it('requires a comment', async () => {
    const { user, api } = customerWith(40n);
    const form = await correctionForm();
    await user.type(within(form).getByLabelText(/^Credits/), '5');
    await user.type(within(form).getByLabelText(/^Comment/), '   ');
    await user.click(within(form).getByRole('button', { name: 'Add' }));
    const comment = within(form).getByLabelText(/^Comment/);
    await waitFor(() => expect(comment).toHaveAttribute('aria-invalid', 'true'));
    expect(comment).toHaveAccessibleDescription(
      expect.stringContaining('Write a comment that says why the balance changes.'),
    );
    expect(api.callsOf('AdjustBalance')).toHaveLength(0);
  });

  it.each([
    UserErrorCode.INSUFFICIENT_BALANCE,
    UserErrorCode.INVALID_AMOUNT,
    UserErrorCode.NOT_FOUND,
    UserErrorCode.IDEMPOTENCY_KEY_REUSED,
  ])('shows %s inline', async (code) => {
    const { user } = customerWith(40n, {
      adjustBalance: () => ({
        transaction: null,
        customer: null,
        userErrors: [{ code, field: [], message: '' }],
      }),
    });
    const form = await correctionForm();
    await user.type(within(form).getByLabelText(/^Credits/), '-5');
    await user.type(within(form).getByLabelText(/^Comment/), 'Why not');
    await user.click(within(form).getByRole('button', { name: 'Add' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent(defaultUserErrorMessage[code]);
  });

  it('shows a correction undone by a reversal struck through and marked Reversed', async () => {
    const ledger = fakeLedger({ customers: [{ ...customer }] });
    ledger.add(customer.id, 'PURCHASE', 40n);
    const wrong = ledger.add(customer.id, 'ADJUSTMENT', -10n, { description: 'Miscount' });
    ledger.add(customer.id, 'ADJUSTMENT', 5n, { description: 'Loyalty bonus' });
    const deleteTransaction = ledger.resolvers['deleteTransaction'] as (args: object) => unknown;
    deleteTransaction({ input: { transactionId: wrong.id, reason: 'Counted twice' } });
    installApi(ledger.resolvers);
    renderApp(`/customers/${customer.id}`);
    const corrections = await screen.findByRole('table', {
      name: 'Recent corrections, newest first',
    });
    const reversed = within(corrections)
      .getAllByRole('row')
      .find((row) => within(row).queryByText('Miscount'))!;
    expect(within(reversed).getByText('Reversed')).toBeInTheDocument();
    expect(within(reversed).getByText('-10').tagName).toBe('S');
    const kept = within(corrections)
      .getAllByRole('row')
      .find((row) => within(row).queryByText('Loyalty bonus'))!;
    expect(within(kept).queryByText('Reversed')).toBeNull();
    // 40 - 10 + 5, then the -10 reversed: 45.
    expect(screen.getByRole('region', { name: 'Credit balance' })).toHaveTextContent('45 credits');
  });
});

import { screen, waitFor, within } from '@testing-library/react';
import { defaultUserErrorMessage, UserErrorCode } from '@refunds/domain';
import { installApi } from '../../test/fakeApi';
import { customer } from '../../test/fixtures';
import { renderApp } from '../../test/render';
import { fakeAccount } from './testAccounts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const bank = { id: 'bank1', name: 'Main account', currency: 'GHS' };

/** A GH₵25 credit note with GH₵20 allocated (GH₵5 O/S) and a GH₵100 payment. */
function setup(options: Parameters<typeof fakeAccount>[0] = { bankAccounts: [{ ...bank }] }) {
  const fake = fakeAccount(options);
  const note = fake.addCredit('CREDIT_NOTE', 2500n, 'Damaged item');
  note.outstandingMinor = 500n;
  fake.addLine({
    kind: 'ALLOCATION',
    reference: note.number,
    description: null,
    debitMinor: null,
    creditMinor: null,
  });
  const payment = fake.addCredit('PAYMENT', 10000n, 'Transfer');
  const api = installApi(fake.resolvers);
  const view = renderApp(`/customers/${customer.id}/accounts/refund`);
  return { fake, note, payment, api, ...view };
}

async function outstandingTable() {
  return screen.findByRole('table', { name: 'Outstanding credit notes and payments' });
}

async function chooseBank(user: ReturnType<typeof setup>['user'], name: string) {
  await user.click(screen.getByRole('combobox', { name: 'Bank account' }));
  await user.click(await screen.findByRole('option', { name: `${name} (GHS)` }));
}

describe('Refund O/S', () => {
  it('lists outstanding credit notes and payments with Amount and O/S, and defaults the amount to the whole O/S', async () => {
    const { user, note } = setup();
    const table = await outstandingTable();
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toEqual(['Select', 'Number', 'Type', 'Date', 'Amount', 'O/S']);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent(note.number);
    expect(rows[0]).toHaveTextContent('GH₵25.00');
    expect(rows[0]).toHaveTextContent('GH₵5.00');
    expect(rows[1]).toHaveTextContent('GH₵100.00GH₵100.00');
    const amount = screen.getByLabelText(/^Amount \(GHS\)/);
    expect(amount).toHaveValue('');

    await user.click(screen.getByRole('radio', { name: `Refund ${note.number}` }));
    expect(screen.getByRole('radio', { name: `Refund ${note.number}` })).toBeChecked();
    expect(amount).toHaveValue('5.00');
    await user.click(within(rows[1]!).getByRole('radio'));
    expect(amount).toHaveValue('100.00');
  });

  it('asks "Create this refund?"; No sends nothing, Yes sends once and shows it in the statement', async () => {
    const { user, api, note } = setup();
    await outstandingTable();
    await user.click(screen.getByRole('radio', { name: `Refund ${note.number}` }));
    await chooseBank(user, 'Main account');
    await user.click(screen.getByRole('button', { name: 'Refund Credit Note' }));

    let confirm = await screen.findByRole('dialog', { name: 'Create this refund?' });
    expect(confirm).toHaveTextContent('GH₵5.00');
    expect(confirm).toHaveTextContent(note.number);
    await user.click(within(confirm).getByRole('button', { name: 'No' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog', { name: 'Create this refund?' })).toBeNull(),
    );
    expect(api.callsOf('RefundCreditNote')).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Refund Credit Note' }));
    confirm = await screen.findByRole('dialog', { name: 'Create this refund?' });
    await user.dblClick(within(confirm).getByRole('button', { name: 'Yes' }));

    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(
        `/customers/${customer.id}/accounts`,
      ),
    );
    expect(screen.getByTestId('location')).not.toHaveTextContent('/refund');
    expect(api.callsOf('RefundCreditNote')).toHaveLength(1);
    expect(api.callsOf('RefundCreditNote')[0]?.variables).toEqual({
      input: {
        creditId: note.id,
        bankAccountId: bank.id,
        amount: '5.00',
        reference: null,
        reasonCategory: null,
        idempotencyKey: expect.stringMatching(UUID),
        notifyCustomer: false,
      },
    });
    const statement = await screen.findByRole('table', { name: 'Statement, oldest first' });
    const last = within(statement).getAllByRole('row').at(-1);
    expect(last).toHaveTextContent('Refund');
    expect(last).toHaveTextContent(`${note.number} to Main account`);
    expect(last).toHaveTextContent('GH₵5.00');
  });

  it('sends the reason category chosen beside the reference', async () => {
    const { user, api, note } = setup();
    await outstandingTable();
    await user.click(screen.getByRole('radio', { name: `Refund ${note.number}` }));
    await chooseBank(user, 'Main account');
    await user.click(screen.getByRole('combobox', { name: 'Reason category' }));
    await user.click(await screen.findByRole('option', { name: 'Cancelled' }));
    await user.click(screen.getByRole('button', { name: 'Refund Credit Note' }));
    const confirm = await screen.findByRole('dialog', { name: 'Create this refund?' });
    await user.click(within(confirm).getByRole('button', { name: 'Yes' }));
    await waitFor(() => expect(api.callsOf('RefundCreditNote')).toHaveLength(1));
    expect(api.callsOf('RefundCreditNote')[0]?.variables).toMatchObject({
      input: { creditId: note.id, reasonCategory: 'CANCELLED' },
    });
  });

  it('refunds part of the O/S when the amount is lowered', async () => {
    const { user, api, payment } = setup();
    await outstandingTable();
    await user.click(screen.getByRole('radio', { name: `Refund ${payment.number}` }));
    await chooseBank(user, 'Main account');
    const amount = screen.getByLabelText(/^Amount \(GHS\)/);
    await user.clear(amount);
    await user.type(amount, '40');
    await user.click(screen.getByRole('button', { name: 'Refund Credit Note' }));
    const confirm = await screen.findByRole('dialog', { name: 'Create this refund?' });
    expect(confirm).toHaveTextContent('GH₵40.00');
    await user.click(within(confirm).getByRole('button', { name: 'Yes' }));
    await waitFor(() => expect(api.callsOf('RefundCreditNote')).toHaveLength(1));
    expect(api.callsOf('RefundCreditNote')[0]?.variables).toMatchObject({
      input: { amount: '40.00' },
    });
  });

  it.each([
    ['5.01', 'The amount is more than the GH₵5.00 outstanding.'],
    ['0', 'The amount must be more than zero.'],
    ['1.234', 'GHS has 2 decimal places'],
    ['abc', ''],
  ])('refuses %p before asking or sending', async (typed, message) => {
    const { user, api, note } = setup();
    await outstandingTable();
    await user.click(screen.getByRole('radio', { name: `Refund ${note.number}` }));
    await chooseBank(user, 'Main account');
    const amount = screen.getByLabelText(/^Amount \(GHS\)/);
    await user.clear(amount);
    await user.type(amount, typed);
    await user.click(screen.getByRole('button', { name: 'Refund Credit Note' }));
    await waitFor(() => expect(amount).toHaveAttribute('aria-invalid', 'true'));
    if (message) expect(amount).toHaveAccessibleDescription(expect.stringContaining(message));
    expect(screen.queryByRole('dialog', { name: 'Create this refund?' })).toBeNull();
    expect(api.callsOf('RefundCreditNote')).toHaveLength(0);
  });

  it('asks for a credit and a bank account before confirming', async () => {
    const { user, api } = setup();
    await outstandingTable();
    await user.click(screen.getByRole('button', { name: 'Refund Credit Note' }));
    expect(
      await screen.findByText('Choose the credit note or payment to refund.'),
    ).toBeInTheDocument();
    const bankSelect = screen.getByRole('combobox', { name: 'Bank account' });
    expect(bankSelect).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByRole('dialog', { name: 'Create this refund?' })).toBeNull();
    expect(api.callsOf('RefundCreditNote')).toHaveLength(0);
  });

  it('offers "Add bank account" when there is none, and selects the new one', async () => {
    const { user, api } = setup({ bankAccounts: [] });
    await outstandingTable();
    await user.click(await screen.findByRole('button', { name: 'Add bank account' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add bank account' });
    expect(within(dialog).getByLabelText(/^Currency/)).toHaveValue('GHS');
    await user.type(within(dialog).getByLabelText(/^Account name/), 'Ecobank current');
    await user.click(within(dialog).getByRole('button', { name: 'Add bank account' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog', { name: 'Add bank account' })).toBeNull(),
    );
    expect(api.callsOf('CreateBankAccount')[0]?.variables).toEqual({
      input: { name: 'Ecobank current', currency: 'GHS' },
    });
    await waitFor(() =>
      expect(screen.getByRole('combobox', { name: 'Bank account' })).toHaveValue(
        'Ecobank current (GHS)',
      ),
    );
    expect(screen.queryByRole('button', { name: 'Add bank account' })).toBeNull();
  });

  it('clears "Choose the bank account" once a bank account is added and selected', async () => {
    const { user } = setup({ bankAccounts: [] });
    await outstandingTable();
    await user.click(screen.getByRole('button', { name: 'Refund Credit Note' }));
    const bankSelect = screen.getByRole('combobox', { name: 'Bank account' });
    await waitFor(() => expect(bankSelect).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getByText('Choose the bank account the money leaves from.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Add bank account' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add bank account' });
    await user.type(within(dialog).getByLabelText(/^Account name/), 'Ecobank current');
    await user.click(within(dialog).getByRole('button', { name: 'Add bank account' }));
    await waitFor(() =>
      expect(screen.getByRole('combobox', { name: 'Bank account' })).toHaveValue(
        'Ecobank current (GHS)',
      ),
    );
    expect(screen.getByRole('combobox', { name: 'Bank account' })).not.toHaveAttribute(
      'aria-invalid',
      'true',
    );
    expect(screen.queryByText('Choose the bank account the money leaves from.')).toBeNull();
  });

  it('shows AMOUNT_EXCEEDS_OUTSTANDING from the server next to the amount', async () => {
    const { user, note } = setup();
    await outstandingTable();
    await user.click(screen.getByRole('radio', { name: `Refund ${note.number}` }));
    await chooseBank(user, 'Main account');
    // Someone allocated GH₵3 meanwhile: only GH₵2 is left on the server.
    note.outstandingMinor = 200n;
    await user.click(screen.getByRole('button', { name: 'Refund Credit Note' }));
    await user.click(
      within(await screen.findByRole('dialog', { name: 'Create this refund?' })).getByRole(
        'button',
        {
          name: 'Yes',
        },
      ),
    );
    const amount = screen.getByLabelText(/^Amount \(GHS\)/);
    await waitFor(() => expect(amount).toHaveAttribute('aria-invalid', 'true'));
    expect(amount).toHaveAccessibleDescription(
      expect.stringContaining('Only 2.00 is outstanding.'),
    );
    // The table is refreshed with the new O/S.
    const table = await outstandingTable();
    await waitFor(() => expect(within(table).getAllByRole('row')[1]).toHaveTextContent('GH₵2.00'));
    expect(screen.getByTestId('location')).toHaveTextContent('/accounts/refund');
  });

  it.each([
    UserErrorCode.AMOUNT_EXCEEDS_OUTSTANDING,
    UserErrorCode.CURRENCY_MISMATCH,
    UserErrorCode.INVALID_AMOUNT,
    UserErrorCode.INVALID_STATE,
    UserErrorCode.NOT_FOUND,
    UserErrorCode.IDEMPOTENCY_KEY_REUSED,
  ])('shows %s inline, stays on the screen and retries with a new key', async (code) => {
    const { user, api, note } = setup({
      bankAccounts: [{ ...bank }],
      extra: {
        refundCreditNote: () => ({
          refund: null,
          account: null,
          userErrors: [{ code, field: [], message: '' }],
        }),
      },
    });
    await outstandingTable();
    await user.click(screen.getByRole('radio', { name: `Refund ${note.number}` }));
    await chooseBank(user, 'Main account');
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await user.click(screen.getByRole('button', { name: 'Refund Credit Note' }));
      await user.click(
        within(await screen.findByRole('dialog', { name: 'Create this refund?' })).getByRole(
          'button',
          { name: 'Yes' },
        ),
      );
      await waitFor(() => expect(api.callsOf('RefundCreditNote')).toHaveLength(attempt + 1));
      // The form's own alert (not a notification left by another test).
      expect(await screen.findByRole('alert', { name: 'That did not work' })).toHaveTextContent(
        defaultUserErrorMessage[code],
      );
    }
    const [first, second] = api.callsOf('RefundCreditNote');
    expect(first?.variables).not.toEqual(second?.variables);
    expect(screen.getByTestId('location')).toHaveTextContent('/accounts/refund');
  });

  it('says so when nothing is outstanding', async () => {
    installApi(fakeAccount().resolvers);
    renderApp(`/customers/${customer.id}/accounts/refund`);
    expect(await screen.findByText('Nothing outstanding')).toBeInTheDocument();
  });
});

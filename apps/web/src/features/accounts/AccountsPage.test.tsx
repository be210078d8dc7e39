import { screen, waitFor, within } from '@testing-library/react';
import { defaultUserErrorMessage, UserErrorCode } from '@refunds/domain';
import { installApi } from '../../test/fakeApi';
import { customer } from '../../test/fixtures';
import { renderApp } from '../../test/render';
import { fakeAccount } from './testAccounts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function setup(options: Parameters<typeof fakeAccount>[0] = {}) {
  const fake = fakeAccount(options);
  const invoice = fake.quotes[0]!;
  fake.addLine({
    kind: 'INVOICE',
    reference: invoice.number,
    description: 'Deep clean',
    debitMinor: 125000n,
    creditMinor: null,
  });
  const api = installApi(fake.resolvers);
  const view = renderApp(`/customers/${customer.id}/accounts`);
  return { fake, invoice, api, ...view };
}

async function statement() {
  return screen.findByRole('table', { name: 'Statement, oldest first' });
}

async function openDialog(user: ReturnType<typeof setup>['user'], button: string) {
  await statement();
  await user.click(screen.getByRole('button', { name: button }));
  return screen.findByRole('dialog', { name: button });
}

async function chooseOption(user: ReturnType<typeof setup>['user'], label: string, option: RegExp) {
  await user.click(screen.getByRole('combobox', { name: label }));
  await user.click(await screen.findByRole('option', { name: option }));
}

describe('customer accounts', () => {
  it('shows the balance and the statement with debit, credit and running balance', async () => {
    const { fake, invoice } = setup();
    fake.addCredit('PAYMENT', 25000n, 'MoMo transfer');
    const table = await statement();
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Date', 'Kind', 'Reference', 'Description', 'Debit', 'Credit', 'Balance']);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent(`Invoice${invoice.number}Deep cleanGH₵1,250.00GH₵1,250.00`);
    expect(rows[1]).toHaveTextContent('PaymentPAY-0002MoMo transferGH₵250.00GH₵1,000.00');
    expect(screen.getByTestId('account-balance')).toHaveTextContent('GH₵1,000.00');
    expect(screen.getByRole('link', { name: 'Refund O/S' })).toHaveAttribute(
      'href',
      `/customers/${customer.id}/accounts/refund`,
    );
  });

  it('pages through a long statement', async () => {
    const { fake, user, api } = setup();
    for (let i = 0; i < 55; i += 1) fake.addCredit('PAYMENT', 100n);
    const table = await statement();
    expect(within(table).getAllByRole('row')).toHaveLength(51);
    await user.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() =>
      expect(
        within(screen.getByRole('table', { name: 'Statement, oldest first' })).getAllByRole('row'),
      ).toHaveLength(7),
    );
    expect(api.callsOf('CustomerAccount').at(-1)?.variables).toMatchObject({
      after: expect.any(String),
    });
    expect(screen.getByText('Page 2')).toBeInTheDocument();
  });

  it('creates a credit note and shows it in the statement', async () => {
    const { user, api } = setup();
    const dialog = await openDialog(user, 'Create credit note');
    await user.type(within(dialog).getByLabelText(/^Amount \(GHS\)/), '25');
    await user.type(within(dialog).getByLabelText('Reason'), 'Damaged vase');
    await user.click(within(dialog).getByRole('button', { name: 'Create credit note' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog', { name: 'Create credit note' })).toBeNull(),
    );
    expect(api.callsOf('CreateCreditNote')[0]?.variables).toEqual({
      input: {
        customerId: customer.id,
        amount: { amount: '25.00', currency: 'GHS' },
        reason: 'Damaged vase',
        idempotencyKey: expect.stringMatching(UUID),
      },
    });
    const rows = within(await statement()).getAllByRole('row');
    await waitFor(() => expect(rows.length).toBeGreaterThan(0));
    await waitFor(() =>
      expect(
        within(screen.getByRole('table', { name: 'Statement, oldest first' }))
          .getAllByRole('row')
          .at(-1),
      ).toHaveTextContent('Credit noteCN-0002Damaged vaseGH₵25.00GH₵1,225.00'),
    );
    expect(screen.getByTestId('account-balance')).toHaveTextContent('GH₵1,225.00');
  });

  it.each([
    ['', ''],
    ['0', 'The amount must be more than zero.'],
    ['-3', ''],
    ['12.345', 'GHS has 2 decimal places'],
  ])('refuses the credit note amount %p before sending', async (typed, message) => {
    const { user, api } = setup();
    const dialog = await openDialog(user, 'Create credit note');
    const amount = within(dialog).getByLabelText(/^Amount \(GHS\)/);
    if (typed) await user.type(amount, typed);
    await user.click(within(dialog).getByRole('button', { name: 'Create credit note' }));
    await waitFor(() => expect(amount).toHaveAttribute('aria-invalid', 'true'));
    if (message) expect(amount).toHaveAccessibleDescription(expect.stringContaining(message));
    expect(api.callsOf('CreateCreditNote')).toHaveLength(0);
  });

  it.each([
    UserErrorCode.CURRENCY_MISMATCH,
    UserErrorCode.INVALID_AMOUNT,
    UserErrorCode.NOT_FOUND,
    UserErrorCode.IDEMPOTENCY_KEY_REUSED,
  ])('shows %s from createCreditNote inline', async (code) => {
    const { user } = setup({
      extra: {
        createCreditNote: () => ({ credit: null, userErrors: [{ code, field: [], message: '' }] }),
      },
    });
    const dialog = await openDialog(user, 'Create credit note');
    await user.type(within(dialog).getByLabelText(/^Amount \(GHS\)/), '25');
    await user.click(within(dialog).getByRole('button', { name: 'Create credit note' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      defaultUserErrorMessage[code],
    );
  });

  it('records a payment against an invoice', async () => {
    const { user, api, invoice } = setup();
    const dialog = await openDialog(user, 'Record payment');
    await user.type(within(dialog).getByLabelText(/^Amount \(GHS\)/), '1250');
    await chooseOption(user, 'Against invoice', new RegExp(invoice.number));
    await user.type(within(dialog).getByLabelText(/^Reference/), 'MoMo 123');
    await user.click(within(dialog).getByRole('button', { name: 'Record payment' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog', { name: 'Record payment' })).toBeNull(),
    );
    expect(api.callsOf('RecordPayment')[0]?.variables).toEqual({
      input: {
        customerId: customer.id,
        amount: { amount: '1250.00', currency: 'GHS' },
        quoteId: invoice.id,
        reference: 'MoMo 123',
        idempotencyKey: expect.stringMatching(UUID),
      },
    });
  });

  it('allocates a credit to an invoice, defaulting to its O/S and refusing more before sending', async () => {
    const { fake, user, api, invoice } = setup();
    const note = fake.addCredit('CREDIT_NOTE', 2500n);
    const dialog = await openDialog(user, 'Allocate credit');
    // The only credit is chosen, and the amount is its whole O/S.
    const amount = within(dialog).getByLabelText(/^Amount \(GHS\)/);
    expect(amount).toHaveValue('25.00');
    await chooseOption(user, 'Invoice', new RegExp(invoice.number));

    await user.clear(amount);
    await user.type(amount, '30');
    await user.click(within(dialog).getByRole('button', { name: 'Allocate' }));
    await waitFor(() => expect(amount).toHaveAttribute('aria-invalid', 'true'));
    expect(amount).toHaveAccessibleDescription(
      expect.stringContaining('The amount is more than the GH₵25.00 outstanding.'),
    );
    expect(api.callsOf('AllocateCredit')).toHaveLength(0);

    await user.clear(amount);
    await user.type(amount, '20');
    await user.click(within(dialog).getByRole('button', { name: 'Allocate' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog', { name: 'Allocate credit' })).toBeNull(),
    );
    expect(api.callsOf('AllocateCredit')[0]?.variables).toEqual({
      input: {
        creditId: note.id,
        quoteId: invoice.id,
        amount: '20.00',
        idempotencyKey: expect.stringMatching(UUID),
      },
    });
    expect(note.outstandingMinor).toBe(500n);
  });

  it('shows AMOUNT_EXCEEDS_OUTSTANDING from allocateCredit next to the amount', async () => {
    const { fake, user, invoice } = setup();
    const note = fake.addCredit('CREDIT_NOTE', 2500n);
    const dialog = await openDialog(user, 'Allocate credit');
    await chooseOption(user, 'Invoice', new RegExp(invoice.number));
    note.outstandingMinor = 1000n; // allocated elsewhere meanwhile
    await user.click(within(dialog).getByRole('button', { name: 'Allocate' }));
    const amount = within(dialog).getByLabelText(/^Amount \(GHS\)/);
    await waitFor(() => expect(amount).toHaveAttribute('aria-invalid', 'true'));
    expect(amount).toHaveAccessibleDescription(
      expect.stringContaining('Only 10.00 is outstanding.'),
    );
  });

  it('closes a dialog with Escape without sending anything', async () => {
    const { user, api } = setup();
    await openDialog(user, 'Record payment');
    await user.keyboard('{Escape}');
    await waitFor(() =>
      expect(screen.queryByRole('dialog', { name: 'Record payment' })).toBeNull(),
    );
    expect(api.callsOf('RecordPayment')).toHaveLength(0);
  });
});

/**
 * Issue 13: the allocate form pre-fills at most what the chosen invoice still owes (the domain's
 * bound), instead of the credit's whole O/S that the API then refuses.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { installApi } from '../../test/fakeApi';
import { customer, quote } from '../../test/fixtures';
import { renderApp } from '../../test/render';
import { fakeAccount } from './testAccounts';

function setup() {
  // An invoice of GH₵12.50 of which GH₵2.50 is already settled: it owes GH₵10.00.
  const invoice = quote('ACCEPTED', {
    total: { amount: '12.50', currency: 'GHS' },
    outstanding: { amount: '10.00', currency: 'GHS' },
  });
  const fake = fakeAccount({ quotes: [invoice] });
  const note = fake.addCredit('CREDIT_NOTE', 2500n);
  const api = installApi(fake.resolvers);
  const view = renderApp(`/customers/${customer.id}/accounts`);
  return { fake, invoice, note, api, ...view };
}

describe('allocate credit', () => {
  it('pre-fills the credit’s O/S, then at most what the chosen invoice owes', async () => {
    const { user, invoice, note, api } = setup();
    await screen.findByRole('table', { name: 'Statement, oldest first' }, { timeout: 10000 });
    await user.click(screen.getByRole('button', { name: 'Allocate credit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Allocate credit' });
    const amount = within(dialog).getByLabelText(/^Amount \(GHS\)/);
    expect(amount).toHaveValue('25.00');

    await user.click(within(dialog).getByRole('combobox', { name: 'Invoice' }));
    await user.click(await screen.findByRole('option', { name: new RegExp(invoice.number) }));
    await waitFor(() => expect(amount).toHaveValue('10.00'));
    expect(amount).toHaveAccessibleDescription(expect.stringContaining('At most GH₵10.00.'));

    // More than the invoice owes is refused before sending, like the API would.
    await user.clear(amount);
    await user.type(amount, '10.01');
    await user.click(within(dialog).getByRole('button', { name: 'Allocate' }));
    await waitFor(() => expect(amount).toHaveAttribute('aria-invalid', 'true'));
    expect(api.callsOf('AllocateCredit')).toHaveLength(0);

    await user.clear(amount);
    await user.type(amount, '10.00');
    await user.click(within(dialog).getByRole('button', { name: 'Allocate' }));
    await waitFor(() => expect(api.callsOf('AllocateCredit')).toHaveLength(1));
    expect(api.callsOf('AllocateCredit')[0]?.variables).toMatchObject({
      input: { creditId: note.id, quoteId: invoice.id, amount: '10.00' },
    });
  });
});

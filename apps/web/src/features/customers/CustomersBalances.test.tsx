import { screen, within } from '@testing-library/react';
import { installApi } from '../../test/fakeApi';
import { customer } from '../../test/fixtures';
import { renderApp } from '../../test/render';
import { fakeLedger } from '../transactions/testLedger';

describe('customer list balances', () => {
  it('shows credit and account balances to money roles and links each name to its page', async () => {
    const ledger = fakeLedger({
      customers: [{ ...customer, accountBalance: { amount: '1250.00', currency: 'GHS' } }],
    });
    ledger.add(customer.id, 'PURCHASE', 1500n);
    const api = installApi(ledger.resolvers);
    renderApp('/customers');
    const table = await screen.findByRole('table', { name: 'Customers' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Name', 'Email', 'Credit balance', 'Account balance', 'Portal']);
    const row = within(table).getAllByRole('row')[1]!;
    expect(row).toHaveTextContent('1,500');
    expect(row).toHaveTextContent('GH₵1,250.00');
    expect(within(row).getByRole('link', { name: 'Yaw Mensah' })).toHaveAttribute(
      'href',
      `/customers/${customer.id}`,
    );
    expect(api.callsOf('Customers')[0]?.variables).toMatchObject({ withMoney: true });
  });

  it('asks no balances for an agent', async () => {
    const api = installApi(fakeLedger({ role: 'AGENT' }).resolvers);
    renderApp('/customers');
    const table = await screen.findByRole('table', { name: 'Customers' });
    expect(within(table).queryByRole('columnheader', { name: 'Credit balance' })).toBeNull();
    expect(api.callsOf('Customers')[0]?.variables).toMatchObject({ withMoney: false });
  });
});

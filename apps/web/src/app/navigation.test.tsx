import { screen, within } from '@testing-library/react';
import type { Role } from '../gql/graphql';
import { installApi } from '../test/fakeApi';
import { fakeBusiness } from '../test/fixtures';
import { renderApp } from '../test/render';

async function mainNavLinks() {
  const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
  return within(nav)
    .getAllByRole('link')
    .map((link) => link.textContent);
}

describe('navigation by role', () => {
  it.each<Role>(['OWNER', 'ADMIN'])(
    '%s sees every screen, money ones and the audit log included',
    async (role) => {
      installApi(fakeBusiness({ role }).resolvers);
      renderApp('/customers');
      expect(await mainNavLinks()).toEqual([
        'Quotes',
        'Insights',
        'Transactions',
        'Sent mail',
        'Customers',
        'Audit log',
        'Settings',
      ]);
    },
  );

  it('MANAGER sees every screen but the audit log', async () => {
    installApi(fakeBusiness({ role: 'MANAGER' }).resolvers);
    renderApp('/customers');
    expect(await mainNavLinks()).toEqual([
      'Quotes',
      'Insights',
      'Transactions',
      'Sent mail',
      'Customers',
      'Settings',
    ]);
  });

  it.each<Role>(['AGENT', 'VIEWER'])(
    '%s sees Customers only: no Quotes tab, no money',
    async (role) => {
      installApi(fakeBusiness({ role }).resolvers);
      renderApp('/customers');
      expect(await mainNavLinks()).toEqual(['Customers']);
    },
  );

  it.each(['/quotes', '/insights', '/transactions', '/mail'])(
    'an agent who opens %s directly is sent to Customers',
    async (path) => {
      const api = installApi(fakeBusiness({ role: 'AGENT' }).resolvers);
      renderApp(path);
      expect(await screen.findByRole('heading', { name: 'Customers' })).toBeInTheDocument();
      expect(screen.getByTestId('location')).toHaveTextContent(/^\/customers$/);
      expect(api.callsOf('QuoteStats')).toHaveLength(0);
      expect(api.callsOf('Revenue')).toHaveLength(0);
    },
  );

  it('lands a money role on Quotes and a viewer on Customers', async () => {
    installApi(fakeBusiness({ role: 'MANAGER' }).resolvers);
    const first = renderApp('/');
    expect(await screen.findByRole('heading', { name: 'Quotes' })).toBeInTheDocument();
    first.unmount();

    installApi(fakeBusiness({ role: 'VIEWER' }).resolvers);
    renderApp('/');
    expect(await screen.findByRole('heading', { name: 'Customers' })).toBeInTheDocument();
    // A viewer cannot add customers either.
    expect(screen.queryByRole('button', { name: 'Add customer' })).not.toBeInTheDocument();
  });

  it('shows the business name, the member and a log-out button', async () => {
    installApi(fakeBusiness({ role: 'OWNER' }).resolvers);
    renderApp('/customers');
    expect(await screen.findByRole('heading', { name: 'Kofi Cleaning' })).toBeInTheDocument();
    const header = screen.getByRole('banner');
    expect(within(header).getByText('Ama Owusu')).toBeInTheDocument();
    // The role shows twice in the header: beside the name on wide screens, alone on narrow ones.
    expect(within(header).getAllByText('Owner')).toHaveLength(2);
    expect(within(header).getByRole('button', { name: 'Log out' })).toBeInTheDocument();
  });
});

/**
 * Issue 13, lists people can work with: the customer search and the letter live in the address,
 * so a link or a reload shows the same list.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { installApi } from '../../test/fakeApi';
import { business, customer, member } from '../../test/fixtures';
import { renderApp } from '../../test/render';

function install() {
  return installApi({
    me: () => member('OWNER'),
    business: () => business,
    customerInitials: () => ['E', 'Y'],
    customers: () => ({ nodes: [customer], pageInfo: { hasNextPage: false, endCursor: null } }),
  });
}

describe('customers list in the address', () => {
  it('opens with the search and letter of the link', async () => {
    const api = install();
    renderApp('/customers?q=emile&letter=E');
    await screen.findByRole('table', { name: 'Customers' }, { timeout: 10000 });
    expect(screen.getByRole('searchbox', { name: 'Search customers' })).toHaveValue('emile');
    const bar = screen.getByRole('group', { name: 'Filter by first letter' });
    await waitFor(() =>
      expect(within(bar).getByRole('button', { name: 'E' })).toHaveAttribute(
        'aria-pressed',
        'true',
      ),
    );
    expect(api.callsOf('Customers')[0]?.variables).toMatchObject({ search: 'emile', initial: 'E' });
  });

  it('writes what is typed (once settled) and the pressed letter into the address', async () => {
    const api = install();
    const { user } = renderApp('/customers');
    await screen.findByRole('table', { name: 'Customers' }, { timeout: 10000 });
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search customers' }), {
      target: { value: 'yaw' },
    });
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent('/customers?q=yaw'),
    );
    const bar = screen.getByRole('group', { name: 'Filter by first letter' });
    await user.click(await within(bar).findByRole('button', { name: 'Y' }));
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent('/customers?q=yaw&letter=Y'),
    );
    await waitFor(() =>
      expect(api.callsOf('Customers').at(-1)?.variables).toMatchObject({
        search: 'yaw',
        initial: 'Y',
      }),
    );
    await user.click(within(bar).getByRole('button', { name: 'All' }));
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(/^\/customers\?q=yaw$/),
    );
  });
});

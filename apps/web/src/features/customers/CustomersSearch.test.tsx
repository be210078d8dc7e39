/**
 * Issue 13, customers list: the A–Z bar offers the initials the API says the names use (accents
 * folded there, so Émile is under E), search sends what was typed, and "Open portal" links are
 * named starting with their visible words (axe label-content-name-mismatch).
 */
import { screen, waitFor, within } from '@testing-library/react';
import { installApi } from '../../test/fakeApi';
import { business, customer, member } from '../../test/fixtures';
import { renderApp } from '../../test/render';

const emile = {
  ...customer,
  id: 'c-emile',
  name: 'Émile Zola',
  email: null,
  portalPath: '/c/tok-e',
};
const zoe = { ...customer, id: 'c-zoe', name: 'Zoë Adjei', email: null, portalPath: '/c/tok-z' };

function install(role: Parameters<typeof member>[0] = 'AGENT') {
  return installApi({
    me: () => member(role),
    business: () => business,
    customerInitials: () => ['E', 'Z', 'Ω', '#'],
    // The API folds accents (customers.integration.test.ts proves it); the fake answers as it would.
    customers: ({ search, initial }: { search?: string | null; initial?: string | null }) => ({
      nodes:
        search === 'emile' || initial === 'E' ? [emile] : search || initial ? [] : [emile, zoe],
      pageInfo: { hasNextPage: false, endCursor: null },
    }),
  });
}

describe('customers search and A–Z bar', () => {
  it('lists no emails or portal links to an agent, and does not ask for them', async () => {
    const api = install();
    renderApp('/customers');
    const table = await screen.findByRole('table', { name: 'Customers' }, { timeout: 10000 });
    expect(within(table).queryByRole('link', { name: /Open portal/ })).toBeNull();
    expect(within(table).queryByRole('columnheader', { name: 'Email' })).toBeNull();
    expect(api.callsOf('Customers')[0]?.variables).toMatchObject({ withMoney: false });
  });

  it('offers the letters the names use and filters by the pressed one', async () => {
    const api = install();
    const { user } = renderApp('/customers');
    const bar = await screen.findByRole(
      'group',
      { name: 'Filter by first letter' },
      { timeout: 10000 },
    );
    await waitFor(() =>
      expect(
        within(bar)
          .getAllByRole('button')
          .map((b) => b.textContent),
      ).toEqual(['All', 'E', 'Z', 'Ω', '#']),
    );
    await user.click(within(bar).getByRole('button', { name: 'E' }));
    await waitFor(() =>
      expect(api.callsOf('Customers').at(-1)?.variables).toMatchObject({ initial: 'E' }),
    );
    const table = await screen.findByRole('table', { name: 'Customers' });
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(2));
    expect(within(table).getByText('Émile Zola')).toBeInTheDocument();
    expect(within(bar).getByRole('button', { name: 'E' })).toHaveAttribute('aria-pressed', 'true');
  });

  it('finds Émile by "emile"', async () => {
    const api = install();
    const { user } = renderApp('/customers');
    await screen.findByRole('table', { name: 'Customers' }, { timeout: 10000 });
    await user.type(screen.getByRole('searchbox', { name: 'Search customers' }), 'emile');
    await waitFor(() =>
      expect(api.callsOf('Customers').at(-1)?.variables).toMatchObject({ search: 'emile' }),
    );
    const table = await screen.findByRole('table', { name: 'Customers' });
    await waitFor(() => expect(within(table).queryByText('Zoë Adjei')).not.toBeInTheDocument());
    expect(within(table).getByText('Émile Zola')).toBeInTheDocument();
  });

  it('names each portal link with its visible words first', async () => {
    // Portal links (the portal shows money) are listed to money roles only.
    install('OWNER');
    renderApp('/customers');
    const table = await screen.findByRole('table', { name: 'Customers' }, { timeout: 10000 });
    const link = within(table).getByRole('link', { name: 'Open portal of Émile Zola' });
    expect(link).toHaveTextContent('Open portal');
    expect(link.getAttribute('aria-label')!.startsWith(link.textContent!)).toBe(true);
  });
});

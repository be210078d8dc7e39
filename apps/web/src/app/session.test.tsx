import { screen, within, waitFor } from '@testing-library/react';
import { apiError, installApi } from '../test/fakeApi';
import { fakeBusiness, member } from '../test/fixtures';
import { renderApp } from '../test/render';

describe('session', () => {
  it('logs in, keeps the token, and sends it as a bearer token', async () => {
    const biz = fakeBusiness();
    const api = installApi({
      ...biz.resolvers,
      login: ({ email, password }: { email: string; password: string }) =>
        email === 'ama@example.com' && password === 'correct horse'
          ? { token: 'tok-1', member: member(), userErrors: [] }
          : {
              token: null,
              member: null,
              userErrors: [{ code: 'INVALID_CREDENTIALS', field: [], message: '' }],
            },
    });
    const { user } = renderApp('/quotes', { token: null });
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();

    await user.type(screen.getByLabelText(/Email/), 'ama@example.com');
    await user.type(screen.getByLabelText(/Password/), 'wrong password');
    await user.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The email or password is not right.',
    );

    await user.clear(screen.getByLabelText(/Password/));
    await user.type(screen.getByLabelText(/Password/), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByRole('heading', { name: 'Quotes' })).toBeInTheDocument();
    expect(window.localStorage.getItem('refunds.token')).toBe('tok-1');
    expect(api.callsOf('Session')[0]?.authorization).toBe('Bearer tok-1');
  });

  it('survives a reload: a stored token is reused', async () => {
    const api = installApi(fakeBusiness().resolvers);
    renderApp('/customers', { token: 'stored' });
    expect(await screen.findByRole('heading', { name: 'Customers' })).toBeInTheDocument();
    expect(api.callsOf('Session')[0]?.authorization).toBe('Bearer stored');
  });

  it('returns to log in with "Your session expired" when the API says UNAUTHENTICATED', async () => {
    installApi({
      ...fakeBusiness().resolvers,
      me: () => {
        throw apiError('UNAUTHENTICATED', 'Token expired');
      },
    });
    renderApp('/quotes', { token: 'old' });
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('Your session expired');
    expect(window.localStorage.getItem('refunds.token')).toBeNull();
  });

  it('treats a token the API no longer knows (me: null) as expired too', async () => {
    installApi({ ...fakeBusiness().resolvers, me: () => null });
    renderApp('/customers', { token: 'old' });
    expect(await screen.findByText('Your session expired')).toBeInTheDocument();
  });

  it('logs out: calls logout, forgets the token, shows log in', async () => {
    const api = installApi(fakeBusiness().resolvers);
    const { user } = renderApp('/customers');
    // The header's button (narrow screens have the same one in the burger menu).
    await user.click(
      within(await screen.findByRole('banner')).getByRole('button', { name: 'Log out' }),
    );
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
    expect(api.callsOf('Logout')).toHaveLength(1);
    expect(window.localStorage.getItem('refunds.token')).toBeNull();
    expect(screen.queryByText('Your session expired')).toBeNull();
  });

  it('signs up a business and its owner', async () => {
    const api = installApi({
      ...fakeBusiness().resolvers,
      signUp: () => ({ token: 'tok-new', member: member(), userErrors: [] }),
    });
    const { user } = renderApp('/signup', { token: null });
    await user.type(await screen.findByLabelText(/Business name/), 'Kofi Cleaning');
    await user.click(screen.getByRole('combobox', { name: /Country/ }));
    await user.type(screen.getByRole('combobox', { name: /Country/ }), 'Ghana');
    await user.click(await screen.findByRole('option', { name: 'Ghana (GH)' }));
    await user.type(screen.getByLabelText(/Your name/), 'Ama Owusu');
    await user.type(screen.getByLabelText(/^Email/), 'ama@example.com');
    await user.type(screen.getByLabelText(/^Password/), 'short');
    await user.click(screen.getByRole('button', { name: 'Create business' }));
    expect(await screen.findByText(/at least 10 characters\./)).toBeInTheDocument();
    expect(api.callsOf('SignUp')).toHaveLength(0);

    await user.type(screen.getByLabelText(/^Password/), ' but longer now');
    await user.click(screen.getByRole('button', { name: 'Create business' }));
    await waitFor(() => expect(api.callsOf('SignUp')).toHaveLength(1));
    expect(api.callsOf('SignUp')[0]?.variables['input']).toMatchObject({
      businessName: 'Kofi Cleaning',
      country: 'GH',
      // Picking Ghana set its currency and zone (countryDefaults); nobody had to change them.
      currency: 'GHS',
      timezone: 'Africa/Accra',
      name: 'Ama Owusu',
      email: 'ama@example.com',
    });
    expect(await screen.findByRole('heading', { name: 'Quotes' })).toBeInTheDocument();
  });
});

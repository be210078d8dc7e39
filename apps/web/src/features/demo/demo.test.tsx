import { screen, waitFor, within } from '@testing-library/react';
import { installApi } from '../../test/fakeApi';
import { business, fakeBusiness, quote } from '../../test/fixtures';
import { renderApp } from '../../test/render';

/**
 * The member's own empty business until openSampleBusiness runs, the sample one after it; each
 * request's bearer token is recorded, so the test sees which session the SPA uses.
 */
function ownThenSample() {
  let inSample = false;
  const own = fakeBusiness().resolvers;
  const sample = fakeBusiness({
    quotes: [quote('PAID', { title: 'Deep clean (sample)' })],
    extra: { business: () => ({ ...business, name: 'Kofi Cleaning (sample)', sample: true }) },
  }).resolvers;
  const resolvers: Record<string, unknown> = {};
  for (const name of Object.keys(own)) {
    resolvers[name] = (args: unknown) => {
      const value = (inSample ? sample : own)[name];
      return typeof value === 'function' ? (value as (a: unknown) => unknown)(args) : value;
    };
  }
  resolvers['openSampleBusiness'] = () => {
    inSample = true;
    return { token: 'sample-token', userErrors: [] };
  };
  const api = installApi(resolvers);
  return { api, leave: () => (inSample = false) };
}

describe('first run: a sample business to look around', () => {
  it('an empty business offers it; opening it switches to the marked sample, and back', async () => {
    const { api, leave } = ownThenSample();
    const { user } = renderApp('/quotes');
    // The screen loads on demand: the first render of a file may take a while.
    expect(
      await screen.findByText('No quotes here yet', undefined, { timeout: 10000 }),
    ).toBeInTheDocument();
    const offer = screen.getByRole('region', { name: /Look around a sample business/ });
    expect(offer).toHaveTextContent('nothing is added to Kofi Cleaning');
    await user.click(within(offer).getByRole('button', { name: 'Explore a sample business' }));

    const banner = await screen.findByTestId('sample-banner');
    expect(await screen.findByText('Deep clean (sample)')).toBeInTheDocument();
    expect(screen.getByTestId('business-name')).toHaveTextContent('Kofi Cleaning (sample)');
    expect(window.localStorage.getItem('refunds.token')).toBe('sample-token');
    expect(window.localStorage.getItem('refunds.homeToken')).toBe('test-token');
    expect(api.callsOf('Quotes').at(-1)?.authorization).toBe('Bearer sample-token');

    leave();
    await user.click(within(banner).getByRole('button', { name: 'Back to my business' }));
    await waitFor(() => expect(screen.queryByTestId('sample-banner')).not.toBeInTheDocument());
    expect(window.localStorage.getItem('refunds.token')).toBe('test-token');
    // Going home resets the client's store and refetches every screen query: on a busy machine
    // that takes longer than a plain re-render, so allow what the first load is allowed.
    expect(
      await screen.findByText('No quotes here yet', undefined, { timeout: 10000 }),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(api.callsOf('Quotes').at(-1)?.authorization).toBe('Bearer test-token'),
    );
  });

  it('is offered to owners and admins only', async () => {
    installApi(fakeBusiness({ role: 'MANAGER' }).resolvers);
    renderApp('/quotes');
    expect(await screen.findByText('No quotes here yet')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Explore a sample business' }),
    ).not.toBeInTheDocument();
  });

  it('a sample business says so on every screen, and removing it goes back home', async () => {
    const sample = fakeBusiness({
      extra: {
        business: () => ({ ...business, name: 'Kofi Cleaning (sample)', sample: true }),
        removeSampleBusiness: () => ({ removed: true, userErrors: [] }),
      },
    });
    const api = installApi(sample.resolvers);
    window.localStorage.setItem('refunds.homeToken', 'home-token');
    const { user } = renderApp('/customers', { token: 'sample-token' });
    const banner = await screen.findByTestId('sample-banner');
    expect(banner).toHaveTextContent('Everything here is made up');
    // No offer to open a sample from inside one.
    expect(screen.queryByRole('button', { name: 'Explore a sample business' })).toBeNull();

    await user.click(within(banner).getByRole('button', { name: 'Remove sample business' }));
    const confirm = await screen.findByRole('dialog', { name: 'Remove the sample business?' });
    expect(api.callsOf('RemoveSampleBusiness')).toHaveLength(0);
    await user.click(within(confirm).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(window.localStorage.getItem('refunds.token')).toBe('home-token'));
    expect(api.callsOf('RemoveSampleBusiness')).toHaveLength(1);
    expect(window.localStorage.getItem('refunds.homeToken')).toBeNull();
  });
});

import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, useLocation } from '../app/router';
import { createApolloClient } from '../app/apollo';
import { AppProviders } from '../app/providers';
import { AppRoutes } from '../app/routes';
import { createSessionStore } from '../app/session';

/** Where the router is now, for assertions about redirects. */
function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location">{location.pathname + location.search}</output>;
}

/**
 * The whole app at `route`, as a signed-in member unless `token` is null, against whatever API the
 * test installed with installApi().
 */
export function renderApp(route: string, { token = 'test-token' }: { token?: string | null } = {}) {
  if (token) window.localStorage.setItem('refunds.token', token);
  const session = createSessionStore();
  const client = createApolloClient(session);
  const user = userEvent.setup();
  const view = render(
    <AppProviders session={session} client={client} env="test">
      <MemoryRouter initialEntries={[route]}>
        <AppRoutes />
        <LocationProbe />
      </MemoryRouter>
    </AppProviders>,
  );
  return { ...view, user, session, client };
}

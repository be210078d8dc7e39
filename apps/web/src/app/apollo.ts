import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { refetchWhenStateMovedOnLink } from '../shared/staleState';
import type { SessionStore } from './session';

function isUnauthenticated(error: unknown): boolean {
  if (CombinedGraphQLErrors.is(error)) {
    return error.errors.some((e) => e.extensions?.['code'] === 'UNAUTHENTICATED');
  }
  return ServerError.is(error) && error.statusCode === 401;
}

/**
 * One client per app: sends `Authorization: Bearer <token>` when signed in, and on UNAUTHENTICATED
 * expires the session, which sends the shell back to /login ("Your session expired"); after a
 * refusal that says the state moved on, refetches what the screens show (shared/staleState.ts).
 */
export function createApolloClient(session: SessionStore, uri = defaultUri()): ApolloClient {
  const auth = new SetContextLink(({ headers }) => {
    const { token } = session.getState();
    return { headers: token ? { ...headers, authorization: `Bearer ${token}` } : headers };
  });
  const expireOnUnauthenticated = new ErrorLink(({ error }) => {
    if (isUnauthenticated(error)) session.expire();
  });
  return new ApolloClient({
    link: ApolloLink.from([
      expireOnUnauthenticated,
      refetchWhenStateMovedOnLink(),
      auth,
      new HttpLink({ uri }),
    ]),
    cache: new InMemoryCache({
      // Objects without an id (stats, connections, revenue) are replaced whole by a refetch.
      typePolicies: {
        QuoteStats: { merge: false },
        QuoteConnection: { merge: false },
        CustomerConnection: { merge: false },
        Revenue: { merge: false },
        Portal: { merge: false },
      },
    }),
  });
}

function defaultUri(): string {
  // Absolute, so it works behind the Vite proxy, when the API serves the SPA, and under jsdom.
  return new URL('/graphql', window.location.origin).toString();
}

import type { ApolloClient } from '@apollo/client';
import type { SessionStore } from '../../app/session';

/** The member's own session while they look around a sample business, to come back to. */
const HOME_TOKEN_KEY = 'refunds.homeToken';

export function enterSample(session: SessionStore, sampleToken: string): void {
  const { token } = session.getState();
  if (token) window.localStorage.setItem(HOME_TOKEN_KEY, token);
  session.signIn(sampleToken);
}

/** Back to the member's own business (or to the log-in page when it is unknown). */
export function leaveSample(session: SessionStore): void {
  const home = window.localStorage.getItem(HOME_TOKEN_KEY);
  window.localStorage.removeItem(HOME_TOKEN_KEY);
  if (home) session.signIn(home);
  else session.signOut();
}

/**
 * Another business is another world: nothing cached from the previous one may show. The token
 * changes first, so the screens' queries refetch (resetStore) as the other business.
 */
export async function switchBusiness(client: ApolloClient, change: () => void): Promise<void> {
  change();
  await client.resetStore();
}

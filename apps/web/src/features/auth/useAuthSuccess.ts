import { useApolloClient } from '@apollo/client/react';
import { useCallback } from 'react';
import { useLocation, useNavigate } from '../../app/router';
import { useSessionStore } from '../../app/providers';

/** After log-in or sign-up: keep the token, start from an empty cache, go where the user was going. */
export function useAuthSuccess(): (token: string) => Promise<void> {
  const session = useSessionStore();
  const client = useApolloClient();
  const navigate = useNavigate();
  const location = useLocation();
  return useCallback(
    async (token: string) => {
      await client.clearStore();
      session.signIn(token);
      const from = (location.state as { from?: string } | null)?.from;
      navigate(from && from !== '/login' ? from : '/', { replace: true });
    },
    [client, session, navigate, location.state],
  );
}

import type { ApolloClient } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import { MantineProvider } from '@mantine/core';
import { createContext, useContext } from 'react';
import type { SessionStore } from './session';
import { cssVariablesResolver, theme } from './theme';
import { Toasts } from './Toasts';

const SessionContext = createContext<SessionStore | null>(null);

export function useSessionStore(): SessionStore {
  const store = useContext(SessionContext);
  if (!store) throw new Error('useSessionStore() needs <AppProviders>.');
  return store;
}

export function AppProviders({
  session,
  client,
  children,
  env = 'default',
}: {
  session: SessionStore;
  client: ApolloClient;
  children: React.ReactNode;
  /** 'test' turns off Mantine's transitions and portals under jsdom. */
  env?: 'default' | 'test';
}) {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} env={env}>
      <Toasts />
      <SessionContext.Provider value={session}>
        <ApolloProvider client={client}>{children}</ApolloProvider>
      </SessionContext.Provider>
    </MantineProvider>
  );
}

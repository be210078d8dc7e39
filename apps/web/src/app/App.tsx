import { useState } from 'react';
import { BrowserRouter } from './router';
import { createApolloClient } from './apollo';
import { AppProviders } from './providers';
import { AppRoutes } from './routes';
import { createSessionStore } from './session';

export function App() {
  const [session] = useState(() => createSessionStore());
  const [client] = useState(() => createApolloClient(session));
  return (
    <AppProviders session={session} client={client}>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </AppProviders>
  );
}

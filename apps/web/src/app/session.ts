import { useSyncExternalStore } from 'react';

const TOKEN_KEY = 'refunds.token';

export interface SessionState {
  readonly token: string | null;
  /** Set when the API refused the token; the log-in page says the session expired. */
  readonly expired: boolean;
}

/**
 * The session token, kept in localStorage so it survives a reload. A tiny external store so the
 * Apollo links (outside React) and the screens read the same value.
 */
export interface SessionStore {
  getState(): SessionState;
  subscribe(listener: () => void): () => void;
  signIn(token: string): void;
  signOut(): void;
  /** The API answered UNAUTHENTICATED: forget the token and say so on the log-in page. */
  expire(): void;
}

export function createSessionStore(storage: Storage = window.localStorage): SessionStore {
  let state: SessionState = { token: storage.getItem(TOKEN_KEY), expired: false };
  const listeners = new Set<() => void>();
  const set = (next: SessionState) => {
    state = next;
    if (next.token) storage.setItem(TOKEN_KEY, next.token);
    else storage.removeItem(TOKEN_KEY);
    listeners.forEach((listener) => listener());
  };
  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    signIn: (token) => set({ token, expired: false }),
    signOut: () => set({ token: null, expired: false }),
    expire() {
      if (state.token) set({ token: null, expired: true });
    },
  };
}

export function useSessionState(store: SessionStore): SessionState {
  return useSyncExternalStore(store.subscribe, store.getState);
}

/**
 * Who is signed in on this tab: the API's token and user, kept in sessionStorage so a reload
 * keeps the session and closing the tab ends it. The API client reads the token here and ends
 * the session when the API answers 401; the reason is kept for the log-in page to show.
 */
import { useSyncExternalStore } from 'react';
import type { User } from './api-types';

export interface Session {
  token: string;
  user: User;
}

/** Why the last session ended when the user did not sign out: the API's code and message. */
export interface SessionEnd {
  code: string;
  message: string;
}

interface State {
  session: Session | null;
  /** Why the last session ended: the API's reason, or the user signed out. */
  ended: SessionEnd | 'signed-out' | null;
}

const KEY = 'hotich.session';

function load(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

let state: State = { session: load(), ended: null };
const listeners = new Set<() => void>();

function update(next: State): void {
  state = next;
  if (next.session) sessionStorage.setItem(KEY, JSON.stringify(next.session));
  else sessionStorage.removeItem(KEY);
  for (const l of listeners) l();
}

export const sessionStore = {
  get: (): State => state,
  token: (): string | null => state.session?.token ?? null,
  start: (session: Session): void => update({ session, ended: null }),
  /** Without a reason: the user signed out. */
  end: (reason?: SessionEnd): void => update({ session: null, ended: reason ?? 'signed-out' }),
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export function useSessionState(): State {
  return useSyncExternalStore(sessionStore.subscribe, sessionStore.get);
}

/** The session, inside the part of the page that only a signed-in user reaches. */
export function useSession(): Session {
  const { session } = useSessionState();
  if (!session) throw new Error('useSession outside a signed-in part of the page');
  return session;
}

import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useSessionState, type Session } from '../../lib/session';

/**
 * Renders its children for a signed-in user; anyone else goes to the log-in page, and comes back
 * here after it, unless they signed out on purpose (the next user starts at their own home).
 */
export function RequireSession({ children }: { children: (session: Session) => ReactNode }) {
  const { session, ended } = useSessionState();
  const location = useLocation();
  if (!session) return <Navigate to="/login" replace state={ended === 'signed-out' ? null : { from: `${location.pathname}${location.search}` }} />;
  return <>{children(session)}</>;
}

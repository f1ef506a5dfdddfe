import type { ReactNode } from 'react';
import { createBrowserRouter, Outlet } from 'react-router';
import { LoginPage } from '../features/auth/login-page';
import { RequireSession } from '../features/auth/require-session';
import type { Role } from '../lib/api-types';
import { useSession } from '../lib/session';
import { AppShell } from './app-shell';
import { NotFound } from './not-found';
import { HOMES, SCREENS } from './screens';

/** A screen of other roles is answered as one that does not exist, as the API answers out-of-scope. */
function ForRoles({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { user } = useSession();
  return roles.includes(user.role) ? <>{children}</> : <NotFound />;
}

function Home() {
  const Screen = HOMES[useSession().user.role];
  return <Screen />;
}

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    path: '/',
    element: (
      <RequireSession>
        {(session) => (
          <AppShell session={session} screens={SCREENS}>
            <Outlet />
          </AppShell>
        )}
      </RequireSession>
    ),
    children: [
      { index: true, element: <Home /> },
      ...SCREENS.map((s) => ({
        path: s.path,
        element: (
          <ForRoles roles={s.roles}>
            <s.element />
          </ForRoles>
        ),
      })),
      { path: '*', element: <NotFound /> },
    ],
  },
]);

import { createBrowserRouter, Navigate } from 'react-router';

import { HomeRedirect, RequireAdmin, RequireKind, RequireSession } from '../auth/guards';
import { LoginPage } from '../features/auth/LoginPage';
import { AgentHome } from '../features/home/AgentHome';
import { ProfilePage } from '../features/profile/ProfilePage';
import { TokensPage } from '../features/tokens/TokensPage';
import { AppLayout } from '../layout/AppLayout';
import { NotFound } from '../layout/NotFound';
import { RouteError } from '../layout/RouteError';

/**
 * The routes. Agents work under `/agent`, customers under `/portal`, administrators also under
 * `/admin` (loaded on demand: its code is not in the initial bundle). Every guard only hides
 * what the API would refuse anyway; the API is the authority.
 */
export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage />, errorElement: <RouteError /> },
  {
    element: <RequireSession />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <HomeRedirect /> },
      {
        element: <AppLayout />,
        children: [
          {
            path: 'agent',
            element: <RequireKind kind="agent" />,
            children: [
              { index: true, element: <AgentHome /> },
              { path: 'profile', element: <ProfilePage /> },
              { path: 'tokens', element: <TokensPage /> },
            ],
          },
          {
            path: 'admin',
            element: <RequireAdmin />,
            children: [
              { index: true, element: <Navigate to="agents" replace /> },
              {
                path: 'agents',
                lazy: async () => ({ Component: (await import('../features/admin/AgentsPage')).AgentsPage }),
              },
              {
                path: 'agents/new',
                lazy: async () => ({ Component: (await import('../features/admin/AgentFormPage')).NewAgentPage }),
              },
              {
                path: 'agents/:id',
                lazy: async () => ({ Component: (await import('../features/admin/AgentFormPage')).EditAgentPage }),
              },
            ],
          },
          {
            path: 'portal',
            element: <RequireKind kind="customer" />,
            children: [
              { index: true, element: <Navigate to="profile" replace /> },
              { path: 'profile', element: <ProfilePage /> },
            ],
          },
          { path: '*', element: <NotFound /> },
        ],
      },
    ],
  },
]);

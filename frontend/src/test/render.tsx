import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import { Suspense, type ReactElement } from 'react';
import { createMemoryRouter, RouterProvider, type RouteObject } from 'react-router';

import { cssVariablesResolver, theme } from '../app/theme';
import { AuthProvider } from '../auth/AuthContext';
import { i18nReady } from '../i18n';

/** Renders `routes` at `path` with the app's providers (Mantine, Query, auth, i18n). */
export async function renderRoutes(routes: RouteObject[], path: string): Promise<RenderResult> {
  await i18nReady;
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const tree: ReactElement = (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <QueryClientProvider client={client}>
        <Suspense fallback={null}>
          <AuthProvider>
            <RouterProvider router={router} />
          </AuthProvider>
        </Suspense>
      </QueryClientProvider>
    </MantineProvider>
  );
  return render(tree);
}

import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Suspense } from 'react';
import { RouterProvider } from 'react-router';

import { ApiError } from '../api/problem';
import { AuthProvider } from '../auth/AuthContext';
import { PageLoader } from '../components/PageLoader';
import { cspNonce } from './cspNonce';
import { router } from './router';
import { cssVariablesResolver, theme } from './theme';

/** Client errors (4xx) are answers, not glitches: only server errors are retried. */
function retry(failures: number, error: unknown): boolean {
  return !(error instanceof ApiError && error.status < 500) && failures < 2;
}

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry, refetchOnWindowFocus: false },
    mutations: { retry: false },
  },
});

/** Mantine's nonce source for its `<style>` elements. */
function styleNonce(nonce: string): () => string {
  return () => nonce;
}

/** The application: providers and routes. */
export function App() {
  return (
    <MantineProvider
      theme={theme}
      defaultColorScheme="light"
      cssVariablesResolver={cssVariablesResolver}
      {...(cspNonce !== undefined && { getStyleNonce: styleNonce(cspNonce) })}
    >
      <QueryClientProvider client={queryClient}>
        <Suspense fallback={<PageLoader />}>
          <AuthProvider>
            <RouterProvider router={router} />
          </AuthProvider>
        </Suspense>
      </QueryClientProvider>
    </MantineProvider>
  );
}

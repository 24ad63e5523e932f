import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';

import { session } from '../api/client';
import { ApiError } from '../api/problem';
import { applyLanguage } from '../i18n';
import { isLanguage } from '../i18n/languages';
import * as authService from '../services/auth';
import { getMe } from '../services/me';
import { AuthContext, ME_KEY, ME_QUEUES_KEY, type AuthStatus, type AuthValue } from './context';

/** Provides the session and the signed-in user to the app. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const hasSession = useSyncExternalStore(session.subscribe, session.hasSession);
  const endReason = useSyncExternalStore(session.subscribe, session.endReason);
  const me = useQuery({
    queryKey: ME_KEY,
    queryFn: getMe,
    enabled: hasSession,
    staleTime: 5 * 60_000,
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });

  useEffect(() => {
    // Nothing of the previous user may stay in the cache.
    if (!hasSession) queryClient.clear();
  }, [hasSession, queryClient]);

  const language = me.data?.language;
  useEffect(() => {
    if (isLanguage(language)) void applyLanguage(language);
  }, [language]);

  const value = useMemo<AuthValue>(() => {
    let status: AuthStatus = 'signed-out';
    if (hasSession) {
      if (me.data) status = 'signed-in';
      else if (me.isError) status = 'error';
      else status = 'loading';
    }
    return {
      status,
      user: hasSession ? (me.data ?? null) : null,
      endReason,
      error: me.error,
      signIn: async (email, password, otp) => {
        await authService.signIn(email, password, otp);
        // Rights belong to who is signed in: never show the previous user's.
        queryClient.removeQueries({ queryKey: ME_QUEUES_KEY });
        const user = await getMe();
        queryClient.setQueryData(ME_KEY, user);
        return user;
      },
      signOut: async () => {
        try {
          await authService.signOut();
        } finally {
          queryClient.removeQueries({ queryKey: ME_QUEUES_KEY });
        }
      },
      retry: () => void me.refetch(),
    };
  }, [hasSession, endReason, me, queryClient]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}


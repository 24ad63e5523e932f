import { createContext, useContext } from 'react';

import type { User } from '../services/me';
import type { EndReason } from './sessionStore';

/** Query key of the signed-in user. */
export const ME_KEY = ['me'] as const;
/**
 * Query key of the signed-in agent's rights per queue (`GET /api/v1/me/queues`); below
 * {@link ME_KEY}, so refreshing the user (e.g. after the administrator flag changed) refreshes them too.
 */
export const ME_QUEUES_KEY = [...ME_KEY, 'queues'] as const;

/** The state of the sign-in. */
export type AuthStatus = 'signed-out' | 'loading' | 'signed-in' | 'error';

/** What {@link useAuth} gives. */
export interface AuthValue {
  /** Where the sign-in stands. */
  status: AuthStatus;
  /** The signed-in user once loaded. */
  user: User | null;
  /** Why the last session ended (`expired`: the server refused to renew it). */
  endReason: EndReason | null;
  /** The error loading the user, when `status` is `error`. */
  error: unknown;
  /** Signs in and loads the user; throws ApiError on failure. */
  signIn: (email: string, password: string, otp?: string) => Promise<User>;
  /** Signs out (revokes the refresh token on the server). */
  signOut: () => Promise<void>;
  /** Loads the user again after an error. */
  retry: () => void;
}

/** The context {@link AuthProvider} fills. */
export const AuthContext = createContext<AuthValue | null>(null);

/** The session and user; only inside {@link AuthProvider}. */
export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (value === null) throw new Error('useAuth outside AuthProvider');
  return value;
}

/** The signed-in user; only below a session guard. */
export function useUser(): User {
  const { user } = useAuth();
  if (user === null) throw new Error('useUser without a signed-in user');
  return user;
}

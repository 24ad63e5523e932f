import type { User } from '../services/me';

/** The home of a user's area: `/agent` for agents, `/portal` for customers. */
export function homePath(user: Pick<User, 'kind'>): string {
  return user.kind === 'agent' ? '/agent' : '/portal';
}

/** Where to go after signing in: `next` when it is a path inside the app, else the user's home. */
export function afterLoginPath(next: string | null, user: Pick<User, 'kind'>): string {
  // Only same-origin paths: `//evil.example` or `https://…` would leave the app.
  if (next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login')) return next;
  return homePath(user);
}

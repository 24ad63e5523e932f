/** Query key of my sessions. */
export const SESSIONS_KEY = ['me', 'sessions'] as const;

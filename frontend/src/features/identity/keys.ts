/** Query key of my sessions. */
export const SESSIONS_KEY = ['me', 'sessions'] as const;

/** Query key of my second factor. */
export const TWO_FACTOR_KEY = ['me', 'two-factor'] as const;

/** Query key of my API tokens. */
export const TOKENS_KEY = ['me', 'tokens'] as const;

/** Query key prefix of the agent directory (pages and single agents). */
export const AGENTS_KEY = ['users'] as const;

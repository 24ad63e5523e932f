import type { KbFilter } from '../../services/kb';

/** React Query keys of the knowledge base. */
export const kbKeys = {
  all: ['kb'] as const,
  categories: ['kb', 'categories'] as const,
  list: (filter: KbFilter) => ['kb', 'articles', filter] as const,
  article: (id: number) => ['kb', 'article', id] as const,
  versions: (id: number) => ['kb', 'versions', id] as const,
  suggestions: (text: string) => ['kb', 'suggestions', text] as const,
  modules: (q: string, queueId?: number) => ['text-modules', q, queueId] as const,
};

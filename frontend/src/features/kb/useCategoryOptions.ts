import { useQuery } from '@tanstack/react-query';

import { listKbCategories } from '../../services/kb';
import { kbKeys } from './keys';

/** The categories the caller may browse, and choices for a select (indented by depth). */
export function useCategoryOptions() {
  const categories = useQuery({ queryKey: kbKeys.categories, queryFn: listKbCategories, staleTime: 60_000 });
  const options = (categories.data ?? []).map((c) => ({ value: String(c.id), label: `${'· '.repeat(c.depth)}${c.name}` }));
  return { categories, options };
}

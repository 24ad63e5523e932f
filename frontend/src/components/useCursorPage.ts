import { keepPreviousData, useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useState } from 'react';

import {
  currentCursor,
  firstPage,
  pageNumber,
  pagerReducer,
  type Page,
  type PagerAction,
  type PagerState,
} from './cursorPager';

/** A cursor-paged server list: the page shown and the controls to move between pages. */
export interface CursorPage<T> {
  /** The query of the page shown (the previous page stays visible while the next loads). */
  query: UseQueryResult<Page<T>>;
  /** 1-based number of the page shown. */
  page: number;
  /** Whether there is a next page. */
  hasNext: boolean;
  /** Whether there is a previous page. */
  hasPrevious: boolean;
  /** Shows the next page. */
  next: () => void;
  /** Shows the previous page. */
  previous: () => void;
}

/**
 * Fetches one page at a time of a server-paginated list; never more. `key` identifies the
 * list and its filters: when it changes, the pager goes back to the first page. With
 * `refetchInterval` the page shown refreshes itself (live lists).
 */
export function useCursorPage<T>(
  key: readonly unknown[],
  fetchPage: (cursor: string | null, limit: number) => Promise<Page<T>>,
  limit = 25,
  options: { refetchInterval?: number } = {},
): CursorPage<T> {
  // The pager remembers which list it belongs to; a new key starts at the first page at once
  // (no render fetches the new filter with an old cursor).
  const keyString = JSON.stringify(key);
  const [pager, setPager] = useState<{ key: string; state: PagerState }>({
    key: keyString,
    state: firstPage,
  });
  const state = pager.key === keyString ? pager.state : firstPage;
  const dispatch = (action: PagerAction) => {
    setPager({ key: keyString, state: pagerReducer(state, action) });
  };
  const cursor = currentCursor(state);
  const query = useQuery({
    queryKey: [...key, { cursor, limit }],
    queryFn: () => fetchPage(cursor, limit),
    placeholderData: keepPreviousData,
    ...(options.refetchInterval !== undefined && { refetchInterval: options.refetchInterval }),
  });
  const nextCursor = query.isPlaceholderData ? null : (query.data?.nextCursor ?? null);
  return {
    query,
    page: pageNumber(state),
    hasNext: nextCursor !== null,
    hasPrevious: pageNumber(state) > 1,
    next: () => {
      if (nextCursor !== null) dispatch({ type: 'next', cursor: nextCursor });
    },
    previous: () => dispatch({ type: 'previous' }),
  };
}

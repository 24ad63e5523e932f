import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';

import { currentCursor, firstPage, pageNumber, pagerReducer, type Page } from './cursorPager';
import { useCursorPage } from './useCursorPage';

describe('pagerReducer', () => {
  it('walks forward by cursor and back through the trail', () => {
    let state = pagerReducer(firstPage, { type: 'next', cursor: 'c2' });
    state = pagerReducer(state, { type: 'next', cursor: 'c3' });
    expect(currentCursor(state)).toBe('c3');
    expect(pageNumber(state)).toBe(3);
    state = pagerReducer(state, { type: 'previous' });
    expect(currentCursor(state)).toBe('c2');
    state = pagerReducer(pagerReducer(state, { type: 'previous' }), { type: 'previous' });
    expect(state.trail).toEqual([null]);
    expect(pagerReducer(state, { type: 'reset' })).toBe(state);
  });
});

/** A server of `total` rows served `limit` at a time with opaque cursors. */
function fakeServer(total: number) {
  return vi.fn((cursor: string | null, limit: number): Promise<Page<number>> => {
    const start = cursor === null ? 0 : Number(atob(cursor));
    const items = Array.from({ length: Math.min(limit, total - start) }, (_, i) => start + i);
    const end = start + items.length;
    return Promise.resolve({ items, nextCursor: end < total ? btoa(String(end)) : null });
  });
}

function wrapper({ children }: { children: ReactNode }) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

describe('useCursorPage', () => {
  it('fetches one page at a time and pages with the server’s cursors', async () => {
    const fetchPage = fakeServer(100_000);
    const { result } = renderHook(() => useCursorPage(['rows'], fetchPage, 25), { wrapper });
    await waitFor(() => expect(result.current.query.data?.items[0]).toBe(0));
    expect(fetchPage).toHaveBeenCalledTimes(1);
    expect(fetchPage).toHaveBeenLastCalledWith(null, 25);
    expect(result.current.hasPrevious).toBe(false);

    act(() => result.current.next());
    await waitFor(() => expect(result.current.query.data?.items[0]).toBe(25));
    expect(result.current.page).toBe(2);
    act(() => result.current.next());
    await waitFor(() => expect(result.current.query.data?.items[0]).toBe(50));

    act(() => result.current.previous());
    await waitFor(() => expect(result.current.query.data?.items[0]).toBe(25));
    // never more than the pages visited, never the whole list
    expect(fetchPage.mock.calls.length).toBeLessThanOrEqual(4);
    expect(fetchPage.mock.calls.every(([, limit]) => limit === 25)).toBe(true);
  });

  it('stops at the last page', async () => {
    const fetchPage = fakeServer(30);
    const { result } = renderHook(() => useCursorPage(['short'], fetchPage, 25), { wrapper });
    await waitFor(() => expect(result.current.hasNext).toBe(true));
    act(() => result.current.next());
    await waitFor(() => expect(result.current.query.data?.items).toEqual([25, 26, 27, 28, 29]));
    expect(result.current.hasNext).toBe(false);
    act(() => result.current.next());
    expect(result.current.page).toBe(2);
  });

  it('goes back to the first page when the filter changes, without using the old cursor', async () => {
    const fetchPage = fakeServer(100);
    const { result, rerender } = renderHook(({ filter }) => useCursorPage(['f', filter], fetchPage, 10), {
      wrapper,
      initialProps: { filter: 'a' },
    });
    await waitFor(() => expect(result.current.hasNext).toBe(true));
    act(() => result.current.next());
    await waitFor(() => expect(result.current.page).toBe(2));
    await waitFor(() => expect(result.current.query.data?.items[0]).toBe(10));
    fetchPage.mockClear();
    rerender({ filter: 'b' });
    expect(result.current.page).toBe(1);
    await waitFor(() => expect(fetchPage).toHaveBeenCalled());
    expect(fetchPage.mock.calls.every(([cursor]) => cursor === null)).toBe(true);
  });
});

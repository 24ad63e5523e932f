/** One page of a cursor-paginated list, whatever the endpoint calls its fields. */
export interface Page<T> {
  /** The rows of this page. */
  items: T[];
  /** Cursor of the next page; `null` on the last page. */
  nextCursor: string | null;
}

/**
 * Where a cursor-paged list stands: the cursors of the pages visited so far (the first page
 * has cursor `null`), so "previous" needs no backwards cursor from the server.
 */
export interface PagerState {
  /** Cursor of each visited page, in order; the last one is the page shown. */
  readonly trail: readonly (string | null)[];
}

/** Actions on a {@link PagerState}. */
export type PagerAction =
  | { type: 'next'; cursor: string }
  | { type: 'previous' }
  | { type: 'reset' };

/** The first page. */
export const firstPage: PagerState = { trail: [null] };

/** Moves the pager; `next` needs the `next_cursor` of the page shown. */
export function pagerReducer(state: PagerState, action: PagerAction): PagerState {
  switch (action.type) {
    case 'next':
      return { trail: [...state.trail, action.cursor] };
    case 'previous':
      return state.trail.length > 1 ? { trail: state.trail.slice(0, -1) } : state;
    case 'reset':
      return state.trail.length === 1 && state.trail[0] === null ? state : firstPage;
  }
}

/** The cursor to fetch for the page shown. */
export function currentCursor(state: PagerState): string | null {
  return state.trail[state.trail.length - 1] ?? null;
}

/** The 1-based number of the page shown. */
export function pageNumber(state: PagerState): number {
  return state.trail.length;
}

import { describe, expect, it } from 'vitest';

import { utcToZoned, zonedToUtc } from '../../i18n/zoned';
import { filterQueryString } from '../../services/tickets';
import {
  apiQueryToView,
  DEFAULT_SORT,
  DEFAULT_VIEW,
  fieldSort,
  hasExtraFilters,
  parseView,
  sortDirection,
  toggleSort,
  viewToFilter,
  viewToParams,
  type TicketView,
} from './ticketView';

describe('custom field columns and sorts', () => {
  it('keeps valid column keys once, in order, and drops the rest', () => {
    expect(parseView(new URLSearchParams('columns=units,product,units,Bad-Key,,x')).columns).toEqual(['units', 'product', 'x']);
  });

  it('accepts a sort by a custom field and toggles it ascending first', () => {
    expect(parseView(new URLSearchParams('sort=-cf.product')).sort).toBe('-cf.product');
    expect(parseView(new URLSearchParams('sort=cf.Not-a-key')).sort).toBe(DEFAULT_SORT);
    expect(toggleSort('-updated_at', fieldSort('product'))).toBe('cf.product');
    expect(toggleSort('cf.product', fieldSort('product'))).toBe('-cf.product');
  });
});

describe('ticket view ↔ address bar', () => {
  it('reads the bare address as the default view and writes the default view as a bare address', () => {
    expect(parseView(new URLSearchParams(''))).toEqual(DEFAULT_VIEW);
    expect(viewToParams(DEFAULT_VIEW).toString()).toBe('');
  });

  it('round-trips every filter', () => {
    const view: TicketView = {
      queueId: 7,
      states: ['pending_reminder', 'new'],
      owner: 'me',
      priorities: [5, 4],
      typeId: 2,
      customerId: 31,
      companyId: 4,
      createdFrom: '2026-11-01',
      createdTo: '2026-11-03',
      updatedFrom: null,
      updatedTo: '2026-11-20',
      q: 'printer "paper jam"',
      includeArchived: true,
      escalated: true,
      unread: true,
      sort: 'priority',
      fields: { product: 'printer', 'seats.from': '5' },
      columns: ['product', 'units'],
    };
    const params = viewToParams(view);
    expect(params.get('columns')).toBe('product,units');
    expect(params.get('cf.product')).toBe('printer');
    expect(params.get('cf.seats.from')).toBe('5');
    expect(params.get('state_type')).toBe('new,pending_reminder'); // canonical order
    expect(params.get('priority')).toBe('4,5');
    expect(parseView(new URLSearchParams(params.toString()))).toEqual({
      ...view,
      states: ['new', 'pending_reminder'],
      priorities: [4, 5],
    });
  });

  it('reads the escalated list (escalated only, soonest deadline first) and sends it as the API filter', () => {
    const view = parseView(new URLSearchParams('escalated=true&sort=escalation_at'));
    expect(view).toEqual({ ...DEFAULT_VIEW, escalated: true, sort: 'escalation_at' });
    expect(viewToFilter(view, 'UTC')).toMatchObject({ escalated: true, sort: 'escalation_at' });
    expect(viewToFilter(DEFAULT_VIEW, 'UTC').escalated).toBeUndefined();
  });

  it('keeps "every state" apart from the default', () => {
    const all = { ...DEFAULT_VIEW, states: null };
    expect(viewToParams(all).toString()).toBe('state_type=all');
    expect(parseView(viewToParams(all)).states).toBeNull();
  });

  it('ignores malformed values instead of sending them to the server', () => {
    const view = parseView(
      new URLSearchParams('queue_id=abc&owner_id=-3&priority=2,x,2&state_type=bogus&sort=subject&created_from=2026-13-45'),
    );
    expect(view.queueId).toBeNull();
    expect(view.owner).toBeNull();
    expect(view.priorities).toEqual([2]);
    expect(view.states).toEqual(DEFAULT_VIEW.states);
    expect(view.sort).toBe('-updated_at');
    expect(view.createdFrom).toBeNull();
    expect(hasExtraFilters({ ...view, priorities: [] })).toBe(false);
    expect(hasExtraFilters(parseView(new URLSearchParams('owner_id=none')))).toBe(true);
  });

  it('turns calendar days into instants in the user’s time zone', () => {
    const filter = viewToFilter(
      { ...DEFAULT_VIEW, queueId: 3, owner: 12, createdFrom: '2026-11-01', createdTo: '2026-11-03' },
      'Europe/Oslo',
    );
    expect(filter).toEqual({
      sort: '-updated_at',
      queue_id: 3,
      owner_id: 12,
      state_type: ['new', 'open', 'pending_reminder', 'pending_auto'],
      created_after: '2026-10-31T23:00:00.000Z', // midnight in Oslo (UTC+1)
      created_before: '2026-11-03T23:00:00.000Z', // up to the end of 3 November there
    });
    expect(viewToFilter({ ...DEFAULT_VIEW, states: null }, 'UTC').state_type).toBeUndefined();
  });

  it('sorts a search by relevance unless told otherwise, and never sorts by relevance without one', () => {
    const searching = parseView(new URLSearchParams('q=toner'));
    expect(searching.sort).toBe('relevance');
    expect(viewToParams(searching).toString()).toBe('q=toner');
    expect(viewToFilter(searching, 'UTC')).toMatchObject({ q: 'toner', sort: 'relevance' });
    expect(parseView(new URLSearchParams('q=toner&sort=-priority')).sort).toBe('-priority');
    expect(parseView(new URLSearchParams('sort=relevance')).sort).toBe('-updated_at');
    expect(parseView(new URLSearchParams('include_archived=true')).includeArchived).toBe(false);
  });

  it('turns a saved search’s API query back into the view it was saved from', () => {
    const view: TicketView = {
      ...DEFAULT_VIEW,
      queueId: 4,
      states: ['new', 'open'],
      owner: 'none',
      priorities: [5],
      createdFrom: '2026-03-29', // the day Oslo switches to summer time
      createdTo: '2026-11-03',
      q: 'vpn',
      unread: true,
      sort: '-priority',
    };
    const saved = filterQueryString(viewToFilter(view, 'Europe/Oslo'));
    expect(saved).toContain('created_after=2026-03-28T23%3A00%3A00.000Z');
    expect(apiQueryToView(saved, 'Europe/Oslo')).toEqual(view);
    // A query without state_type means every state, not the default "not closed".
    expect(apiQueryToView('queue_id=1', 'UTC').states).toBeNull();
  });

  it('sorts a new column descending first and flips the current one', () => {
    expect(toggleSort('-updated_at', 'priority')).toBe('-priority');
    expect(toggleSort('-priority', 'priority')).toBe('priority');
    expect(toggleSort('priority', 'priority')).toBe('-priority');
    expect(sortDirection('-number', 'number')).toBe('descending');
    expect(sortDirection('number', 'number')).toBe('ascending');
    expect(sortDirection('number', 'priority')).toBe('none');
  });

  it('sorts text columns and the state A to Z first, and keeps them in the address bar', () => {
    expect(toggleSort('-updated_at', 'customer')).toBe('customer');
    expect(toggleSort('customer', 'customer')).toBe('-customer');
    expect(toggleSort('-priority', 'state')).toBe('state');
    for (const sort of ['title', '-title', 'state', 'customer', '-owner', 'pending_until'] as const) {
      const view = parseView(new URLSearchParams(`sort=${sort}`));
      expect(view.sort).toBe(sort);
      expect(viewToParams(view).get('sort')).toBe(sort);
      expect(viewToFilter(view, 'UTC').sort).toBe(sort);
    }
  });
});

describe('wall-clock times in a time zone', () => {
  it('converts both ways, across daylight saving time', () => {
    expect(zonedToUtc('2026-07-01T12:00', 'Europe/Oslo')).toBe('2026-07-01T10:00:00.000Z'); // summer: UTC+2
    expect(zonedToUtc('2026-12-01T12:00', 'Europe/Oslo')).toBe('2026-12-01T11:00:00.000Z'); // winter: UTC+1
    expect(zonedToUtc('2026-11-22T09:15', 'America/New_York')).toBe('2026-11-22T14:15:00.000Z');
    expect(utcToZoned('2026-07-01T10:00:00Z', 'Europe/Oslo')).toBe('2026-07-01T12:00');
    expect(zonedToUtc('yesterday', 'UTC')).toBeNull();
  });
});

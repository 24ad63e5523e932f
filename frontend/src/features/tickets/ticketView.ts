import { nextDay, utcToZoned, zonedToUtc } from '../../i18n/zoned';
import {
  ACTIVE_STATE_TYPES,
  SORT_FIELDS,
  STATE_TYPES,
  type SortField,
  type StateType,
  type TicketFilter,
  type TicketSort,
} from '../../services/tickets';

/**
 * What a ticket list shows, as it lives in the address bar (so a view can be bookmarked,
 * shared and restored with "back"). Dates are calendar days in the user's time zone.
 */
export interface TicketView {
  queueId: number | null;
  /** State types; `null` means every state (the default is {@link ACTIVE_STATE_TYPES}). */
  states: readonly StateType[] | null;
  owner: number | 'me' | 'none' | null;
  priorities: readonly number[];
  typeId: number | null;
  customerId: number | null;
  companyId: number | null;
  /** `YYYY-MM-DD`, inclusive. */
  createdFrom: string | null;
  createdTo: string | null;
  updatedFrom: string | null;
  updatedTo: string | null;
  /** Full-text search; `null` without one. */
  q: string | null;
  /** With a search: also archived tickets. */
  includeArchived: boolean;
  /** Only tickets past an SLA deadline. */
  escalated: boolean;
  /** Only tickets with articles the agent has not read. */
  unread: boolean;
  sort: TicketSort;
  /** Custom field filters as in the address bar (`cf.product=printer` is `product` → `printer`). */
  fields: Readonly<Record<string, string>>;
  /** Keys of the custom fields shown as columns (`columns=product,units`), in order. */
  columns: readonly string[];
}

/** The default sort: most recently updated first. */
export const DEFAULT_SORT: TicketSort = '-updated_at';

/** The sort a view has unless it says otherwise: by relevance when searching. */
export function defaultSort(view: Pick<TicketView, 'q'>): TicketSort {
  return view.q ? 'relevance' : DEFAULT_SORT;
}

/** The view of a bare `/agent/tickets`: tickets that need work, in all queues. */
export const DEFAULT_VIEW: TicketView = {
  queueId: null,
  states: ACTIVE_STATE_TYPES,
  owner: null,
  priorities: [],
  typeId: null,
  customerId: null,
  companyId: null,
  createdFrom: null,
  createdTo: null,
  updatedFrom: null,
  updatedTo: null,
  q: null,
  includeArchived: false,
  escalated: false,
  unread: false,
  sort: DEFAULT_SORT,
  fields: {},
  columns: [],
};

/** The `cf.` parameters of a query, without the prefix. */
function fieldParams(params: URLSearchParams): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of params) if (name.startsWith('cf.') && name.length > 3 && value) fields[name.slice(3)] = value;
  return fields;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A custom field key (as the server checks it). */
const FIELD_KEY = /^[a-z][a-z0-9_]{0,63}$/;

/** The sort field of a custom field. */
export function fieldSort(key: string): SortField {
  return `cf.${key}`;
}

/** The custom field columns of `columns=`: valid keys, each once, in order. */
function columnKeys(text: string | null): string[] {
  return [...new Set((text ?? '').split(',').map((key) => key.trim()))].filter((key) => FIELD_KEY.test(key));
}

function positiveInt(text: string | null): number | null {
  if (text === null || !/^\d{1,15}$/.test(text)) return null;
  const value = Number(text);
  return value > 0 ? value : null;
}

function date(text: string | null): string | null {
  return text !== null && DATE.test(text) && !Number.isNaN(Date.parse(text)) ? text : null;
}

function isSort(text: string, searching: boolean): text is TicketSort {
  if (text === 'relevance') return searching;
  const field = text.startsWith('-') ? text.slice(1) : text;
  if (field.startsWith('cf.')) return FIELD_KEY.test(field.slice(3));
  return (SORT_FIELDS as readonly string[]).includes(field);
}

function sameSet<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}

/** Reads a view from the address bar; anything malformed falls back to the default, never throws. */
export function parseView(params: URLSearchParams): TicketView {
  const statesText = params.get('state_type');
  let states: readonly StateType[] | null = ACTIVE_STATE_TYPES;
  if (statesText === 'all') states = null;
  else if (statesText) {
    const chosen = STATE_TYPES.filter((type) => statesText.split(',').includes(type));
    if (chosen.length > 0) states = chosen;
  }
  const ownerText = params.get('owner_id');
  const owner = ownerText === 'me' || ownerText === 'none' ? ownerText : positiveInt(ownerText);
  const priorities = (params.get('priority') ?? '')
    .split(',')
    .map((part) => positiveInt(part))
    .filter((level): level is number => level !== null)
    .sort((a, b) => a - b);
  const sortText = params.get('sort') ?? '';
  const q = params.get('q')?.trim() || null;
  return {
    queueId: positiveInt(params.get('queue_id')),
    states,
    owner,
    priorities: [...new Set(priorities)],
    typeId: positiveInt(params.get('type_id')),
    customerId: positiveInt(params.get('customer_id')),
    companyId: positiveInt(params.get('company_id')),
    createdFrom: date(params.get('created_from')),
    createdTo: date(params.get('created_to')),
    updatedFrom: date(params.get('updated_from')),
    updatedTo: date(params.get('updated_to')),
    q,
    includeArchived: q !== null && params.get('include_archived') === 'true',
    escalated: params.get('escalated') === 'true',
    unread: params.get('unread') === 'true',
    sort: isSort(sortText, q !== null) ? sortText : defaultSort({ q }),
    fields: fieldParams(params),
    columns: columnKeys(params.get('columns')),
  };
}

/** Writes a view to the address bar; defaults are left out, so the plain address is the default view. */
export function viewToParams(view: TicketView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.queueId !== null) params.set('queue_id', String(view.queueId));
  if (view.states === null) params.set('state_type', 'all');
  else if (!sameSet(view.states, ACTIVE_STATE_TYPES)) {
    params.set('state_type', STATE_TYPES.filter((type) => view.states?.includes(type)).join(','));
  }
  if (view.owner !== null) params.set('owner_id', String(view.owner));
  if (view.priorities.length > 0) params.set('priority', [...view.priorities].sort((a, b) => a - b).join(','));
  if (view.typeId !== null) params.set('type_id', String(view.typeId));
  if (view.customerId !== null) params.set('customer_id', String(view.customerId));
  if (view.companyId !== null) params.set('company_id', String(view.companyId));
  if (view.createdFrom) params.set('created_from', view.createdFrom);
  if (view.createdTo) params.set('created_to', view.createdTo);
  if (view.updatedFrom) params.set('updated_from', view.updatedFrom);
  if (view.updatedTo) params.set('updated_to', view.updatedTo);
  if (view.q) params.set('q', view.q);
  if (view.q && view.includeArchived) params.set('include_archived', 'true');
  if (view.escalated) params.set('escalated', 'true');
  if (view.unread) params.set('unread', 'true');
  if (view.sort !== defaultSort(view)) params.set('sort', view.sort);
  for (const [key, value] of Object.entries(view.fields)) params.set(`cf.${key}`, value);
  if (view.columns.length > 0) params.set('columns', view.columns.join(','));
  return params;
}

/**
 * The API filter of a view. Calendar days become instants in the user's `timeZone`: "created
 * from 1 November" is from midnight there, "to 3 November" up to (not including) midnight
 * starting 4 November.
 */
export function viewToFilter(view: TicketView, timeZone: string): TicketFilter {
  const filter: TicketFilter = { sort: view.sort === 'relevance' && !view.q ? DEFAULT_SORT : view.sort };
  if (view.q) filter.q = view.q;
  if (view.q && view.includeArchived) filter.include_archived = true;
  if (view.escalated) filter.escalated = true;
  if (view.unread) filter.unread = true;
  if (view.queueId !== null) filter.queue_id = view.queueId;
  if (view.states !== null) filter.state_type = view.states;
  if (view.owner !== null) filter.owner_id = view.owner;
  if (view.priorities.length > 0) filter.priority = view.priorities;
  if (view.typeId !== null) filter.type_id = view.typeId;
  if (view.customerId !== null) filter.customer_id = view.customerId;
  if (view.companyId !== null) filter.company_id = view.companyId;
  const from = (day: string | null) => (day ? (zonedToUtc(day, timeZone) ?? undefined) : undefined);
  const to = (day: string | null) => (day ? (zonedToUtc(nextDay(day), timeZone) ?? undefined) : undefined);
  const createdAfter = from(view.createdFrom);
  const createdBefore = to(view.createdTo);
  const updatedAfter = from(view.updatedFrom);
  const updatedBefore = to(view.updatedTo);
  if (createdAfter) filter.created_after = createdAfter;
  if (createdBefore) filter.created_before = createdBefore;
  if (updatedAfter) filter.updated_after = updatedAfter;
  if (updatedBefore) filter.updated_before = updatedBefore;
  if (Object.keys(view.fields).length > 0) filter.custom = view.fields;
  return filter;
}

/**
 * The view of an API query string (a saved search), the inverse of {@link viewToFilter}:
 * instants become calendar days in `timeZone` (an exclusive "before" is the day before), and
 * a query without `state_type` means every state.
 */
export function apiQueryToView(query: string, timeZone: string): TicketView {
  const api = new URLSearchParams(query);
  const params = new URLSearchParams();
  for (const name of ['queue_id', 'owner_id', 'priority', 'type_id', 'customer_id', 'company_id', 'q', 'include_archived', 'escalated', 'unread', 'sort']) {
    const value = api.get(name);
    if (value !== null) params.set(name, value);
  }
  params.set('state_type', api.get('state_type') ?? 'all');
  for (const [key, value] of Object.entries(fieldParams(api))) params.set(`cf.${key}`, value);
  const day = (name: string, exclusive: boolean) => {
    const value = api.get(name);
    if (!value || Number.isNaN(Date.parse(value))) return;
    const local = utcToZoned(value, timeZone).slice(0, 10);
    return exclusive ? previousDay(local) : local;
  };
  const days: [string, string | undefined][] = [
    ['created_from', day('created_after', false)],
    ['created_to', day('created_before', true)],
    ['updated_from', day('updated_after', false)],
    ['updated_to', day('updated_before', true)],
  ];
  for (const [name, value] of days) if (value) params.set(name, value);
  return parseView(params);
}

function previousDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** Fields read alphabetically (or in life-cycle order): a click sorts them A to Z first. */
const ASCENDING_FIRST: readonly SortField[] = ['title', 'customer', 'owner', 'state'];

/**
 * The sort after clicking a column: the same field flips direction; another starts ascending
 * when it is text (title, customer, owner, a custom field) or the state's life cycle, else
 * descending (newest, highest first).
 */
export function toggleSort(current: TicketSort, field: SortField): TicketSort {
  if (current === `-${field}`) return field;
  if (current === field) return `-${field}`;
  return ASCENDING_FIRST.includes(field) || field.startsWith('cf.') ? field : `-${field}`;
}

/** How a column is sorted now (for `aria-sort`). */
export function sortDirection(current: TicketSort, field: SortField): 'ascending' | 'descending' | 'none' {
  if (current === field) return 'ascending';
  if (current === `-${field}`) return 'descending';
  return 'none';
}

/** Whether the view filters anything beyond the queue and the default states. */
export function hasExtraFilters(view: TicketView): boolean {
  return (
    view.owner !== null ||
    view.priorities.length > 0 ||
    view.typeId !== null ||
    view.customerId !== null ||
    view.companyId !== null ||
    view.q !== null ||
    view.escalated ||
    view.unread ||
    Boolean(view.createdFrom ?? view.createdTo ?? view.updatedFrom ?? view.updatedTo)
  );
}

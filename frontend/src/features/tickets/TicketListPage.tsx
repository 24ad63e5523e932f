import { Button, Checkbox, Group, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';

import { PageTitle } from '../../components/PageTitle';
import { useCursorPage } from '../../components/useCursorPage';
import { useFormat } from '../../i18n/useFormat';
import type { QueueCounts } from '../../services/reference';
import { listTickets, STATE_TYPES, type Ticket } from '../../services/tickets';
import { ColumnPicker } from '../customFields/ColumnPicker';
import { useCustomFields } from '../customFields/fields';
import type { BulkTicket } from './bulk';
import { BulkPanel } from './BulkPanel';
import { ticketKeys } from './keys';
import { stateTypeLabel } from './labels';
import { queuePath } from './queueTree';
import { ticketScope } from './rights';
import { useQueues } from './reference';
import { SaveSearchButton } from './SavedSearches';
import { countText, useTicketCount } from './ticketCount';
import { TicketFilters } from './TicketFilters';
import { TicketTable } from './TicketTable';
import { DEFAULT_SORT, parseView, toggleSort, viewToFilter, viewToParams, type TicketView } from './ticketView';

/** How often the list shown refreshes itself. */
const LIST_REFRESH_MS = 60_000;
const PAGE_SIZES = ['25', '50', '100', '200'];

/**
 * The queue view (`/agent/tickets?queue_id=…`): counts by state type, filters, a sortable
 * server-paginated list (one page in memory, however many tickets the queue has) with
 * checkboxes for bulk changes and the custom field columns the agent picks. The view lives in
 * the address bar.
 */
export function TicketListPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [params, setParams] = useSearchParams();
  const view = useMemo(() => parseView(params), [params]);
  const filter = useMemo(() => viewToFilter(view, format.timeZone), [view, format.timeZone]);
  const [pageSize, setPageSize] = useState(25);
  const [bulkShown, setBulkShown] = useState(false);
  const pager = useCursorPage(ticketKeys.list(filter), (cursor, limit) => listTickets(filter, cursor, limit), pageSize, {
    refetchInterval: LIST_REFRESH_MS,
  });
  const total = useTicketCount(filter, { refetchInterval: LIST_REFRESH_MS });
  const queues = useQueues();
  const ticketFields = useCustomFields('ticket');
  const fieldColumns = view.columns.flatMap((key) => ticketFields.data?.filter((f) => f.key === key) ?? []);

  // The selection belongs to the view it was made in: another filter starts empty.
  const viewKey = params.toString();
  const [selection, setSelection] = useState<{ key: string; tickets: Map<number, BulkTicket> }>({
    key: viewKey,
    tickets: new Map(),
  });
  const selected = selection.key === viewKey ? selection.tickets : new Map<number, BulkTicket>();
  const select = (tickets: readonly Ticket[], on: boolean) => {
    const next = new Map(selected);
    for (const ticket of tickets) {
      const { id, number, title, version } = ticket;
      if (on) next.set(id, { id, number, title, version, scope: ticketScope(ticket), typeId: ticket.type?.id ?? null });
      else next.delete(id);
    }
    setSelection({ key: viewKey, tickets: next });
  };

  const show = (next: TicketView, replace = false) => setParams(viewToParams(next), { replace });
  const queueList = queues.data ?? [];
  const title =
    view.queueId === null
      ? t('tickets.all_queues_title')
      : queueList.some((queue) => queue.id === view.queueId)
        ? queuePath(queueList, view.queueId)
        : t('tickets.queue_title', { id: view.queueId });

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-start">
        <PageTitle text={title} />
        <Button component={Link} to="/agent/tickets/new">
          {t('nav.new_ticket')}
        </Button>
      </Group>
      <SearchBox view={view} onSearch={(next) => show(next, true)} />
      <StateCounts view={view} onPick={show} />
      <Paper withBorder p="sm">
        <TicketFilters view={view} onChange={show} />
      </Paper>
      <Group justify="space-between" gap="xs">
        <Text size="sm" c="dimmed">
          {total.data && (
            <Text span fw={600} c="var(--mantine-color-text)" mr="xs">
              {t('tickets.total', { count: total.data.count, total: countText(total.data, format.number) })}
            </Text>
          )}
          {view.q && view.sort === 'relevance' ? t('search.by_relevance') : ''}
        </Text>
        <Group gap="xs">
          {view.q && view.sort !== 'relevance' && (
            <Button size="compact-sm" variant="subtle" onClick={() => show({ ...view, sort: 'relevance' })}>
              {t('search.sort_relevance')}
            </Button>
          )}
          <ColumnPicker
            fields={ticketFields.data ?? []}
            queueId={view.queueId}
            value={view.columns}
            onChange={(columns) => show({ ...view, columns }, true)}
          />
          <SaveSearchButton view={view} />
        </Group>
      </Group>
      <TicketTable
        pager={pager}
        caption={title}
        empty={t('tickets.none_match')}
        linkTo={(ticket) => `/agent/tickets/${ticket.number}`}
        hide={view.queueId === null ? [] : ['queue']}
        fieldColumns={fieldColumns}
        sort={{ current: view.sort, onSort: (field) => show({ ...view, sort: toggleSort(view.sort, field) }) }}
        selection={{
          isSelected: (ticket) => selected.has(ticket.id),
          toggle: (ticket, on) => select([ticket], on),
          toggleAll: select,
        }}
        footer={
          <Select
            aria-label={t('tickets.page_size')}
            data={PAGE_SIZES.map((size) => ({ value: size, label: t('tickets.page_size_value', { count: Number(size) }) }))}
            value={String(pageSize)}
            onChange={(value) => setPageSize(Number(value ?? 25))}
            allowDeselect={false}
            w={130}
            size="xs"
          />
        }
        toolbar={
          (selected.size > 0 || bulkShown) && (
            <BulkPanel
              selected={[...selected.values()]}
              onClear={() => {
                setBulkShown(false);
                setSelection({ key: viewKey, tickets: new Map() });
              }}
              onFinished={(done) => {
                // The panel stays with its results after the changed tickets leave the selection.
                setBulkShown(true);
                const next = new Map(selected);
                for (const ticket of done) next.delete(ticket.id);
                setSelection({ key: viewKey, tickets: next });
              }}
            />
          )
        }
      />
    </Stack>
  );
}

/**
 * Full-text search over the tickets the list shows (titles, numbers, articles, senders,
 * attachment names and text), combined with every filter; the query goes into the address
 * bar half a second after typing stops. A new search sorts by relevance.
 */
function SearchBox({ view, onSearch }: { view: TicketView; onSearch: (view: TicketView) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(view.q ?? '');
  // The address bar can change the search too (back, a saved search): follow it, without
  // disturbing what is being typed when it is just this box's own update coming back.
  const [seen, setSeen] = useState(view.q);
  if (seen !== view.q) {
    setSeen(view.q);
    if ((view.q ?? '') !== text.trim()) setText(view.q ?? '');
  }
  const apply = useDebouncedCallback((value: string) => {
    const q = value.trim() || null;
    if (q === view.q) return;
    let sort = view.sort;
    if (!q && sort === 'relevance') sort = DEFAULT_SORT;
    if (q && !view.q && sort === DEFAULT_SORT) sort = 'relevance';
    onSearch({ ...view, q, sort });
  }, 500);
  return (
    <Group align="flex-end" gap="sm" wrap="wrap">
      <TextInput
        type="search"
        label={t('search.label')}
        description={t('search.hint')}
        value={text}
        onChange={(event) => {
          setText(event.currentTarget.value);
          apply(event.currentTarget.value);
        }}
        style={{ flex: 1, minWidth: 240 }}
      />
      {view.q && (
        <Checkbox
          label={t('search.include_archived')}
          checked={view.includeArchived}
          onChange={(event) => onSearch({ ...view, includeArchived: event.currentTarget.checked })}
          mb={8}
        />
      )}
    </Group>
  );
}

/**
 * The queue's tickets per state type (all visible queues without a queue), from the server's
 * maintained counters; choosing one filters the list to that state type.
 */
function StateCounts({ view, onPick }: { view: TicketView; onPick: (view: TicketView) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const queues = useQueues();
  if (!queues.data) return null;
  const shown = view.queueId === null ? queues.data : queues.data.filter((queue) => queue.id === view.queueId);
  const counts = Object.fromEntries(STATE_TYPES.map((type) => [type, 0])) as Record<keyof QueueCounts, number>;
  for (const queue of shown) for (const type of STATE_TYPES) counts[type] += queue.counts[type];
  return (
    <Group gap="xs" role="group" aria-label={t('tickets.counts')}>
      {STATE_TYPES.filter((type) => type !== 'merged' && type !== 'removed').map((type) => {
        const active = view.states?.length === 1 && view.states[0] === type;
        return (
          <Button
            key={type}
            size="compact-sm"
            variant={active ? 'light' : 'default'}
            aria-pressed={active}
            onClick={() => onPick({ ...view, states: active ? parseView(new URLSearchParams()).states : [type] })}
          >
            {stateTypeLabel(t, type)}
            <Text span fw={700} ml={6} fz="sm">
              {format.number(counts[type])}
            </Text>
          </Button>
        );
      })}
    </Group>
  );
}

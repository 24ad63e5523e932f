import { Anchor, Checkbox, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { CursorTable, type Column } from '../../components/CursorTable';
import type { CursorPage } from '../../components/useCursorPage';
import { useFormat } from '../../i18n/useFormat';
import { labelOf, type CustomField } from '../../services/customFields';
import type { SortField, Ticket, TicketSort } from '../../services/tickets';
import { displayValue } from '../customFields/display';
import { SlaBadge } from '../sla/SlaBadge';
import { PriorityBadge, StateBadge } from './badges';
import { snippetParts, type Snippet } from './snippet';
import { fieldSort, sortDirection } from './ticketView';

/** A search hit's context, the matched words marked (plain text: never rendered as HTML). */
function SnippetText({ snippet }: { snippet: Snippet }) {
  return (
    <Text fz="xs" c="dimmed" lineClamp={2}>
      {snippetParts(snippet).map((part, index) =>
        part.hit ? (
          <mark key={index} style={{ background: 'var(--mantine-color-yellow-2)', color: 'inherit', padding: 0 }}>
            {part.text}
          </mark>
        ) : (
          <span key={index}>{part.text}</span>
        ),
      )}
    </Text>
  );
}

/** Row selection of a {@link TicketTable}. */
export interface TicketSelection {
  isSelected: (ticket: Ticket) => boolean;
  /** Selects or unselects one ticket. */
  toggle: (ticket: Ticket, selected: boolean) => void;
  /** Selects or unselects all tickets of the page shown. */
  toggleAll: (tickets: readonly Ticket[], selected: boolean) => void;
}

/** Props of {@link TicketTable}. */
export interface TicketTableProps {
  pager: CursorPage<Ticket>;
  caption: string;
  empty: string;
  /** Where a ticket links to. */
  linkTo: (ticket: Ticket) => string;
  /** Sortable headers (number, title, customer, state, priority, owner, age, updated: what the server sorts by). */
  sort?: { current: TicketSort; onSort: (field: SortField) => void };
  /** Checkboxes for bulk actions. */
  selection?: TicketSelection;
  /** Columns to leave out (e.g. `customer` in a customer's own list, `owner` in the portal). */
  hide?: readonly ('queue' | 'customer' | 'owner' | 'priority' | 'age' | 'sla')[];
  /** Above the table (bulk actions). */
  toolbar?: ReactNode;
  /** Beside the page number (page size). */
  footer?: ReactNode;
  /** Custom fields shown as columns (before the last change), sortable by `cf.<key>`. */
  fieldColumns?: readonly CustomField[];
}

/**
 * A page of tickets: number, title, queue, customer, state, priority, SLA countdown, owner,
 * age, the chosen custom fields, last change.
 */
export function TicketTable({ pager, caption, empty, linkTo, sort, selection, hide = [], toolbar, footer, fieldColumns = [] }: TicketTableProps) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const rows = pager.query.data?.items ?? [];

  const sortable = (field: SortField, label: string) =>
    sort
      ? {
          sort: sortDirection(sort.current, field),
          headerContent: (
            <UnstyledButton onClick={() => sort.onSort(field)} fw={700} fz="sm" style={{ whiteSpace: 'nowrap' }}>
              {label}
              <span aria-hidden="true">
                {{ ascending: ' ▲', descending: ' ▼', none: '' }[sortDirection(sort.current, field)]}
              </span>
            </UnstyledButton>
          ),
        }
      : {};

  const columns: Column<Ticket>[] = [];
  if (selection) {
    const selectedOnPage = rows.filter((ticket) => selection.isSelected(ticket)).length;
    columns.push({
      key: 'select',
      header: t('tickets.select'),
      headerContent: (
        <Checkbox
          aria-label={t('tickets.select_page')}
          checked={rows.length > 0 && selectedOnPage === rows.length}
          indeterminate={selectedOnPage > 0 && selectedOnPage < rows.length}
          onChange={(event) => selection.toggleAll(rows, event.currentTarget.checked)}
        />
      ),
      cell: (ticket) => (
        <Checkbox
          aria-label={t('tickets.select_ticket', { number: ticket.number })}
          checked={selection.isSelected(ticket)}
          onChange={(event) => selection.toggle(ticket, event.currentTarget.checked)}
        />
      ),
    });
  }
  columns.push(
    {
      key: 'number',
      header: t('ticket.number'),
      visibleFrom: 'sm',
      ...sortable('number', t('ticket.number')),
      cell: (ticket) => (
        <Anchor component={Link} to={linkTo(ticket)} ff="monospace" fz="sm" aria-label={t('tickets.open_ticket', { number: ticket.number })}>
          {ticket.number}
        </Anchor>
      ),
    },
    {
      key: 'title',
      header: t('ticket.title'),
      ...sortable('title', t('ticket.title')),
      cell: (ticket) => (
        <>
          <Anchor
            component={Link}
            to={linkTo(ticket)}
            fw={(ticket.unread ?? ticket.state.state_type === 'new') ? 700 : 500}
            fz="sm"
            lineClamp={2}
            data-unread={ticket.unread ? 'true' : undefined}
          >
            {ticket.unread && <VisuallyHidden>{t('relations.unread')}: </VisuallyHidden>}
            {ticket.title}
          </Anchor>
          {ticket.search?.snippet && <SnippetText snippet={ticket.search.snippet} />}
          {/* On phones the other columns are hidden: their essentials go under the title. */}
          <Text hiddenFrom="sm" fz="xs" c="dimmed">
            {ticket.number}
            {hide.includes('priority') ? '' : ` · ${ticket.priority.name}`} · {format.relative(ticket.updated_at)}
          </Text>
          {!hide.includes('sla') && ticket.escalation_at && (
            <Text hiddenFrom="sm" component="div">
              <SlaBadge ticket={ticket} />
            </Text>
          )}
        </>
      ),
    },
  );
  if (!hide.includes('queue')) {
    columns.push({ key: 'queue', header: t('ticket.queue'), visibleFrom: 'md', cell: (ticket) => ticket.queue.name });
  }
  if (!hide.includes('customer')) {
    columns.push({
      key: 'customer',
      header: t('ticket.customer'),
      visibleFrom: 'sm',
      ...sortable('customer', t('ticket.customer')),
      cell: (ticket) => ticket.customer?.name ?? <Text c="dimmed" fz="sm">—</Text>,
    });
  }
  columns.push({
    key: 'state',
    header: t('ticket.state'),
    ...sortable('state', t('ticket.state')),
    cell: (ticket) => <StateBadge state={ticket.state} />,
  });
  if (!hide.includes('priority')) {
    columns.push({
      key: 'priority',
      header: t('ticket.priority'),
      visibleFrom: 'sm',
      ...sortable('priority', t('ticket.priority')),
      cell: (ticket) => <PriorityBadge priority={ticket.priority} />,
    });
  }
  if (!hide.includes('sla')) {
    columns.push({ key: 'sla', header: t('sla.label'), visibleFrom: 'sm', cell: (ticket) => <SlaBadge ticket={ticket} /> });
  }
  if (!hide.includes('owner')) {
    columns.push({
      key: 'owner',
      header: t('ticket.owner'),
      visibleFrom: 'sm',
      ...sortable('owner', t('ticket.owner')),
      cell: (ticket) => ticket.owner?.name ?? <Text c="dimmed" fz="sm">{t('ticket.nobody')}</Text>,
    });
  }
  if (!hide.includes('age')) {
    columns.push({
      key: 'age',
      header: t('ticket.age'),
      visibleFrom: 'md',
      ...sortable('created_at', t('ticket.age')),
      cell: (ticket) => (
        <Text fz="sm" title={format.dateTime(ticket.created_at)}>
          {format.relative(ticket.created_at)}
        </Text>
      ),
    });
  }
  const language = i18n.language.slice(0, 2);
  for (const field of fieldColumns) {
    const label = labelOf(field.labels, language, field.key);
    columns.push({
      key: `cf.${field.key}`,
      header: label,
      visibleFrom: 'sm',
      ...sortable(fieldSort(field.key), label),
      cell: (ticket) => {
        const text = displayValue(field, ticket.custom_fields[field.key], {
          language,
          locale: i18n.language,
          format,
          yes: t('common.yes'),
          no: t('common.no'),
        });
        return text === null ? (
          <Text c="dimmed" fz="sm">
            —
          </Text>
        ) : (
          <Text fz="sm" data-field={field.key}>
            {text}
          </Text>
        );
      },
    });
  }
  columns.push({
    key: 'updated',
    header: t('ticket.updated'),
    visibleFrom: 'sm',
    ...sortable('updated_at', t('ticket.updated')),
    cell: (ticket) => (
      <Text fz="sm" title={format.dateTime(ticket.updated_at)}>
        {format.relative(ticket.updated_at)}
      </Text>
    ),
  });

  return (
    <CursorTable
      pager={pager}
      columns={columns}
      rowKey={(ticket) => ticket.id}
      caption={caption}
      empty={empty}
      minWidth={0}
      toolbar={toolbar}
      footer={footer}
      {...(selection && { isSelected: selection.isSelected })}
    />
  );
}

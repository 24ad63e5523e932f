import { Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { listTickets, type Ticket } from '../../services/tickets';

/** A ticket chosen in the search. */
export type PickedTicket = Pick<Ticket, 'id' | 'number' | 'title'>;

/** Props of {@link TicketSearch}. */
export interface TicketSearchProps
  extends Omit<SelectProps, 'value' | 'onChange' | 'data' | 'searchable' | 'searchValue' | 'onSearchChange'> {
  value: PickedTicket | null;
  onChange: (ticket: PickedTicket | null) => void;
  /** A ticket not to offer (the one being linked or merged). */
  excludeId?: number;
}

const label = (ticket: PickedTicket) => `${ticket.number} — ${ticket.title}`;

/**
 * Finds a ticket by number or by words of its title: each typed text asks the server
 * (debounced) for at most 10 matches through the ticket search.
 */
export function TicketSearch({ value, onChange, excludeId, ...props }: TicketSearchProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState(value ? label(value) : '');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const text = value && debounced === label(value) ? '' : debounced;
  const found = useQuery({
    queryKey: ['picker', 'tickets', text],
    queryFn: async () => (text ? (await listTickets({ q: text }, null, 10)).items : []),
    staleTime: 30_000,
  });
  const tickets: PickedTicket[] = (found.data ?? []).filter((ticket) => ticket.id !== excludeId);
  if (value && !tickets.some((ticket) => ticket.id === value.id)) tickets.unshift(value);
  return (
    <Select
      {...props}
      searchable
      clearable
      searchValue={search}
      onSearchChange={setSearch}
      description={t('relations.search_hint')}
      data={tickets.map((ticket) => ({ value: String(ticket.id), label: label(ticket) }))}
      value={value ? String(value.id) : null}
      onChange={(id) => onChange(tickets.find((ticket) => String(ticket.id) === id) ?? null)}
      filter={({ options }) => options}
      nothingFoundMessage={found.isFetching ? t('common.loading') : t('common.nothing_found')}
    />
  );
}

import { Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { listCustomers } from '../../services/customers';
import { listAgents } from '../../services/users';

/** Someone chosen in a picker. */
export interface PickedPerson {
  id: number;
  name: string;
  email: string;
}

/** Props of the person pickers. */
export interface PersonPickerProps
  extends Omit<SelectProps, 'value' | 'onChange' | 'data' | 'searchable' | 'searchValue' | 'onSearchChange'> {
  /** The person chosen. */
  value: PickedPerson | null;
  /** Called with the new choice (`null` when cleared). */
  onChange: (person: PickedPerson | null) => void;
  /** People not to offer (e.g. the members a group already has). */
  excludeIds?: readonly number[];
}

const PICKER_LIMIT = 20;

/** "Name <email>" — both, as names repeat. */
function personLabel(person: PickedPerson): string {
  return `${person.name} <${person.email}>`;
}

/**
 * A searchable picker over a server-side directory: each typed text asks the server
 * (debounced) for at most 20 matches; the directory is never loaded whole.
 */
function PersonPicker({
  value,
  onChange,
  excludeIds,
  search: searchFn,
  queryName,
  ...props
}: PersonPickerProps & { search: (text: string) => Promise<PickedPerson[]>; queryName: string }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState(value ? personLabel(value) : '');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  // Selecting an option puts its label into the box; searching for that label is pointless.
  const text = value && debounced === personLabel(value) ? '' : debounced;
  const found = useQuery({
    queryKey: ['picker', queryName, text],
    queryFn: () => searchFn(text),
    staleTime: 30_000,
  });
  const people = (found.data ?? []).filter((person) => !excludeIds?.includes(person.id));
  if (value && !people.some((person) => person.id === value.id)) people.unshift(value);
  return (
    <Select
      {...props}
      searchable
      clearable
      searchValue={search}
      onSearchChange={setSearch}
      data={people.map((person) => ({ value: String(person.id), label: personLabel(person) }))}
      value={value ? String(value.id) : null}
      onChange={(id) => onChange(people.find((person) => String(person.id) === id) ?? null)}
      filter={({ options }) => options}
      nothingFoundMessage={found.isFetching ? t('common.loading') : t('common.nothing_found')}
    />
  );
}

/** Picks an active agent from the agent directory (`GET /api/v1/users?search=`). */
export function AgentPicker(props: PersonPickerProps) {
  return (
    <PersonPicker
      {...props}
      queryName="agents"
      search={async (text) =>
        (await listAgents({ active: true, ...(text && { search: text }) }, null, PICKER_LIMIT)).items
      }
    />
  );
}

/** Picks a customer from the customer directory (`GET /api/v1/customers?search=`). */
export function CustomerPicker(props: PersonPickerProps) {
  return (
    <PersonPicker
      {...props}
      queryName="customers"
      search={async (text) =>
        (await listCustomers({ active: true, ...(text && { search: text }) }, null, PICKER_LIMIT)).items
      }
    />
  );
}

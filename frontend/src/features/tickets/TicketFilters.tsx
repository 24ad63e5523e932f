import { Button, Collapse, Group, MultiSelect, Select, SimpleGrid, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';

import { STATE_TYPES } from '../../services/tickets';
import { stateTypeLabel } from './labels';
import { useQueueOptions } from './queueOptions';
import { usePriorities, useTicketTypes } from './reference';
import { DEFAULT_VIEW, type TicketView } from './ticketView';

/** Props of {@link TicketFilters}. */
export interface TicketFiltersProps {
  view: TicketView;
  /** Called with the changed view (the page writes it to the address bar). */
  onChange: (view: TicketView) => void;
}

/** The filters of the queue view: queue, state types, owner, priorities, type, dates. */
export function TicketFilters({ view, onChange }: TicketFiltersProps) {
  const { t } = useTranslation();
  const queueOptions = useQueueOptions();
  const priorities = usePriorities();
  const types = useTicketTypes();
  const datesSet = Boolean(view.createdFrom ?? view.createdTo ?? view.updatedFrom ?? view.updatedTo);
  const [moreOpen, more] = useDisclosure(datesSet);
  const set = (changes: Partial<TicketView>) => onChange({ ...view, ...changes });

  const ownerValue = view.owner === null ? 'any' : String(view.owner);
  const ownerData = [
    { value: 'any', label: t('tickets.filter.owner_any') },
    { value: 'me', label: t('tickets.filter.owner_me') },
    { value: 'none', label: t('tickets.filter.owner_none') },
  ];
  if (typeof view.owner === 'number') {
    ownerData.push({ value: String(view.owner), label: t('tickets.filter.owner_agent', { id: view.owner }) });
  }

  const dateInput = (label: string, value: string | null, key: keyof TicketView) => (
    <TextInput
      type="date"
      label={label}
      value={value ?? ''}
      onChange={(event) => set({ [key]: event.currentTarget.value || null })}
    />
  );

  return (
    <form role="search" aria-label={t('tickets.filter.title')} onSubmit={(event) => event.preventDefault()}>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3, lg: 5 }} spacing="sm">
        <Select
          label={t('ticket.queue')}
          data={[{ value: '', label: t('tickets.filter.all_queues') }, ...queueOptions]}
          value={view.queueId === null ? '' : String(view.queueId)}
          onChange={(value) => set({ queueId: value ? Number(value) : null })}
          searchable
          allowDeselect={false}
        />
        <MultiSelect
          label={t('tickets.filter.state_types')}
          placeholder={view.states === null ? t('tickets.filter.all_states') : undefined}
          data={STATE_TYPES.map((type) => ({ value: type, label: stateTypeLabel(t, type) }))}
          value={[...(view.states ?? [])]}
          onChange={(values) => set({ states: values.length > 0 ? (values) : null })}
        />
        <Select
          label={t('ticket.owner')}
          data={ownerData}
          value={ownerValue}
          onChange={(value) =>
            set({ owner: value === 'me' || value === 'none' ? value : value && value !== 'any' ? Number(value) : null })
          }
          allowDeselect={false}
        />
        <MultiSelect
          label={t('ticket.priority')}
          placeholder={view.priorities.length === 0 ? t('tickets.filter.any') : undefined}
          data={(priorities.data ?? []).map((p) => ({ value: String(p.id), label: p.name }))}
          value={view.priorities.map(String)}
          onChange={(values) => set({ priorities: values.map(Number).sort((a, b) => a - b) })}
        />
        <Select
          label={t('ticket.type')}
          data={[{ value: '', label: t('tickets.filter.any') }, ...(types.data ?? []).map((type) => ({ value: String(type.id), label: type.name }))]}
          value={view.typeId === null ? '' : String(view.typeId)}
          onChange={(value) => set({ typeId: value ? Number(value) : null })}
          allowDeselect={false}
        />
      </SimpleGrid>
      <Collapse expanded={moreOpen}>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" mt="sm">
          {dateInput(t('tickets.filter.created_from'), view.createdFrom, 'createdFrom')}
          {dateInput(t('tickets.filter.created_to'), view.createdTo, 'createdTo')}
          {dateInput(t('tickets.filter.updated_from'), view.updatedFrom, 'updatedFrom')}
          {dateInput(t('tickets.filter.updated_to'), view.updatedTo, 'updatedTo')}
        </SimpleGrid>
      </Collapse>
      <Group gap="xs" mt="xs">
        <Button variant="subtle" size="xs" onClick={more.toggle} aria-expanded={moreOpen}>
          {moreOpen ? t('tickets.filter.fewer') : t('tickets.filter.more')}
        </Button>
        <Button
          variant="subtle"
          size="xs"
          onClick={() => onChange({ ...DEFAULT_VIEW, queueId: view.queueId, sort: view.sort })}
        >
          {t('tickets.filter.reset')}
        </Button>
      </Group>
    </form>
  );
}

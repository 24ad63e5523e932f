import { Button, Checkbox, Collapse, Group, MultiSelect, Select, SimpleGrid, TextInput } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';

import { ACTIVE_STATE_TYPES, STATE_TYPES, type StateType } from '../../services/tickets';
import { stateTypeLabel } from './labels';
import { useQueueOptions } from './queueOptions';
import { usePriorities, useTicketTypes } from './reference';
import { DEFAULT_VIEW, type TicketView } from './ticketView';
import { labelOf } from '../../services/customFields';
import { useCustomFields } from '../customFields/fields';

function sameStates(a: readonly StateType[], b: readonly StateType[]): boolean {
  return a.length === b.length && a.every((type) => b.includes(type));
}

/** Props of {@link TicketFilters}. */
export interface TicketFiltersProps {
  view: TicketView;
  /** Called with the changed view (the page writes it to the address bar). */
  onChange: (view: TicketView) => void;
}

/** The filters of the queue view: queue, state types, owner, priorities, type, dates. */
export function TicketFilters({ view, onChange }: TicketFiltersProps) {
  const { t, i18n } = useTranslation();
  const queueOptions = useQueueOptions();
  const priorities = usePriorities();
  const types = useTicketTypes();
  const ticketFields = useCustomFields('ticket');
  const language = i18n.language.slice(0, 2);
  const datesSet = Boolean(view.createdFrom ?? view.createdTo ?? view.updatedFrom ?? view.updatedTo);
  const phone = useMediaQuery('(max-width: 48em)');
  const [moreOpen, more] = useDisclosure(datesSet);
  const set = (changes: Partial<TicketView>) => onChange({ ...view, ...changes });

  // Presets: the default (everything not finished), every state, or one state type; a
  // combination from the address bar shows as itself.
  const custom =
    view.states !== null && view.states.length > 1 && !sameStates(view.states, ACTIVE_STATE_TYPES);
  const stateValue =
    view.states === null
      ? 'all'
      : sameStates(view.states, ACTIVE_STATE_TYPES)
        ? 'active'
        : view.states.length === 1
          ? (view.states[0] ?? 'active')
          : 'custom';
  const stateData = [
    { value: 'active', label: t('tickets.filter.active_states') },
    { value: 'all', label: t('tickets.filter.all_states') },
    ...STATE_TYPES.map((type) => ({ value: type, label: stateTypeLabel(t, type) })),
    ...(custom ? [{ value: 'custom', label: (view.states ?? []).map((type) => stateTypeLabel(t, type)).join(', ') }] : []),
  ];

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

  // Choice fields filter by one option (a multiselect: tickets that have it); checkboxes by yes/no.
  const fieldFilters = (ticketFields.data ?? [])
    .filter((f) => f.field_type === 'dropdown' || f.field_type === 'multiselect' || f.field_type === 'checkbox')
    .map((field) => {
      const options =
        field.field_type === 'checkbox'
          ? [
              { value: 'true', label: t('common.yes') },
              { value: 'false', label: t('common.no') },
            ]
          : field.options.map((o) => ({ value: o.value, label: labelOf(o.labels, language, o.value) }));
      return (
        <Select
          key={field.id}
          label={labelOf(field.labels, language, field.key)}
          data={[{ value: '', label: t('tickets.filter.any') }, ...options]}
          value={view.fields[field.key] ?? ''}
          onChange={(value) => {
            const fields = Object.fromEntries(Object.entries(view.fields).filter(([key]) => key !== field.key));
            set({ fields: value ? { ...fields, [field.key]: value } : fields });
          }}
          allowDeselect={false}
        />
      );
    });

  // On phones only queue and state show at first; the rest is under "More filters".
  const secondary = (
    <>
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
      {fieldFilters}
      <Select
        label={t('ticket.type')}
        data={[{ value: '', label: t('tickets.filter.any') }, ...(types.data ?? []).map((type) => ({ value: String(type.id), label: type.name }))]}
        value={view.typeId === null ? '' : String(view.typeId)}
        onChange={(value) => set({ typeId: value ? Number(value) : null })}
        allowDeselect={false}
      />
    </>
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
        <Select
          label={t('ticket.state')}
          data={stateData}
          value={stateValue}
          onChange={(value) => {
            if (value === 'active') set({ states: ACTIVE_STATE_TYPES });
            else if (value === 'all') set({ states: null });
            else if (value && value !== 'custom') set({ states: STATE_TYPES.filter((type) => type === value) });
          }}
          allowDeselect={false}
        />
        {!phone && secondary}
      </SimpleGrid>
      <Collapse expanded={moreOpen}>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" mt="sm">
          {phone && secondary}
          {dateInput(t('tickets.filter.created_from'), view.createdFrom, 'createdFrom')}
          {dateInput(t('tickets.filter.created_to'), view.createdTo, 'createdTo')}
          {dateInput(t('tickets.filter.updated_from'), view.updatedFrom, 'updatedFrom')}
          {dateInput(t('tickets.filter.updated_to'), view.updatedTo, 'updatedTo')}
        </SimpleGrid>
      </Collapse>
      <Group gap="xs" mt="xs">
        <Checkbox
          size="xs"
          label={t('tickets.filter.escalated')}
          checked={view.escalated}
          onChange={(event) => onChange({ ...view, escalated: event.currentTarget.checked })}
        />
        <Checkbox
          size="xs"
          label={t('relations.unread_only')}
          checked={view.unread}
          onChange={(event) => onChange({ ...view, unread: event.currentTarget.checked })}
        />
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

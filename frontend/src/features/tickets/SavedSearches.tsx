import { Badge, Button, Modal, NavLink, Select, Stack, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';

import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { useFormat } from '../../i18n/useFormat';
import { createSavedSearch } from '../../services/savedSearches';
import { filterQueryString } from '../../services/tickets';
import { useQueues } from './reference';
import { SAVED_SEARCHES_KEY, savedSearchPath, shareOptions, useSavedSearches } from './savedSearchModel';
import { viewToFilter, type TicketView } from './ticketView';

/**
 * The saved searches in the agent navigation, beside the queues: each opens the queue view
 * with its filters, with the number of matching tickets (the server counts up to 1,000).
 */
export function SavedSearchNav() {
  const { t } = useTranslation();
  const format = useFormat();
  const location = useLocation();
  const searches = useSavedSearches();
  const items = searches.data ?? [];
  if (items.length === 0) return null;
  const here = `${location.pathname}${location.search}`;
  return (
    <div role="group" aria-labelledby="nav-saved">
      <Text id="nav-saved" size="xs" fw={700} tt="uppercase" c="dimmed" px="sm" pt="sm" pb={4}>
        {t('nav.section.saved_searches')}
      </Text>
      {items.map((search) => {
        const to = savedSearchPath(search, format.timeZone);
        const count = search.count ?? 0;
        return (
          <NavLink
            key={search.id}
            component={Link}
            to={to}
            active={here === to}
            aria-current={here === to ? 'page' : undefined}
            label={search.name}
            description={search.group ? t('saved.shared_with', { group: search.group.name }) : undefined}
            py={4}
            rightSection={
              <Badge size="sm" variant="light" color="gray" radius="sm">
                {format.number(count)}
                {search.count_capped ? '+' : ''}
                <VisuallyHidden> {t('nav.open_tickets', { count })}</VisuallyHidden>
              </Badge>
            }
          />
        );
      })}
      <NavLink component={Link} to="/agent/saved-searches" label={t('saved.manage')} py={4} c="dimmed" fz="sm" />
    </div>
  );
}

/** "Save search": stores the view's API query under a name, private or shared with a group. */
export function SaveSearchButton({ view }: { view: TicketView }) {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const mapError = useErrorMapper();
  const queues = useQueues();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [groupId, setGroupId] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () =>
      createSavedSearch({
        name: name.trim(),
        query: filterQueryString(viewToFilter(view, format.timeZone)),
        ...(groupId && { group_id: Number(groupId) }),
      }),
    onSuccess: async (search) => {
      await queryClient.invalidateQueries({ queryKey: SAVED_SEARCHES_KEY });
      setSaved(search.name);
      setOpen(false);
      setName('');
      setGroupId(null);
    },
  });
  const failure = save.error ? mapError(save.error, { fields: ['name', 'query', 'group_id'] }) : null;
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <>
      <Text size="sm" role="status" c="teal.9">
        {saved ? t('saved.saved', { name: saved }) : ''}
      </Text>
      <Button size="compact-sm" variant="default" onClick={() => setOpen(true)}>
        {t('saved.save')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('saved.save_title')}>
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <ErrorAlert message={failure?.message ?? null} />
            <TextInput label={t('saved.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={failure?.fields.name} data-autofocus />
            <Select
              label={t('saved.share')}
              placeholder={t('saved.private')}
              clearable
              data={shareOptions(queues.data ?? [])}
              value={groupId}
              onChange={setGroupId}
              error={failure?.fields.group_id}
            />
            <Button type="submit" loading={save.isPending} disabled={!name.trim()} w="fit-content">
              {t('saved.save')}
            </Button>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

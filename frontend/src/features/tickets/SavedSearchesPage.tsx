import { Anchor, Badge, Button, Group, Select, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { PageTitle } from '../../components/PageTitle';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useFormat } from '../../i18n/useFormat';
import { deleteSavedSearch, updateSavedSearch, type SavedSearch, type SavedSearchChanges } from '../../services/savedSearches';
import { useQueues } from './reference';
import { SAVED_SEARCHES_KEY, savedSearchPath, shareOptions, useSavedSearches } from './savedSearchModel';

/**
 * My saved searches and those shared with me (`/agent/saved-searches`): open, rename, share
 * or unshare, delete (mine only; the API refuses the others').
 */
export function SavedSearchesPage() {
  const { t } = useTranslation();
  const searches = useSavedSearches();
  return (
    <Stack maw={960}>
      <PageTitle text={t('saved.title')} />
      <Text size="sm" c="dimmed">
        {t('saved.intro')}
      </Text>
      <ErrorAlert error={searches.error} />
      {searches.isSuccess && searches.data.length === 0 && <Text>{t('saved.none')}</Text>}
      {(searches.data?.length ?? 0) > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped verticalSpacing="xs">
            <VisuallyHidden component="caption">{t('saved.title')}</VisuallyHidden>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('saved.name')}</Table.Th>
                <Table.Th scope="col">{t('saved.share')}</Table.Th>
                <Table.Th scope="col">{t('saved.tickets')}</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(searches.data ?? []).map((search) => (
                <SavedSearchRow key={`${search.id}-${search.updated_at}`} search={search} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

function SavedSearchRow({ search }: { search: SavedSearch }) {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const queues = useQueues();
  const [name, setName] = useState(search.name);
  const [groupId, setGroupId] = useState<string | null>(search.group ? String(search.group.id) : null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: SAVED_SEARCHES_KEY });
  const save = useMutation({
    mutationFn: () => {
      const changes: SavedSearchChanges = {};
      if (name.trim() !== search.name) changes.name = name.trim();
      if (groupId !== (search.group ? String(search.group.id) : null)) changes.group_id = groupId ? Number(groupId) : null;
      return updateSavedSearch(search.id, changes);
    },
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: () => deleteSavedSearch(search.id), onSuccess: refresh });
  const options = shareOptions(queues.data ?? []);
  if (search.group && !options.some((option) => option.value === String(search.group?.id))) {
    options.push({ value: String(search.group.id), label: search.group.name });
  }
  const dirty = name.trim() !== search.name || groupId !== (search.group ? String(search.group.id) : null);
  return (
    <>
      <Table.Tr>
        <Table.Td>
          {search.mine ? (
            <TextInput aria-label={t('saved.name_of', { name: search.name })} value={name} onChange={(e) => setName(e.currentTarget.value)} size="xs" />
          ) : (
            <Text size="sm">
              {search.name}{' '}
              <Text span c="dimmed" size="xs">
                {t('saved.by', { name: search.owner.name })}
              </Text>
            </Text>
          )}
        </Table.Td>
        <Table.Td>
          {search.mine ? (
            <Select
              aria-label={t('saved.share_of', { name: search.name })}
              placeholder={t('saved.private')}
              clearable
              data={options}
              value={groupId}
              onChange={setGroupId}
              size="xs"
            />
          ) : (
            (search.group?.name ?? t('saved.private'))
          )}
        </Table.Td>
        <Table.Td>
          <Badge variant="light" color="gray" radius="sm">
            {format.number(search.count ?? 0)}
            {search.count_capped ? '+' : ''}
          </Badge>
        </Table.Td>
        <Table.Td>
          <Group gap={4} wrap="nowrap">
            <Anchor component={Link} to={savedSearchPath(search, format.timeZone)} size="sm" mr="xs">
              {t('saved.open')}
            </Anchor>
            {search.mine && (
              <>
                <Button size="compact-sm" disabled={!dirty || !name.trim()} loading={save.isPending} onClick={() => save.mutate()}>
                  {t('common.save')}
                </Button>
                <Button
                  size="compact-sm"
                  variant="default"
                  loading={remove.isPending}
                  onClick={() => remove.mutate()}
                  aria-label={t('saved.delete_named', { name: search.name })}
                >
                  {t('saved.delete')}
                </Button>
              </>
            )}
          </Group>
        </Table.Td>
      </Table.Tr>
      {(save.error ?? remove.error) !== null && (
        <Table.Tr>
          <Table.Td colSpan={4}>
            <ErrorAlert error={save.error ?? remove.error} />
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}

import { Button, Group, MultiSelect, Paper, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { PageTitle } from '../../components/PageTitle';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { createKbCategory, createTextModule, deleteKbCategory, deleteTextModule, listTextModules } from '../../services/kb';
import { listGroups } from '../../services/organisation';
import { listQueues } from '../../services/reference';
import { useCategoryOptions } from './useCategoryOptions';
import { kbKeys } from './keys';

/** Administration of the KB categories: a tree, each owned by a group (its rights are the article rights). */
export function KbCategoriesPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const mapError = useErrorMapper();
  const { categories, options } = useCategoryOptions();
  const groups = useQuery({ queryKey: ['groups'], queryFn: listGroups });
  const [name, setName] = useState('');
  const [groupId, setGroupId] = useState<string | null>(null);
  const [parentId, setParentId] = useState<string | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: kbKeys.categories });
  const create = useMutation({
    mutationFn: () =>
      createKbCategory({ name: name.trim(), group_id: Number(groupId), ...(parentId ? { parent_id: Number(parentId) } : {}) }),
    onSuccess: () => {
      setName('');
      refresh();
    },
  });
  const remove = useMutation({ mutationFn: deleteKbCategory, onSuccess: refresh });
  const failure = create.error ? mapError(create.error, { fields: ['name', 'group_id', 'parent_id'] }) : null;
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Stack maw={900}>
      <PageTitle text={t('kb.admin.categories')} />
      <Paper withBorder p="md">
        <form onSubmit={submit} noValidate>
          <Group align="flex-end">
            <TextInput label={t('kb.admin.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={failure?.fields.name} />
            <Select
              label={t('kb.admin.group')}
              required
              data={(groups.data ?? []).map((g) => ({ value: String(g.id), label: g.name }))}
              value={groupId}
              onChange={setGroupId}
              error={failure?.fields.group_id}
            />
            <Select label={t('kb.admin.parent')} data={options} value={parentId} onChange={setParentId} clearable error={failure?.fields.parent_id} />
            <Button type="submit" loading={create.isPending} disabled={!name.trim() || !groupId}>
              {t('kb.admin.add')}
            </Button>
          </Group>
          <ErrorAlert message={failure?.message ?? null} />
        </form>
      </Paper>
      <ErrorAlert error={categories.error ?? remove.error} />
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('kb.admin.name')}</Table.Th>
            <Table.Th>{t('kb.admin.group')}</Table.Th>
            <Table.Th>{t('common.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(categories.data ?? []).map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td style={{ paddingLeft: `${0.75 + c.depth * 1.25}rem` }}>{c.name}</Table.Td>
              <Table.Td>{c.group?.name ?? ''}</Table.Td>
              <Table.Td>
                <Button size="xs" variant="subtle" color="red" onClick={() => remove.mutate(c.id)} aria-label={t('kb.admin.delete_named', { name: c.name })}>
                  {t('kb.admin.delete')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** Administration of the text modules: name, keywords, language, body with variables, queues. */
export function TextModulesPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const mapError = useErrorMapper();
  const modules = useQuery({ queryKey: kbKeys.modules('', undefined), queryFn: () => listTextModules('') });
  const queues = useQuery({ queryKey: ['queues', 'all'], queryFn: listQueues });
  const [name, setName] = useState('');
  const [keywords, setKeywords] = useState('');
  const [body, setBody] = useState('');
  const [queueIds, setQueueIds] = useState<string[]>([]);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['text-modules'] });
  const create = useMutation({
    mutationFn: () =>
      createTextModule({
        name: name.trim(),
        body,
        keywords: keywords.split(',').map((k) => k.trim()).filter(Boolean),
        queue_ids: queueIds.map(Number),
      }),
    onSuccess: () => {
      setName('');
      setKeywords('');
      setBody('');
      setQueueIds([]);
      refresh();
    },
  });
  const remove = useMutation({ mutationFn: deleteTextModule, onSuccess: refresh });
  const failure = create.error ? mapError(create.error, { fields: ['name', 'body', 'keywords'] }) : null;
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Stack maw={900}>
      <PageTitle text={t('kb.admin.text_modules')} />
      <Paper withBorder p="md" component="section" aria-labelledby="tm-new">
        <Title order={2} size="h4" id="tm-new" mb="xs">
          {t('kb.admin.new_module')}
        </Title>
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <ErrorAlert message={failure?.message ?? null} />
            <TextInput label={t('kb.admin.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={failure?.fields.name} />
            <TextInput label={t('kb.field.keywords')} description={t('kb.field.keywords_hint')} value={keywords} onChange={(e) => setKeywords(e.currentTarget.value)} />
            <Textarea
              label={t('kb.admin.body')}
              description={t('kb.admin.variables', {
                list: '{{customer_name}}, {{customer_email}}, {{ticket_number}}, {{ticket_title}}, {{queue}}, {{agent_name}}, {{agent_email}}, {{sla_deadline}}',
                interpolation: { escapeValue: false },
              })}
              required
              autosize
              minRows={4}
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
              error={failure?.fields.body}
            />
            <MultiSelect
              label={t('kb.admin.queues')}
              description={t('kb.admin.queues_hint')}
              data={(queues.data ?? []).map((q) => ({ value: String(q.id), label: q.name }))}
              value={queueIds}
              onChange={setQueueIds}
            />
            <Button type="submit" loading={create.isPending} disabled={!name.trim() || !body.trim()} w="fit-content">
              {t('kb.admin.add')}
            </Button>
          </Stack>
        </form>
      </Paper>
      <ErrorAlert error={modules.error ?? remove.error} />
      {(modules.data ?? []).length === 0 ? (
        <Text c="dimmed">{t('kb.admin.no_modules')}</Text>
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('kb.admin.name')}</Table.Th>
              <Table.Th>{t('kb.field.keywords')}</Table.Th>
              <Table.Th>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(modules.data ?? []).map((m) => (
              <Table.Tr key={m.id}>
                <Table.Td>{m.name}</Table.Td>
                <Table.Td>{m.keywords.join(', ')}</Table.Td>
                <Table.Td>
                  <Button size="xs" variant="subtle" color="red" onClick={() => remove.mutate(m.id)} aria-label={t('kb.admin.delete_named', { name: m.name })}>
                    {t('kb.admin.delete')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

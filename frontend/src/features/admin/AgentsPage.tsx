import { Alert, Anchor, Badge, Button, Group, SegmentedControl, Stack, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';

import { CursorTable, type Column } from '../../components/CursorTable';
import { PageTitle } from '../../components/PageTitle';
import { useCursorPage } from '../../components/useCursorPage';
import { useFormat } from '../../i18n/useFormat';
import type { User } from '../../services/me';
import { listAgents, type AgentFilter } from '../../services/users';
import { AGENTS_KEY } from './keys';

type StatusFilter = 'all' | 'active' | 'inactive';

/** Administration → Agents: the agent directory with search, status filter and cursor paging (`GET /api/v1/users`). */
export function AgentsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const location = useLocation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const [status, setStatus] = useState<StatusFilter>('all');
  const filter: AgentFilter = {
    ...(debounced && { search: debounced }),
    ...(status !== 'all' && { active: status === 'active' }),
  };
  const pager = useCursorPage([...AGENTS_KEY, 'list', filter], (cursor, limit) => listAgents(filter, cursor, limit));
  const created = (location.state as { created?: string } | null)?.created;

  const columns: Column<User>[] = [
    {
      key: 'name',
      header: t('agents.name'),
      cell: (agent) => (
        <Anchor component={Link} to={`/admin/agents/${agent.id}`}>
          {agent.name}
        </Anchor>
      ),
    },
    { key: 'email', header: t('agents.email'), cell: (agent) => agent.email },
    {
      key: 'role',
      header: t('agents.role'),
      cell: (agent) => (agent.is_admin ? t('role.admin') : t('role.agent')),
    },
    {
      key: 'status',
      header: t('agents.status'),
      cell: (agent) => (
        <Badge variant="light" color={agent.active ? 'teal' : 'gray'}>
          {agent.active ? t('agents.active') : t('agents.inactive')}
        </Badge>
      ),
    },
    { key: 'created', header: t('agents.created_at'), cell: (agent) => format.date(agent.created_at) },
  ];

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <PageTitle text={t('agents.title')} />
        <Button component={Link} to="/admin/agents/new">
          {t('agents.new')}
        </Button>
      </Group>
      {created && (
        <Alert color="teal" role="status">
          {t('agents.created', { name: created })}
        </Alert>
      )}
      <Group align="flex-end">
        <TextInput
          label={t('agents.search')}
          placeholder={t('agents.search_placeholder')}
          type="search"
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          w={{ base: '100%', sm: 320 }}
        />
        <SegmentedControl
          aria-label={t('agents.status')}
          value={status}
          onChange={setStatus}
          data={[
            { value: 'all', label: t('agents.filter.all') },
            { value: 'active', label: t('agents.filter.active') },
            { value: 'inactive', label: t('agents.filter.inactive') },
          ]}
        />
      </Group>
      <CursorTable
        pager={pager}
        columns={columns}
        rowKey={(agent) => agent.id}
        caption={t('agents.title')}
        empty={debounced || status !== 'all' ? t('agents.none_match') : t('agents.none')}
      />
    </Stack>
  );
}

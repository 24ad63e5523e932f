import { Anchor, Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { useUser } from '../../auth/context';
import { PageTitle } from '../../components/PageTitle';
import { isLanguage, LANGUAGE_NAMES } from '../../i18n/languages';
import { useFormat } from '../../i18n/useFormat';
import type { StateType } from '../../services/tickets';
import { DashboardList } from '../dashboard/DashboardList';
import { RemindersDueList } from '../dashboard/RemindersDueList';
import { useQueues } from '../tickets/reference';

const MY_OPEN: StateType[] = ['new', 'open'];
const ACTIVE: StateType[] = ['new', 'open', 'pending_reminder', 'pending_auto'];

/**
 * The agent's start page: the dashboard — escalated tickets (soonest deadline first), my open
 * tickets, new tickets in my queues, my pending reminders whose time has come (soonest
 * first), my ticket reminders that are due, recently updated — each a live list with its
 * count, refreshed every minute, then the account summary and shortcuts.
 */
export function AgentHome() {
  const { t } = useTranslation();
  const user = useUser();
  const format = useFormat();
  const queues = useQueues();
  const language = isLanguage(user.language) ? LANGUAGE_NAMES[user.language] : t('profile.browser_default');
  // Exact and uncapped: the server keeps per-queue counters.
  const newInMyQueues = queues.data?.reduce((sum, queue) => sum + queue.counts.new, 0);

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <PageTitle text={t('home.title', { name: user.name })} />
        <Group gap="xs">
          <Button component={Link} to="/agent/tickets/new">
            {t('nav.new_ticket')}
          </Button>
          <Button component={Link} to="/agent/tickets" variant="default">
            {t('nav.tickets')}
          </Button>
        </Group>
      </Group>
      {/* The most urgent list spans the page, above the grid. */}
      <DashboardList
        id="dash-escalated"
        title={t('dashboard.escalated')}
        view={{ escalated: true, sort: 'escalation_at' }}
        filter={{ state_type: ACTIVE, escalated: true, sort: 'escalation_at' }}
        empty={t('dashboard.escalated_empty')}
      />
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <DashboardList
          id="dash-mine"
          title={t('dashboard.my_open')}
          view={{ owner: 'me', states: MY_OPEN }}
          filter={{ owner_id: 'me', state_type: MY_OPEN, sort: '-updated_at' }}
          empty={t('dashboard.my_open_empty')}
        />
        <DashboardList
          id="dash-unread"
          title={t('dashboard.unread')}
          view={{ owner: 'me', states: ACTIVE, unread: true }}
          filter={{ owner_id: 'me', state_type: ACTIVE, unread: true, sort: '-updated_at' }}
          empty={t('dashboard.unread_empty')}
        />
        <DashboardList
          id="dash-new"
          title={t('dashboard.new_in_queues')}
          view={{ states: ['new'], sort: 'created_at' }}
          filter={{ state_type: ['new'], sort: 'created_at' }}
          {...(newInMyQueues !== undefined && { total: newInMyQueues })}
          empty={t('dashboard.new_empty')}
        />
        {/* Exactly the due ones: pending time before now (taken at each request), soonest first. */}
        <DashboardList
          id="dash-reminders"
          title={t('dashboard.pending_due')}
          view={{ owner: 'me', states: ['pending_reminder'], sort: 'pending_until' }}
          filter={{ owner_id: 'me', state_type: ['pending_reminder'], sort: 'pending_until' }}
          dueNow
          empty={t('dashboard.pending_due_empty')}
        />
        <RemindersDueList />
        <DashboardList
          id="dash-recent"
          title={t('dashboard.recent')}
          view={{ states: ACTIVE }}
          filter={{ state_type: ACTIVE, sort: '-updated_at' }}
          empty={t('dashboard.recent_empty')}
        />
        <Paper withBorder p="md" component="section" aria-labelledby="home-account">
          <Title order={2} size="h4" id="home-account" mb="sm">
            {t('home.account')}
          </Title>
          <Stack gap={6}>
            <Group gap="xs">
              <Text fw={500}>{user.name}</Text>
              <Badge variant="light" color={user.is_admin ? 'grape' : 'blue'}>
                {user.is_admin ? t('role.admin') : t('role.agent')}
              </Badge>
            </Group>
            <Text size="sm">{user.email}</Text>
            <Text size="sm">
              {t('home.language')}: {language}
            </Text>
            <Text size="sm">
              {t('home.time_zone')}: {format.timeZone}
            </Text>
            <Text size="sm">
              {t('home.local_time')}: {format.dateTime(new Date().toISOString())}
            </Text>
            <Text size="sm">
              {t('home.member_since')}: {format.date(user.created_at)}
            </Text>
          </Stack>
          <Title order={3} size="h5" id="home-shortcuts" mt="md" mb="xs">
            {t('home.shortcuts')}
          </Title>
          <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            <li>
              <Anchor component={Link} to="/agent/customers">
                {t('home.customers')}
              </Anchor>
            </li>
            <li>
              <Anchor component={Link} to="/agent/profile">
                {t('home.edit_profile')}
              </Anchor>
            </li>
            <li>
              <Anchor component={Link} to="/agent/tokens">
                {t('home.manage_tokens')}
              </Anchor>
            </li>
            {user.is_admin && (
              <li>
                <Anchor component={Link} to="/admin/agents">
                  {t('home.manage_agents')}
                </Anchor>
              </li>
            )}
          </Stack>
        </Paper>
      </SimpleGrid>
    </Stack>
  );
}

import { Anchor, Badge, Group, Paper, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { ErrorAlert } from '../../errors/ErrorAlert';
import { useFormat } from '../../i18n/useFormat';
import { listMyReminders } from '../../services/reminders';
import { DASHBOARD_REFRESH_MS } from './DashboardList';

/**
 * My ticket reminders whose time has come (`GET /api/v1/me/reminders?due_before=now`), soonest
 * first, refreshed every minute; each links to its ticket, where it is ticked off.
 */
export function RemindersDueList() {
  const { t } = useTranslation();
  const format = useFormat();
  const due = useQuery({
    queryKey: ['reminders', 'mine', 'due'],
    // "now" is taken when the request goes out, so each refresh catches the newly due ones.
    queryFn: () => listMyReminders(new Date().toISOString(), null, 10),
    refetchInterval: DASHBOARD_REFRESH_MS,
  });
  const items = due.data?.items ?? [];
  const count = items.length;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="dash-due-title" aria-busy={due.isFetching}>
      <Title order={2} size="h4" id="dash-due-title" mb="xs">
        {t('dashboard.reminders_due')}{' '}
        <Badge variant="light" size="lg" radius="sm" component="span" color={count > 0 ? 'red' : 'blue'}>
          {due.isSuccess ? `${format.number(count)}${due.data.nextCursor ? '+' : ''}` : '…'}
          <VisuallyHidden> {t('reminders.count', { count })}</VisuallyHidden>
        </Badge>
      </Title>
      <ErrorAlert error={due.error} />
      {due.isSuccess && count === 0 && (
        <Text size="sm" c="dimmed">
          {t('dashboard.reminders_due_empty')}
        </Text>
      )}
      <Stack component="ul" gap={6} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {items.map((reminder) => (
          <li key={reminder.id}>
            <Group gap="xs" wrap="nowrap" justify="space-between">
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Anchor component={Link} to={`/agent/tickets/${reminder.ticket_number}`} size="sm" fw={600} truncate="end">
                  {reminder.subject}
                </Anchor>
                <Text size="xs" c="dimmed" truncate="end">
                  {reminder.ticket_number} · {reminder.ticket_title}
                </Text>
              </Stack>
              <Text size="xs" c="red.9" fw={700} style={{ whiteSpace: 'nowrap' }}>
                <time dateTime={reminder.due_at} title={format.dateTime(reminder.due_at)}>
                  {format.relative(reminder.due_at)}
                </time>
              </Text>
            </Group>
          </li>
        ))}
      </Stack>
    </Paper>
  );
}

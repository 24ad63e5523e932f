import { ActionIcon, Indicator, Menu, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import { useFormat } from '../i18n/useFormat';
import { listNotifications, markAllNotificationsRead, markNotificationRead, type Notification } from '../services/live';

/** Query key of the notifications (the live stream refreshes it). */
const NOTIFICATIONS_KEY = ['notifications', 'unread'] as const;

/**
 * The bell in the agent header: unread in-app notifications (new ticket in my queue, customer
 * follow-up, escalation, reminder due, …) with their number; choosing one marks it read and
 * opens its ticket. The event stream refreshes it at once; it also polls every two minutes.
 */
export function NotificationBell() {
  const { t } = useTranslation();
  const format = useFormat();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const notifications = useQuery({
    queryKey: NOTIFICATIONS_KEY,
    queryFn: () => listNotifications(true, 10),
    refetchInterval: 120_000,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['notifications'] });
  const open = useMutation({
    mutationFn: async (notification: Notification) => {
      await markNotificationRead(notification.id);
      return notification;
    },
    onSuccess: async (notification) => {
      await refresh();
      await navigate(`/agent/tickets/${notification.ticket.number}`);
    },
  });
  const readAll = useMutation({ mutationFn: markAllNotificationsRead, onSuccess: refresh });
  const count = notifications.data?.unreadCount ?? 0;
  const items = notifications.data?.items ?? [];

  return (
    <Menu position="bottom-end" withinPortal width={340}>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" size="lg" aria-label={t('notifications.open', { count })}>
          <Indicator label={count > 99 ? '99+' : count} size={16} disabled={count === 0} color="red.9" offset={2}>
            <svg aria-hidden="true" width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" style={{ display: 'block' }}>
              <path d="M18 8a6 6 0 10-12 0c0 7-3 9-3 9h18s-3-2-3-9M13.7 21a2 2 0 01-3.4 0" />
            </svg>
          </Indicator>
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('notifications.title')}</Menu.Label>
        {items.length === 0 && (
          <Text size="sm" px="sm" py="xs" c="dimmed">
            {t('notifications.none')}
          </Text>
        )}
        {items.map((notification) => (
          <Menu.Item key={notification.id} onClick={() => open.mutate(notification)}>
            <Text size="sm" fw={600} lineClamp={2}>
              {notification.subject}
            </Text>
            <Text size="xs" c="dimmed">
              {notification.ticket.number} · {format.relative(notification.created_at)}
            </Text>
          </Menu.Item>
        ))}
        {count > 0 && (
          <>
            <Menu.Divider />
            <Menu.Item onClick={() => readAll.mutate()}>{t('notifications.read_all')}</Menu.Item>
          </>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}

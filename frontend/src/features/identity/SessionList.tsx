import { Badge, Button, Group, Paper, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useFormat } from '../../i18n/useFormat';
import { endMyOtherSessions, endMySession, listMySessions } from '../../services/identity';
import { SESSIONS_KEY } from './keys';

/**
 * "Where you are signed in": my sessions (method, browser, address, last activity), each with
 * a button that ends it at once, and one that ends all the others.
 */
export function SessionList() {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const sessions = useQuery({ queryKey: SESSIONS_KEY, queryFn: listMySessions });
  const refresh = () => queryClient.invalidateQueries({ queryKey: SESSIONS_KEY });
  const end = useMutation({ mutationFn: endMySession, onSuccess: refresh });
  const endOthers = useMutation({ mutationFn: endMyOtherSessions, onSuccess: refresh });
  const others = (sessions.data ?? []).filter((s) => !s.current).length;

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="session-list">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="session-list">
          {t('identity.sessions.title')}
        </Title>
        {others > 0 && (
          <Button size="xs" variant="default" loading={endOthers.isPending} onClick={() => endOthers.mutate()}>
            {t('identity.sessions.end_others')}
          </Button>
        )}
      </Group>
      <ErrorAlert error={sessions.error ?? end.error ?? endOthers.error} />
      {sessions.data && (
        <DataTable
          rows={sessions.data}
          rowKey={(session) => session.id}
          caption={t('identity.sessions.title')}
          minWidth={560}
          columns={[
            {
              key: 'device',
              header: t('identity.sessions.device'),
              cell: (session) => (
                <>
                  <Text size="sm" lineClamp={2} title={session.user_agent ?? undefined}>
                    {session.user_agent ?? t('identity.sessions.unknown_device')}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {session.client_address ?? ''}
                  </Text>
                  {session.current && (
                    <Badge size="sm" variant="light" color="teal">
                      {t('identity.sessions.this_one')}
                    </Badge>
                  )}
                </>
              ),
            },
            {
              key: 'method',
              header: t('identity.sessions.method'),
              cell: (session) => t(`identity.method.${session.method}`, { defaultValue: session.method }),
            },
            { key: 'signed_in', header: t('identity.sessions.signed_in'), cell: (session) => format.dateTime(session.created_at) },
            { key: 'last_seen', header: t('identity.sessions.last_seen'), cell: (session) => format.relative(session.last_seen_at) },
            {
              key: 'actions',
              header: t('common.actions'),
              hiddenHeader: true,
              cell: (session) =>
                !session.current && (
                  <Button
                    size="xs"
                    color="red.9"
                    variant="outline"
                    loading={end.isPending && end.variables === session.id}
                    onClick={() => end.mutate(session.id)}
                    aria-label={t('identity.sessions.end_label', { device: session.user_agent ?? session.id })}
                  >
                    {t('identity.sessions.end')}
                  </Button>
                ),
            },
          ]}
        />
      )}
    </Paper>
  );
}

import { Badge, Button, Group, Paper, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

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
        <Table.ScrollContainer minWidth={560}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('identity.sessions.device')}</Table.Th>
                <Table.Th scope="col">{t('identity.sessions.method')}</Table.Th>
                <Table.Th scope="col">{t('identity.sessions.signed_in')}</Table.Th>
                <Table.Th scope="col">{t('identity.sessions.last_seen')}</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sessions.data.map((session) => (
                <Table.Tr key={session.id} data-testid="session-row">
                  <Table.Td>
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
                  </Table.Td>
                  <Table.Td>{t(`identity.method.${session.method}`, { defaultValue: session.method })}</Table.Td>
                  <Table.Td>{format.dateTime(session.created_at)}</Table.Td>
                  <Table.Td>{format.relative(session.last_seen_at)}</Table.Td>
                  <Table.Td>
                    {!session.current && (
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
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

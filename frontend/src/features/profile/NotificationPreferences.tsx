import { Button, Checkbox, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { FormFooter } from '../../components/FormParts';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { listPreferences, setPreferences, type Preference } from '../../services/notifications';
import { notificationKeys } from '../sla/keys';
import { eventLabel } from '../sla/labels';

/**
 * "Notifications" on the agent's profile: per event, by email and/or in the application.
 * Events the agent has not chosen follow the administrators' rule (and its later changes);
 * "Use the default" gives an event back to the rule. Only chosen events are sent
 * (`PUT /api/v1/me/notification-preferences` replaces the choices).
 */
export function NotificationPreferences() {
  const { t } = useTranslation();
  const preferences = useQuery({ queryKey: notificationKeys.preferences, queryFn: listPreferences });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="notification-preferences">
      <Title order={2} size="h4" id="notification-preferences" mb="xs">
        {t('preferences.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('preferences.intro')}
      </Text>
      <ErrorAlert error={preferences.error} />
      {preferences.data && <PreferencesForm initial={preferences.data} />}
    </Paper>
  );
}

function PreferencesForm({ initial }: { initial: Preference[] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [rows, setRows] = useState(initial);
  const [saved, setSaved] = useState(false);
  const change = (index: number, changes: Partial<Preference>) => {
    setSaved(false);
    setRows((previous) => previous.map((row, i) => (i === index ? { ...row, ...changes } : row)));
  };
  const save = useMutation({
    mutationFn: () => setPreferences(rows.filter((row) => row.customized).map(({ event, email, in_app }) => ({ event, email, in_app }))),
    onSuccess: (stored) => {
      queryClient.setQueryData(notificationKeys.preferences, stored);
      setRows(stored);
      setSaved(true);
    },
  });
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <ErrorAlert error={save.error} />
        <Table.ScrollContainer minWidth={480}>
          <Table verticalSpacing={4}>
            <VisuallyHidden component="caption">{t('preferences.title')}</VisuallyHidden>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('admin.rules.event')}</Table.Th>
                <Table.Th scope="col">{t('notify.channel.email')}</Table.Th>
                <Table.Th scope="col">{t('notify.channel.in_app')}</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row, index) => {
                const event = eventLabel(t, row.event);
                return (
                  <Table.Tr key={row.event}>
                    <Table.Th scope="row" fw={500}>
                      {event}
                      {!row.customized && (
                        <Text span size="xs" c="dimmed">
                          {' '}
                          ({t('preferences.default')})
                        </Text>
                      )}
                    </Table.Th>
                    <Table.Td>
                      <Checkbox
                        aria-label={t('preferences.email_for', { event })}
                        checked={row.email}
                        onChange={(e) => change(index, { email: e.currentTarget.checked, customized: true })}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Checkbox
                        aria-label={t('preferences.in_app_for', { event })}
                        checked={row.in_app}
                        onChange={(e) => change(index, { in_app: e.currentTarget.checked, customized: true })}
                      />
                    </Table.Td>
                    <Table.Td>
                      {row.customized && (
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          onClick={() => change(index, { email: row.default_email, in_app: row.default_in_app, customized: false })}
                          aria-label={t('preferences.reset_for', { event })}
                        >
                          {t('preferences.reset')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <FormFooter submitLabel={t('preferences.save')} saving={save.isPending} status={saved ? t('common.saved') : ''} />
      </Stack>
    </form>
  );
}

import { Checkbox, MultiSelect, Paper, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { FormFooter } from '../../components/FormParts';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { listRules, setRules, type NotificationRule, type RuleInput } from '../../services/notifications';
import { notificationKeys } from '../sla/keys';
import { AGENT_EVENTS, eventLabel, RECIPIENT_ROLES, roleLabel } from '../sla/labels';
import { AdminListHeader } from './parts';

/** Rules in the screen's event order (events a newer server adds come last). */
function ordered(rules: readonly NotificationRule[]): RuleInput[] {
  const rank = (event: string) => {
    const index = (AGENT_EVENTS as readonly string[]).indexOf(event);
    return index < 0 ? AGENT_EVENTS.length : index;
  };
  return [...rules]
    .sort((a, b) => rank(a.event) - rank(b.event))
    .map(({ event, recipients, email, in_app, enabled }) => ({ event, recipients, email, in_app, enabled }));
}

/**
 * Administration → Notification rules: per agent event whether it notifies anyone, whom
 * (roles: owner, watchers, queue members, …) and the default channels for agents who have not
 * chosen. Saved together (`PUT /api/v1/notification-rules` replaces every rule).
 */
export function NotificationRulesPage() {
  const { t } = useTranslation();
  const rules = useQuery({ queryKey: notificationKeys.rules, queryFn: listRules });
  return (
    <Stack>
      <AdminListHeader title={t('admin.rules.title')} intro={t('admin.rules.intro')} />
      <ErrorAlert error={rules.error} />
      {rules.data && <RulesForm initial={ordered(rules.data)} />}
    </Stack>
  );
}

function RulesForm({ initial }: { initial: RuleInput[] }) {
  const { t } = useTranslation();
  const mapError = useErrorMapper();
  const queryClient = useQueryClient();
  const [rows, setRows] = useState(initial);
  const [saved, setSaved] = useState(false);
  const change = (index: number, changes: Partial<RuleInput>) => {
    setSaved(false);
    setRows((previous) => previous.map((row, i) => (i === index ? { ...row, ...changes } : row)));
  };
  const save = useMutation({
    mutationFn: () => setRules(rows),
    onSuccess: (stored) => {
      queryClient.setQueryData(notificationKeys.rules, stored);
      setSaved(true);
    },
  });
  const fields = rows.flatMap((_, index) => [`items[${index}].recipients`, `items[${index}].event`]);
  const failure = save.error ? mapError(save.error, { fields }) : null;
  const roleOptions = RECIPIENT_ROLES.map((role) => ({ value: role, label: roleLabel(t, role) }));
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert message={failure?.message ?? null} />
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="xs">
              <VisuallyHidden component="caption">{t('admin.rules.title')}</VisuallyHidden>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('admin.rules.event')}</Table.Th>
                  <Table.Th scope="col">{t('admin.rules.enabled')}</Table.Th>
                  <Table.Th scope="col">{t('admin.rules.recipients')}</Table.Th>
                  <Table.Th scope="col">{t('notify.channel.email')}</Table.Th>
                  <Table.Th scope="col">{t('notify.channel.in_app')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row, index) => {
                  const event = eventLabel(t, row.event);
                  return (
                    <Table.Tr key={row.event}>
                      <Table.Th scope="row" fw={500}>
                        {event}
                      </Table.Th>
                      <Table.Td>
                        <Checkbox aria-label={t('admin.rules.enabled_for', { event })} checked={row.enabled} onChange={(e) => change(index, { enabled: e.currentTarget.checked })} />
                      </Table.Td>
                      <Table.Td miw={280}>
                        <MultiSelect
                          aria-label={t('admin.rules.recipients_for', { event })}
                          data={roleOptions}
                          value={row.recipients}
                          onChange={(recipients) => change(index, { recipients })}
                          disabled={!row.enabled}
                          error={failure?.fields[`items[${index}].recipients`]}
                          size="xs"
                        />
                      </Table.Td>
                      <Table.Td>
                        <Checkbox
                          aria-label={t('admin.rules.email_for', { event })}
                          checked={row.email}
                          disabled={!row.enabled}
                          onChange={(e) => change(index, { email: e.currentTarget.checked })}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Checkbox
                          aria-label={t('admin.rules.in_app_for', { event })}
                          checked={row.in_app}
                          disabled={!row.enabled}
                          onChange={(e) => change(index, { in_app: e.currentTarget.checked })}
                        />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Text size="sm" c="dimmed">
            {t('admin.rules.always_excluded')}
          </Text>
          <FormFooter submitLabel={t('common.save')} saving={save.isPending} status={saved ? t('common.saved') : ''} />
        </Stack>
      </form>
    </Paper>
  );
}

import { ActionIcon, Button, Checkbox, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { useUser } from '../../auth/context';
import { ErrorAlert } from '../../errors/ErrorAlert';
import { useErrorMapper } from '../../errors/useErrorMapper';
import { useFormat } from '../../i18n/useFormat';
import { zonedToUtc } from '../../i18n/zoned';
import { createReminder, deleteReminder, listTicketReminders, updateReminder } from '../../services/reminders';
import { TICKETS_KEY } from './keys';
import { AgentPicker, type PickedPerson } from './pickers';

/** Query key of a ticket's reminders. */
const remindersKey = (ticket: string) => [...TICKETS_KEY, 'reminders', ticket] as const;

/**
 * The ticket's reminders (RT style): small to-dos with a due time and an agent to remind. Tick
 * one off, delete it, or add one for yourself or a colleague; due ones are marked.
 */
export function RemindersPanel({ ticketKey }: { ticketKey: string }) {
  const { t } = useTranslation();
  const me = useUser();
  const format = useFormat();
  const mapError = useErrorMapper();
  const queryClient = useQueryClient();
  const reminders = useQuery({ queryKey: remindersKey(ticketKey), queryFn: () => listTicketReminders(ticketKey, null, 50) });
  const [subject, setSubject] = useState('');
  const [due, setDue] = useState('');
  const [owner, setOwner] = useState<PickedPerson | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: remindersKey(ticketKey) });
  const add = useMutation({
    mutationFn: () =>
      createReminder(ticketKey, {
        subject: subject.trim(),
        due_at: zonedToUtc(due, format.timeZone) ?? '',
        ...(owner && owner.id !== me.id && { owner_id: owner.id }),
      }),
    onSuccess: async () => {
      setSubject('');
      setDue('');
      setOwner(null);
      await refresh();
    },
  });
  const tick = useMutation({
    mutationFn: ({ id, done }: { id: number; done: boolean }) => updateReminder(ticketKey, id, { done }),
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: (id: number) => deleteReminder(ticketKey, id), onSuccess: refresh });
  const failure = add.error ? mapError(add.error, { fields: ['subject', 'due_at', 'owner_id'] }) : null;
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    add.mutate();
  };
  const now = reminders.dataUpdatedAt;
  const items = reminders.data?.items ?? [];

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="reminders-title">
      <Stack gap="xs">
        <Title order={2} size="h5" id="reminders-title">
          {t('reminders.title')}
        </Title>
        <ErrorAlert error={reminders.error ?? tick.error ?? remove.error} />
        {reminders.isSuccess && items.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('reminders.none')}
          </Text>
        )}
        <Stack gap={4} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {items.map((reminder) => {
            const overdue = !reminder.done && Date.parse(reminder.due_at) <= now;
            return (
              <Group component="li" key={reminder.id} gap="xs" wrap="nowrap" align="flex-start">
                <Checkbox
                  mt={2}
                  aria-label={t('reminders.done_named', { subject: reminder.subject })}
                  checked={reminder.done}
                  onChange={(event) => tick.mutate({ id: reminder.id, done: event.currentTarget.checked })}
                />
                <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
                  <Text size="sm" td={reminder.done ? 'line-through' : undefined} style={{ overflowWrap: 'anywhere' }}>
                    {reminder.subject}
                  </Text>
                  <Text size="xs" c={overdue ? 'red.9' : 'dimmed'} fw={overdue ? 700 : undefined}>
                    <time dateTime={reminder.due_at} title={format.dateTime(reminder.due_at)}>
                      {overdue ? t('reminders.overdue', { when: format.relative(reminder.due_at) }) : format.dateTime(reminder.due_at)}
                    </time>
                    {reminder.owner.id !== me.id ? ` · ${reminder.owner.name}` : ''}
                  </Text>
                </Stack>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  size="sm"
                  aria-label={t('reminders.delete_named', { subject: reminder.subject })}
                  onClick={() => remove.mutate(reminder.id)}
                  loading={remove.isPending && remove.variables === reminder.id}
                >
                  <span aria-hidden="true">×</span>
                </ActionIcon>
              </Group>
            );
          })}
        </Stack>
        <form onSubmit={submit} noValidate aria-label={t('reminders.add')}>
          <Stack gap={6}>
            <ErrorAlert message={failure?.message ?? null} />
            <TextInput size="xs" label={t('reminders.subject')} value={subject} onChange={(e) => setSubject(e.currentTarget.value)} error={failure?.fields.subject} />
            <TextInput
              size="xs"
              type="datetime-local"
              label={t('reminders.due')}
              value={due}
              onChange={(e) => setDue(e.currentTarget.value)}
              error={failure?.fields.due_at}
            />
            <AgentPicker size="xs" label={t('reminders.owner')} placeholder={t('reminders.me')} value={owner} onChange={setOwner} error={failure?.fields.owner_id} />
            <Button type="submit" size="xs" variant="default" w="fit-content" disabled={!subject.trim() || !due} loading={add.isPending}>
              {t('reminders.add')}
            </Button>
          </Stack>
        </form>
      </Stack>
    </Paper>
  );
}

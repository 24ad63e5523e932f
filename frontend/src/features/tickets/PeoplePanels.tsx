import { ActionIcon, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ApiError } from '../../api/problem';
import { useUser } from '../../auth/context';
import { ErrorAlert } from '../../errors/ErrorAlert';
import {
  addWatcher,
  changeOwnership,
  removeWatcher,
  updateTicket,
  type LoadedTicket,
  type OwnershipAction,
} from '../../services/tickets';
import { AgentPicker, type PickedPerson } from './pickers';
import type { TicketActions } from './rights';
import type { TicketPageModel } from './ticketPageModel';

/** A change of the ticket from one of the panels; 412 goes to the page's conflict message. */
function useTicketChange<A>(model: TicketPageModel, run: (argument: A) => Promise<LoadedTicket>) {
  return useMutation({
    mutationFn: run,
    onSuccess: model.apply,
    onError: model.report,
  });
}

/** The error of a panel's change, unless it is the 412 the page already explains. */
function shownError(error: unknown): unknown {
  return error instanceof ApiError && error.status === 412 ? null : error;
}

/**
 * Ownership: who owns the ticket, and the actions that fit and the agent's rights allow —
 * take an unowned ticket (`owner`), steal it from someone else (`steal`), release it, or give
 * it to another agent. The API still decides: a right lost meanwhile comes back as a
 * translated 403.
 */
export function OwnershipPanel({ model, actions }: { model: TicketPageModel; actions: TicketActions }) {
  const { t } = useTranslation();
  const me = useUser();
  const { ticket, etag } = model.loaded;
  const [giveTo, setGiveTo] = useState<PickedPerson | null>(null);
  const own = useTicketChange(model, (action: OwnershipAction) => changeOwnership(model.key, action, etag));
  const give = useTicketChange(model, (agentId: number) => updateTicket(model.key, { owner_id: agentId }, etag));
  const owner = ticket.owner ?? null;
  const mine = owner?.id === me.id;

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="ownership-title">
      <Stack gap="xs">
        <Title order={2} size="h5" id="ownership-title">
          {t('ticket.ownership')}
        </Title>
        <Text size="sm">
          {owner ? t('ticket.owned_by', { name: mine ? t('ticket.you') : owner.name }) : t('ticket.unowned')}
        </Text>
        <Group gap="xs">
          {!owner && actions.take && (
            <Button size="xs" onClick={() => own.mutate('take')} loading={own.isPending && own.variables === 'take'}>
              {t('ticket.take')}
            </Button>
          )}
          {owner && !mine && actions.steal && (
            <Button size="xs" variant="default" onClick={() => own.mutate('steal')} loading={own.isPending && own.variables === 'steal'}>
              {t('ticket.steal')}
            </Button>
          )}
          {owner && actions.release && (
            <Button size="xs" variant="default" onClick={() => own.mutate('release')} loading={own.isPending && own.variables === 'release'}>
              {t('ticket.release')}
            </Button>
          )}
        </Group>
        <ErrorAlert error={shownError(own.error)} />
        {actions.give && (
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <AgentPicker
              label={t('ticket.give_to')}
              value={giveTo}
              onChange={setGiveTo}
              excludeIds={owner ? [owner.id] : []}
              style={{ flex: 1 }}
              size="xs"
            />
            <Button
              size="xs"
              variant="default"
              disabled={!giveTo}
              loading={give.isPending}
              onClick={() => giveTo && give.mutate(giveTo.id, { onSuccess: () => setGiveTo(null) })}
            >
              {t('ticket.give')}
            </Button>
          </Group>
        )}
        <ErrorAlert error={shownError(give.error)} />
      </Stack>
    </Paper>
  );
}

/**
 * The agents watching the ticket: watch or stop watching yourself (anyone who sees it), add
 * or remove others (`rw`, as the API asks).
 */
export function WatchersPanel({ model, actions }: { model: TicketPageModel; actions: TicketActions }) {
  const { t } = useTranslation();
  const me = useUser();
  const { ticket } = model.loaded;
  const [other, setOther] = useState<PickedPerson | null>(null);
  const add = useTicketChange(model, (userId: number | undefined) => addWatcher(model.key, userId));
  const remove = useTicketChange(model, (userId: number) => removeWatcher(model.key, userId));
  const watching = ticket.watchers.some((watcher) => watcher.id === me.id);

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="watchers-title">
      <Stack gap="xs">
        <Title order={2} size="h5" id="watchers-title">
          {t('ticket.watchers')}
        </Title>
        {ticket.watchers.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('ticket.no_watchers')}
          </Text>
        ) : (
          <Stack gap={2} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {ticket.watchers.map((watcher) => (
              <Group component="li" key={watcher.id} justify="space-between" gap="xs" wrap="nowrap">
                <Text size="sm" truncate>
                  {watcher.name}
                </Text>
                {(watcher.id === me.id || actions.edit) && (
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    size="sm"
                    aria-label={t('ticket.remove_watcher', { name: watcher.name })}
                    onClick={() => remove.mutate(watcher.id)}
                    loading={remove.isPending && remove.variables === watcher.id}
                  >
                    <span aria-hidden="true">×</span>
                  </ActionIcon>
                )}
              </Group>
            ))}
          </Stack>
        )}
        {!watching && (
          <Button size="xs" variant="default" onClick={() => add.mutate(undefined)} loading={add.isPending && add.variables === undefined}>
            {t('ticket.watch')}
          </Button>
        )}
        {actions.edit && (
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <AgentPicker
              label={t('ticket.add_watcher')}
              value={other}
              onChange={setOther}
              excludeIds={ticket.watchers.map((watcher) => watcher.id)}
              style={{ flex: 1 }}
              size="xs"
            />
            <Button
              size="xs"
              variant="default"
              disabled={!other}
              onClick={() => other && add.mutate(other.id, { onSuccess: () => setOther(null) })}
            >
              {t('ticket.add')}
            </Button>
          </Group>
        )}
        <ErrorAlert error={shownError(add.error ?? remove.error)} />
      </Stack>
    </Paper>
  );
}

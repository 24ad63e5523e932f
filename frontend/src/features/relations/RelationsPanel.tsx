import { ActionIcon, Anchor, Button, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { ErrorAlert } from '../../errors/ErrorAlert';
import { addLink, LINK_KINDS, listLinks, markRead, removeLink, type LinkKind } from '../../services/relations';
import type { Ticket } from '../../services/tickets';
import { TICKETS_KEY } from '../tickets/keys';
import { MergeDialog } from './MergeDialog';
import { TicketSearch, type PickedTicket } from './TicketSearch';

/** Query key of a ticket's links. */
const linksKey = (ticket: string) => [...TICKETS_KEY, 'links', ticket] as const;

/**
 * The ticket's relations both ways (parent/child, depends on, refers to, duplicates,
 * master/slave): linked tickets with their state, a linked ticket the agent cannot see only as
 * "a ticket you cannot see"; add a link through the ticket search, remove one, merge the
 * ticket into another, and mark it read or unread.
 */
export function RelationsPanel({ ticketKey, ticket, canChange }: { ticketKey: string; ticket: Ticket; canChange: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const links = useQuery({ queryKey: linksKey(ticketKey), queryFn: () => listLinks(ticketKey) });
  const [kind, setKind] = useState<LinkKind>('refers_to');
  const [other, setOther] = useState<PickedTicket | null>(null);
  const [merging, setMerging] = useState(false);
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: linksKey(ticketKey) });
    await queryClient.invalidateQueries({ queryKey: TICKETS_KEY });
  };
  const add = useMutation({
    mutationFn: () => addLink(ticketKey, kind, String(other?.id ?? '')),
    onSuccess: async () => {
      setOther(null);
      await refresh();
    },
  });
  const remove = useMutation({ mutationFn: (id: number) => removeLink(ticketKey, id), onSuccess: refresh });
  const read = useMutation({ mutationFn: (value: boolean) => markRead(ticketKey, value), onSuccess: refresh });
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (other) add.mutate();
  };
  const items = links.data ?? [];

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="relations-title">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={2} size="h5" id="relations-title">
            {t('relations.title')}
          </Title>
          <Button size="compact-xs" variant="subtle" onClick={() => read.mutate(ticket.unread === false ? false : true)}>
            {ticket.unread === false ? t('relations.mark_unread') : t('relations.mark_read')}
          </Button>
        </Group>
        <ErrorAlert error={links.error ?? remove.error ?? read.error} />
        {links.isSuccess && items.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('relations.none')}
          </Text>
        )}
        <Stack gap={4} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {items.map((link) => (
            <Group component="li" key={link.id} gap="xs" wrap="nowrap" justify="space-between" data-testid="relation">
              <Text size="sm">
                {t(`relations.kind.${link.kind}`)}{' '}
                {link.ticket ? (
                  <>
                    <Anchor component={Link} to={`/agent/tickets/${link.ticket.number}`} ff="monospace">
                      {link.ticket.number}
                    </Anchor>{' '}
                    {link.ticket.title}{' '}
                    <Text span c="dimmed" size="xs">
                      ({link.ticket.state.name})
                    </Text>
                  </>
                ) : (
                  <Text span fs="italic">
                    {t('relations.hidden')}
                  </Text>
                )}
              </Text>
              {canChange && link.ticket && (
                <ActionIcon
                  variant="subtle"
                  color="red"
                  size="sm"
                  aria-label={t('relations.remove_named', { number: link.ticket.number })}
                  onClick={() => remove.mutate(link.id)}
                >
                  ×
                </ActionIcon>
              )}
            </Group>
          ))}
        </Stack>
        {canChange && (
          <form onSubmit={submit}>
            <Stack gap="xs">
              <Select
                label={t('relations.kind')}
                data={LINK_KINDS.map((value) => ({ value, label: t(`relations.kind.${value}`) }))}
                value={kind}
                onChange={(value) => setKind(LINK_KINDS.find((k) => k === value) ?? 'refers_to')}
                allowDeselect={false}
              />
              <TicketSearch label={t('relations.search')} value={other} onChange={setOther} excludeId={ticket.id} />
              <ErrorAlert error={add.error} />
              <Group justify="space-between">
                <Button type="submit" size="xs" disabled={!other} loading={add.isPending}>
                  {t('relations.add')}
                </Button>
                <Button size="xs" variant="default" onClick={() => setMerging(true)}>
                  {t('relations.merge')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
      {merging && <MergeDialog ticketKey={ticketKey} ticket={ticket} onClose={() => setMerging(false)} />}
    </Paper>
  );
}

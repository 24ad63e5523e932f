import { Anchor, Badge, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { PageTitle } from '../../components/PageTitle';
import { useFormat } from '../../i18n/useFormat';
import type { Ticket } from '../../services/tickets';
import { PriorityBadge, StateBadge } from './badges';
import { formatMinutes } from './labels';

/** One fact of a description list. */
export interface Fact {
  label: string;
  value: ReactNode;
}

/** Facts as a description list (`dl`), in a responsive grid. */
export function Facts({ facts }: { facts: readonly Fact[] }) {
  return (
    <SimpleGrid component="dl" cols={{ base: 2, sm: 3, lg: 4 }} spacing="xs" verticalSpacing={6} m={0}>
      {facts.map((fact) => (
        <div key={fact.label}>
          <Text component="dt" size="xs" c="dimmed" fw={600}>
            {fact.label}
          </Text>
          <Text component="dd" size="sm" m={0} style={{ overflowWrap: 'anywhere' }}>
            {fact.value}
          </Text>
        </div>
      ))}
    </SimpleGrid>
  );
}

type Sla = NonNullable<Ticket['sla']>;
type Clock = NonNullable<Sla['first_response']>;

/** One SLA clock in words: its deadline and whether it is running, paused, met or missed. */
function ClockValue({ clock }: { clock: Clock }) {
  const { t } = useTranslation();
  let state: string;
  if (clock.breached) state = t('sla.breached');
  else if (clock.state === 'stopped') state = t('sla.met');
  else if (clock.state === 'paused') state = t('sla.paused');
  else if (clock.warning) state = t('sla.warning');
  else state = t('sla.running');
  const alarm = clock.breached || (clock.warning && clock.state !== 'stopped');
  return (
    <Text span size="sm" c={alarm ? 'red.9' : undefined} fw={alarm ? 700 : undefined}>
      {clock.due_at ? <When iso={clock.due_at} /> : '—'} · {state}
    </Text>
  );
}

/** The SLA in force and its clocks (agents only). */
function slaFacts(t: TFunction, sla: Sla): Fact[] {
  const facts: Fact[] = [
    {
      label: t('sla.label'),
      value: (
        <>
          {sla.name}{' '}
          {sla.escalated && (
            <Badge color="red" variant="light" radius="sm" tt="none">
              {t('sla.escalated')}
            </Badge>
          )}
        </>
      ),
    },
  ];
  if (sla.first_response) facts.push({ label: t('sla.first_response'), value: <ClockValue clock={sla.first_response} /> });
  if (sla.update) facts.push({ label: t('sla.update'), value: <ClockValue clock={sla.update} /> });
  if (sla.solution) facts.push({ label: t('sla.solution'), value: <ClockValue clock={sla.solution} /> });
  return facts;
}

/** Dates with the full time on hover, relative in the text. */
function When({ iso }: { iso: string }) {
  const format = useFormat();
  return (
    <time dateTime={iso} title={format.relative(iso)}>
      {format.dateTime(iso)}
    </time>
  );
}

/**
 * The ticket's header: number, title, state, priority, and who/where/when. `audience`
 * decides the links (agents get the customer view) and what is shown (customers see no owner
 * details or time worked).
 */
export function TicketHeader({ ticket, audience }: { ticket: Ticket; audience: 'agent' | 'customer' }) {
  const { t } = useTranslation();
  const agent = audience === 'agent';
  const nobody = (
    <Text span c="dimmed" size="sm">
      {t('ticket.nobody')}
    </Text>
  );
  const facts: Fact[] = [{ label: t('ticket.queue'), value: ticket.queue.name }];
  if (agent) {
    facts.push(
      { label: t('ticket.owner'), value: ticket.owner?.name ?? nobody },
      {
        label: t('ticket.customer'),
        value: ticket.customer ? (
          <Anchor component={Link} to={`/agent/customers/${ticket.customer.id}`} size="sm">
            {ticket.customer.name}
          </Anchor>
        ) : (
          nobody
        ),
      },
      {
        label: t('ticket.company'),
        value: ticket.company ? (
          <Anchor component={Link} to={`/agent/companies/${ticket.company.id}`} size="sm">
            {ticket.company.name}
          </Anchor>
        ) : (
          nobody
        ),
      },
      { label: t('ticket.type'), value: ticket.type?.name ?? nobody },
      { label: t('ticket.responsible'), value: ticket.responsible?.name ?? nobody },
    );
    if (ticket.service) facts.push({ label: t('ticket.service'), value: ticket.service.name });
    if (ticket.sla) facts.push(...slaFacts(t, ticket.sla));
  }
  facts.push({ label: t('ticket.created'), value: <When iso={ticket.created_at} /> });
  facts.push({ label: t('ticket.updated'), value: <When iso={ticket.updated_at} /> });
  if (ticket.pending_until) facts.push({ label: t('ticket.pending_until'), value: <When iso={ticket.pending_until} /> });
  if (ticket.closed_at) facts.push({ label: t('ticket.closed'), value: <When iso={ticket.closed_at} /> });
  if (agent) {
    facts.push({
      label: t('ticket.time_accounted'),
      value: formatMinutes(t, ticket.time_accounted_minutes ?? 0),
    });
  }

  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed" ff="monospace">
        {t('ticket.number_label', { number: ticket.number })}
      </Text>
      <PageTitle text={`${ticket.title} · ${ticket.number}`}>{ticket.title}</PageTitle>
      <Group gap="xs" mt={-8}>
        <StateBadge state={ticket.state} />
        {agent && <PriorityBadge priority={ticket.priority} />}
      </Group>
      <Facts facts={facts} />
    </Stack>
  );
}

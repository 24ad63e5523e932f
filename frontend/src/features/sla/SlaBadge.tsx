import { Badge, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { useMinuteClock } from '../../components/useMinuteClock';
import { useFormat } from '../../i18n/useFormat';
import type { Ticket } from '../../services/tickets';
import { countdown } from './countdown';
import { formatDuration } from './labels';

/**
 * A ticket's SLA countdown as a badge: "2 h 15 min left", "Soon due: 40 min left" (past the
 * warning time) or "Overdue 1 h 5 min" — words, not colour alone;
 * the deadline on hover. Nothing for tickets without an escalation time. Updates each minute.
 */
export function SlaBadge({
  ticket,
}: {
  ticket: Pick<Ticket, 'escalation_at' | 'escalation_warning_at' | 'sla'>;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const now = useMinuteClock();
  const state = countdown(
    ticket.escalation_at,
    ticket.escalation_warning_at ?? ticket.sla?.warning_at,
    now,
  );
  if (!state || !ticket.escalation_at) return null;
  const time = formatDuration(t, state.minutes);
  const text = {
    running: t('sla.left', { time }),
    warning: t('sla.soon', { time }),
    breached: t('sla.overdue', { time }),
  }[state.level];
  const look = {
    running: { variant: 'light', color: 'gray' },
    warning: { variant: 'light', color: 'red' },
    breached: { variant: 'filled', color: 'red.8' },
  }[state.level];
  return (
    <Badge
      {...look}
      radius="sm"
      tt="none"
      title={t('sla.deadline', { when: format.dateTime(ticket.escalation_at) })}
      styles={{ root: { maxWidth: 'none', flexShrink: 0 }, label: { overflow: 'visible' } }}
      data-sla={state.level}
    >
      <VisuallyHidden>{t('sla.label')}: </VisuallyHidden>
      {text}
    </Badge>
  );
}

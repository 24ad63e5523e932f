import type { TFunction } from 'i18next';

import type { Right } from '../../services/organisation';
import type { Article, StateType } from '../../services/tickets';

// Each label is a literal translation call with its key spelled out, so the translation test sees every key.

/** The name of a state type ("Pending reminder"). */
export function stateTypeLabel(t: TFunction, type: StateType): string {
  const labels: Record<StateType, string> = {
    new: t('state_type.new'),
    open: t('state_type.open'),
    pending_reminder: t('state_type.pending_reminder'),
    pending_auto: t('state_type.pending_auto'),
    closed: t('state_type.closed'),
    merged: t('state_type.merged'),
    removed: t('state_type.removed'),
  };
  return labels[type];
}

/**
 * The badge colour of a state type. Orange, yellow, lime and green text stays below the WCAG
 * AA contrast on their light tints (see theme.ts), so they are not used for text.
 */
export const STATE_TYPE_COLORS: Record<StateType, string> = {
  new: 'blue',
  open: 'cyan',
  pending_reminder: 'violet',
  pending_auto: 'indigo',
  closed: 'gray',
  merged: 'grape',
  removed: 'red',
};

/** The name of a channel ("Phone"). */
export function channelLabel(t: TFunction, channel: Article['channel']): string {
  const labels: Record<Article['channel'], string> = {
    email: t('channel.email'),
    phone: t('channel.phone'),
    web: t('channel.web'),
    api: t('channel.api'),
    note: t('channel.note'),
  };
  return labels[channel];
}

/** The name of a right ("Take tickets (owner)"). */
export function rightLabel(t: TFunction, right: Right): string {
  const labels: Record<Right, string> = {
    ro: t('right.ro'),
    move_into: t('right.move_into'),
    create: t('right.create'),
    note: t('right.note'),
    owner: t('right.owner'),
    steal: t('right.steal'),
    priority: t('right.priority'),
    rw: t('right.rw'),
  };
  return labels[right];
}

/** What a history entry records, in words; unknown kinds (newer servers) show as sent. */
export function historyKindLabel(t: TFunction, kind: string): string {
  const labels: Record<string, string> = {
    created: t('history.kind.created'),
    article_added: t('history.kind.article_added'),
    title_changed: t('history.kind.title_changed'),
    queue_changed: t('history.kind.queue_changed'),
    state_changed: t('history.kind.state_changed'),
    pending_changed: t('history.kind.pending_changed'),
    priority_changed: t('history.kind.priority_changed'),
    type_changed: t('history.kind.type_changed'),
    owner_changed: t('history.kind.owner_changed'),
    responsible_changed: t('history.kind.responsible_changed'),
    customer_changed: t('history.kind.customer_changed'),
    watcher_added: t('history.kind.watcher_added'),
    watcher_removed: t('history.kind.watcher_removed'),
    time_accounted: t('history.kind.time_accounted'),
  };
  return labels[kind] ?? kind;
}

/** Minutes as hours and minutes ("1 h 25 min"). */
export function formatMinutes(t: TFunction, minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return t('time.minutes', { count: rest });
  if (rest === 0) return t('time.hours', { count: hours });
  return t('time.hours_minutes', { hours, minutes: rest });
}

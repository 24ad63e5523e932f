import type { TFunction } from 'i18next';

import { durationParts } from './countdown';
import type { Weekday } from './calendarModel';

// Each label is a literal translation call with its key spelled out, so the translation test sees every key.

/** The agent events, in the order screens list them. */
export const AGENT_EVENTS = [
  'ticket_created',
  'customer_follow_up',
  'owner_changed',
  'queue_moved',
  'escalation_warning',
  'escalation_breach',
  'reminder_due',
  'mentioned',
] as const;

/** Every event with a template (the agent events and the customers' `ticket_closed`). */
export const TEMPLATE_EVENTS = [...AGENT_EVENTS, 'ticket_closed'] as const;

/** The recipient roles a rule may name. */
export const RECIPIENT_ROLES = [
  'owner',
  'responsible',
  'watchers',
  'queue_members',
  'queue_members_if_unowned',
  'mentioned',
  'reminder_owner',
] as const;

/** A notification event in words ("Customer follow-up"); unknown events (newer servers) as sent. */
export function eventLabel(t: TFunction, event: string): string {
  const labels: Record<string, string> = {
    ticket_created: t('notify.event.ticket_created'),
    customer_follow_up: t('notify.event.customer_follow_up'),
    owner_changed: t('notify.event.owner_changed'),
    queue_moved: t('notify.event.queue_moved'),
    escalation_warning: t('notify.event.escalation_warning'),
    escalation_breach: t('notify.event.escalation_breach'),
    reminder_due: t('notify.event.reminder_due'),
    mentioned: t('notify.event.mentioned'),
    ticket_closed: t('notify.event.ticket_closed'),
  };
  return labels[event] ?? event;
}

/** A recipient role in words ("Queue members, if nobody owns the ticket"). */
export function roleLabel(t: TFunction, role: string): string {
  const labels: Record<string, string> = {
    owner: t('notify.role.owner'),
    responsible: t('notify.role.responsible'),
    watchers: t('notify.role.watchers'),
    queue_members: t('notify.role.queue_members'),
    queue_members_if_unowned: t('notify.role.queue_members_if_unowned'),
    mentioned: t('notify.role.mentioned'),
    reminder_owner: t('notify.role.reminder_owner'),
  };
  return labels[role] ?? role;
}

/** 2026-11-23 was a Monday: the weekday names come from `Intl`, in the interface language. */
const MONDAY = Date.UTC(2026, 10, 23, 12);
const DAY_INDEX: Record<Weekday, number> = { mon: 0, tue: 1, wed: 2, thu: 3, fri: 4, sat: 5, sun: 6 };

/** A weekday's name in `locale` ("Monday", or "Mon" with `short`). */
export function weekdayName(locale: string, day: Weekday, width: 'long' | 'short' = 'long'): string {
  return new Intl.DateTimeFormat(locale, { weekday: width, timeZone: 'UTC' }).format(new Date(MONDAY + DAY_INDEX[day] * 86_400_000));
}

/** Minutes as days and hours from a day on ("2 d 3 h"), else hours and minutes ("1 h 25 min"); "< 1 min" under a minute. */
export function formatDuration(t: TFunction, minutes: number): string {
  if (minutes < 1) return t('time.under_minute');
  const { days, hours, minutes: rest } = durationParts(minutes);
  if (days > 0) return hours > 0 ? t('time.days_hours', { days, hours }) : t('time.days', { count: days });
  if (hours === 0) return t('time.minutes', { count: rest });
  if (rest === 0) return t('time.hours', { count: hours });
  return t('time.hours_minutes', { hours, minutes: rest });
}

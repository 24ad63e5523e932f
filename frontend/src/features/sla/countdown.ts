/**
 * The SLA countdown of a ticket in a list: how long until it escalates, or how long it has
 * been escalated. Tickets carry `escalation_at` (the earliest deadline of a clock that has not
 * stopped; none while every clock is paused or stopped) and `escalation_warning_at` (the
 * earliest warning time), in lists too; past the warning time the level is `warning`.
 */

/** Where a ticket stands: time left, past its warning time, or past its deadline. */
export type SlaLevel = 'running' | 'warning' | 'breached';

/** A countdown at one moment. */
export interface Countdown {
  level: SlaLevel;
  /** Whole minutes left (`running`, `warning`) or overdue (`breached`); rounded down. */
  minutes: number;
}

/** The countdown at `now` (ms), or `null` when the ticket has no escalation time. */
export function countdown(escalationAt: string | null | undefined, warningAt: string | null | undefined, now: number): Countdown | null {
  if (!escalationAt) return null;
  const due = Date.parse(escalationAt);
  if (Number.isNaN(due)) return null;
  if (now >= due) return { level: 'breached', minutes: Math.floor((now - due) / 60_000) };
  const warn = warningAt ? Date.parse(warningAt) : Number.NaN;
  return { level: !Number.isNaN(warn) && now >= warn ? 'warning' : 'running', minutes: Math.floor((due - now) / 60_000) };
}

/** A duration split into its two largest units (days and hours, or hours and minutes). */
export interface DurationParts {
  days: number;
  hours: number;
  minutes: number;
}

/**
 * Whole minutes as days + hours (from a day on: minutes no longer matter), else hours +
 * minutes. A list refreshed each minute needs no finer grain.
 */
export function durationParts(totalMinutes: number): DurationParts {
  const minutes = Math.max(0, Math.floor(totalMinutes));
  const days = Math.floor(minutes / 1440);
  if (days > 0) return { days, hours: Math.floor((minutes % 1440) / 60), minutes: 0 };
  return { days: 0, hours: Math.floor(minutes / 60), minutes: minutes % 60 };
}

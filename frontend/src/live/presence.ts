import type { PresenceEvent } from './liveStream';

/** Another agent on a ticket. */
export interface Presence {
  userId: number;
  name: string;
  composing: boolean;
  /** When it is gone unless renewed (ms since the epoch). */
  expiresAt: number;
}

/** How long a presence lasts when an event gives no expiry (the server's 60 seconds). */
const DEFAULT_LIFETIME_MS = 60_000;

/**
 * The agents on a ticket after a `presence` event: one entry per agent, replaced by the newer
 * event; `present: false` removes it. Events of other tickets change nothing.
 */
export function applyPresence(list: readonly Presence[], event: PresenceEvent, ticketId: number, now: number): Presence[] {
  if (event.ticket_id !== ticketId) return [...list];
  const others = list.filter((presence) => presence.userId !== event.user_id);
  if (!event.present) return others;
  const expiresAt = event.expires_at ? Date.parse(event.expires_at) : now + DEFAULT_LIFETIME_MS;
  return [...others, { userId: event.user_id, name: event.name, composing: event.composing, expiresAt }];
}

/** Those not yet expired (the server sends nothing when a presence runs out). */
export function currentPresences(list: readonly Presence[], now: number): Presence[] {
  return list.filter((presence) => presence.expiresAt > now);
}

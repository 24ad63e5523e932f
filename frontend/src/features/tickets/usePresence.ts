import { useEffect, useState } from 'react';

import { useLiveEvent } from '../../live/connection';
import type { PresenceEvent } from '../../live/liveStream';
import { applyPresence, currentPresences, type Presence } from '../../live/presence';
import { announcePresence, leavePresence } from '../../services/live';

/** Renew the presence this often (it lasts 60 seconds). */
const RENEW_MS = 30_000;

/**
 * Collision detection on the ticket page: says "I have this ticket open" (and whether I am
 * writing an answer) every 30 seconds and at once when that changes, leaves on unmount, and
 * returns the other agents on the ticket — from the answer to each announcement and from the
 * stream's `presence` events, dropping those that ran out.
 */
export function usePresence(ticketKey: string, ticketId: number, composing: boolean): Presence[] {
  const [others, setOthers] = useState<Presence[]>([]);
  const [now, setNow] = useState(Date.now);

  useEffect(() => {
    let cancelled = false;
    const announce = () =>
      announcePresence(ticketKey, composing).then(
        (items) => {
          if (cancelled) return;
          setOthers(
            items
              .filter((item) => !item.me)
              .map((item) => ({ userId: item.user_id, name: item.name, composing: item.composing, expiresAt: Date.parse(item.expires_at) })),
          );
        },
        () => undefined, // best effort: presence is a courtesy, never an error to show
      );
    void announce();
    const timer = setInterval(() => void announce(), RENEW_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [ticketKey, composing]);

  useEffect(
    () => () => {
      void leavePresence(ticketKey).catch(() => undefined);
    },
    [ticketKey],
  );

  // Re-render now and then so that presences that ran out disappear.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 10_000);
    return () => clearInterval(timer);
  }, []);

  useLiveEvent('presence', (data) => {
    setOthers((list) => applyPresence(list, data as PresenceEvent, ticketId, Date.now()));
  });

  return currentPresences(others, now);
}

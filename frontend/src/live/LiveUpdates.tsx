import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';

import { liveStream, liveSupported, useLiveEvent } from './connection';

/** Ticket changes come in bursts (a reply changes state and owner too): refresh once per second at most. */
const REFRESH_DELAY_MS = 1000;

/**
 * Keeps the event stream open while a signed-in layout is shown, and refreshes what lists
 * show when tickets change anywhere: ticket lists, queue counts, saved-search counts and the
 * dashboard. A `resync` (events were skipped) refreshes every ticket view; notifications
 * refresh the bell. Screens that need more (the ticket page) subscribe themselves.
 */
export function LiveUpdates() {
  const queryClient = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    if (!liveSupported) return undefined;
    liveStream.start();
    return () => liveStream.stop();
  }, []);

  const refreshLists = () => {
    if (timer.current !== null) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      void queryClient.invalidateQueries({ queryKey: ['tickets', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['queues'], exact: true });
      void queryClient.invalidateQueries({ queryKey: ['saved-searches'] });
    }, REFRESH_DELAY_MS);
  };
  useLiveEvent('ticket', refreshLists);
  useLiveEvent('resync', () => {
    void queryClient.invalidateQueries({ queryKey: ['tickets'] });
    void queryClient.invalidateQueries({ queryKey: ['queues'] });
    void queryClient.invalidateQueries({ queryKey: ['notifications'] });
  });
  useLiveEvent('notification', () => void queryClient.invalidateQueries({ queryKey: ['notifications'] }));
  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );
  return null;
}

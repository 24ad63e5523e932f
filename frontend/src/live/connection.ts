import { useEffect, useRef } from 'react';

import { session } from '../api/client';
import { LiveStream, type LiveEventType } from './liveStream';

/** The app's one event stream (`GET /api/v1/events/stream`), started by the signed-in layouts. */
export const liveStream = new LiveStream({
  open: (url) => new EventSource(url),
  token: () => session.accessToken(),
});

/** Whether this browser can hold an event stream (tests under jsdom cannot). */
export const liveSupported = typeof EventSource !== 'undefined';

/** Calls `handler` for each live event of `type` while the component is mounted. */
export function useLiveEvent(type: LiveEventType, handler: (data: unknown) => void): void {
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => liveStream.on(type, (data) => latest.current(data)), [type]);
}

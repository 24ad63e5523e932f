import { describe, expect, it, vi } from 'vitest';

import { LiveStream, type EventSourceLike } from './liveStream';
import { applyPresence, currentPresences } from './presence';

/** A fake EventSource the test drives by hand. */
class FakeSource implements EventSourceLike {
  listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, data: unknown, id = '') {
    const event = new MessageEvent<string>(type, { data: JSON.stringify(data), lastEventId: id });
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

function setup() {
  const sources: FakeSource[] = [];
  const scheduled: (() => void)[] = [];
  let n = 0;
  const stream = new LiveStream({
    open: (url) => {
      const source = new FakeSource(url);
      sources.push(source);
      return source;
    },
    token: () => Promise.resolve(`token-${++n}`),
    schedule: (run) => scheduled.push(run),
  });
  return { stream, sources, scheduled };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('LiveStream', () => {
  it('connects with the access token in the query and hands events to their listeners', async () => {
    const { stream, sources } = setup();
    const tickets = vi.fn();
    stream.on('ticket', tickets);
    stream.start();
    stream.start(); // idempotent
    await flush();
    expect(sources).toHaveLength(1);
    expect(sources[0]?.url).toBe('/api/v1/events/stream?access_token=token-1');
    sources[0]?.emit('ticket', { ticket_id: 7, kind: 'state_changed' }, '10.0.0');
    expect(tickets).toHaveBeenCalledWith({ ticket_id: 7, kind: 'state_changed' });
  });

  it('reconnects with a fresh token and the last event id when the server asks to re-authenticate', async () => {
    const { stream, sources, scheduled } = setup();
    stream.start();
    await flush();
    sources[0]?.emit('heartbeat', { position: '12.3.4' }, '12.3.4');
    sources[0]?.emit('reauth', { position: '12.3.4' }, '12.3.4');
    expect(sources[0]?.closed).toBe(true);
    expect(scheduled).toHaveLength(1);
    scheduled[0]?.();
    await flush();
    expect(sources[1]?.url).toBe('/api/v1/events/stream?access_token=token-2&last_event_id=12.3.4');
  });

  it('stops for good on sign-out: no reconnect, no resume position', async () => {
    const { stream, sources, scheduled } = setup();
    stream.start();
    await flush();
    sources[0]?.onerror?.(new Event('error'));
    stream.stop();
    scheduled[0]?.();
    await flush();
    expect(sources).toHaveLength(1);
    expect(stream.isRunning()).toBe(false);
  });
});

describe('presence', () => {
  const now = Date.parse('2026-11-24T10:00:00Z');
  const event = (userId: number, present: boolean, composing = false) => ({
    ticket_id: 42,
    user_id: userId,
    name: `Agent ${userId}`,
    present,
    composing,
    expires_at: '2026-11-24T10:01:00Z',
  });

  it('keeps one entry per agent, updated by newer events, removed when they leave', () => {
    let list = applyPresence([], event(1, true), 42, now);
    list = applyPresence(list, event(2, true), 42, now);
    list = applyPresence(list, event(1, true, true), 42, now);
    expect(list.map((p) => [p.userId, p.composing])).toEqual([
      [2, false],
      [1, true],
    ]);
    list = applyPresence(list, event(2, false), 42, now);
    expect(list.map((p) => p.userId)).toEqual([1]);
    expect(applyPresence(list, { ...event(3, true), ticket_id: 99 }, 42, now)).toEqual(list);
  });

  it('drops presences that ran out without renewal', () => {
    const list = applyPresence([], event(1, true), 42, now);
    expect(currentPresences(list, now + 30_000)).toHaveLength(1);
    expect(currentPresences(list, now + 61_000)).toHaveLength(0);
  });
});

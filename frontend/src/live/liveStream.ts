/** The events of `GET /api/v1/events/stream` the app listens to. */
export type LiveEventType = 'ticket' | 'notification' | 'presence' | 'resync';

/** A `ticket` event: a change of a ticket the user may see. */
export interface TicketEvent {
  ticket_id: number;
  ticket_number: string;
  /** The history kind: `created`, `article_added`, `state_changed`, … */
  kind: string;
  actor?: { id: number; name: string } | null;
}

/** A `presence` event: another agent opened, is answering, or left a ticket. */
export interface PresenceEvent {
  ticket_id: number;
  user_id: number;
  name: string;
  present: boolean;
  composing: boolean;
  expires_at?: string | null;
}

/** The part of the browser's `EventSource` the stream uses (tests pass a fake). */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
  onerror: ((event: Event) => void) | null;
}

/** Options of {@link LiveStream}. */
export interface LiveStreamOptions {
  /** Opens an event source on a URL (`new EventSource(url)` in the browser). */
  open: (url: string) => EventSourceLike;
  /** A current access token, or `null` without a session. */
  token: () => Promise<string | null>;
  /** Schedules a reconnect (`setTimeout` in the browser). */
  schedule?: (run: () => void, ms: number) => void;
}

type Listener = (data: unknown) => void;

const EVENT_TYPES: readonly LiveEventType[] = ['ticket', 'notification', 'presence', 'resync'];
/** Waits before reconnecting after an error: 1 s, 2 s, 4 s … up to 30 s. */
const MAX_BACKOFF_MS = 30_000;

/**
 * One Server-Sent-Events connection for the whole app. `EventSource` cannot send headers, so
 * the access token goes in `?access_token=` (the one endpoint that takes it there); when the
 * server ends the stream (`reauth`: the token expired; `shutdown`: the process stops) or the
 * connection fails, it reconnects with a fresh token and `last_event_id`, so the server
 * replays what was missed (or sends `resync`). Listeners subscribe by event type.
 */
export class LiveStream {
  private source: EventSourceLike | null = null;
  private lastId: string | null = null;
  private listeners = new Map<LiveEventType, Set<Listener>>();
  private running = false;
  private failures = 0;
  private generation = 0;

  constructor(private readonly options: LiveStreamOptions) {}

  /** Subscribes to one event type; returns the unsubscribe function. */
  on(type: LiveEventType, listener: Listener): () => void {
    const set = this.listeners.get(type) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(type, set);
    return () => set.delete(listener);
  }

  /** Connects (once; further calls do nothing while running). */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.connect();
  }

  /** Disconnects for good (sign-out) and forgets the resume position. */
  stop(): void {
    this.running = false;
    this.generation += 1;
    this.source?.close();
    this.source = null;
    this.lastId = null;
  }

  /** Whether a connection is open or being opened. */
  isRunning(): boolean {
    return this.running;
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    const token = await this.options.token().catch(() => null);
    if (!this.running || generation !== this.generation) return;
    if (token === null) {
      this.retry();
      return;
    }
    const params = new URLSearchParams({ access_token: token });
    if (this.lastId !== null) params.set('last_event_id', this.lastId);
    const source = this.options.open(`/api/v1/events/stream?${params.toString()}`);
    this.source = source;
    const track = (event: MessageEvent<string>) => {
      if (event.lastEventId) this.lastId = event.lastEventId;
    };
    source.addEventListener('ready', (event) => {
      track(event);
      this.failures = 0;
    });
    source.addEventListener('heartbeat', track);
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (event) => {
        track(event);
        let data: unknown = null;
        try {
          data = event.data ? JSON.parse(event.data) : null;
        } catch {
          return; // a garbled event is skipped; the next resync covers it
        }
        for (const listener of this.listeners.get(type) ?? []) listener(data);
      });
    }
    const reopen = () => {
      if (this.source !== source) return;
      source.close();
      this.source = null;
      this.retry();
    };
    source.addEventListener('reauth', reopen);
    source.addEventListener('shutdown', reopen);
    // The browser's own reconnect would reuse the expired token: reconnect ourselves.
    source.onerror = reopen;
  }

  private retry(): void {
    if (!this.running) return;
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.failures);
    this.failures += 1;
    const schedule = this.options.schedule ?? ((run, ms) => setTimeout(run, ms));
    const generation = this.generation;
    schedule(() => {
      if (this.running && generation === this.generation) void this.connect();
    }, delay);
  }
}

import { useSyncExternalStore } from 'react';

/**
 * One clock for every countdown on the page: it ticks at each whole minute while something
 * listens (a list of 100 SLA badges shares one timer, and they all change together).
 */
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setTimeout> | null = null;

function schedule(): void {
  timer = setTimeout(() => {
    now = Date.now();
    for (const listener of listeners) listener();
    schedule();
  }, 60_000 - (Date.now() % 60_000));
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === null) {
    now = Date.now();
    schedule();
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
  };
}

/** The current time in ms, updated at every whole minute. */
export function useMinuteClock(): number {
  return useSyncExternalStore(subscribe, () => now);
}

/**
 * One shared clock ticking on whole seconds. Components reading it re-render alone — the rest of
 * the wall does not — and every clock on every tile flips in step.
 */
import { useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setTimeout> | null = null;

function schedule(): void {
  // aim just past the next whole second, so the displayed second is never early
  timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 8);
}

function tick(): void {
  now = Date.now();
  listeners.forEach((listener) => listener());
  schedule();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (listeners.size === 1) {
    now = Date.now();
    schedule();
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearTimeout(timer);
      timer = null;
    }
  };
}

const snapshot = () => now;

/** Epoch ms, updated once per second. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

/**
 * The log of refused requests and upgrades. A scan or a flood can send thousands a second, each
 * with kilobytes of headers: every logged value is cut to MAX_VALUE_CHARS, and per kind of refusal
 * the first one of a window is logged as it happens, the rest of that window as one line with a
 * count when the window ends. So a kind costs at most two short lines per window, however many
 * refusals came.
 */

export const MAX_VALUE_CHARS = 200;
export const DEFAULT_WINDOW_MS = 10_000;

/** What is known of one refusal: its kind (the summarising key) and the request's details. */
export interface Refusal {
  kind: string;
  reason: string;
  remote: string;
  [detail: string]: string | undefined;
}

export interface RefusalLog {
  refuse(refusal: Refusal): void;
  /** Writes what is still counted, and stops the timers. */
  close(): void;
}

/** A header value as it may appear in a log line or an alert. */
export function truncated(value: string | undefined): string | undefined {
  if (value === undefined || value.length <= MAX_VALUE_CHARS) return value;
  return `${value.slice(0, MAX_VALUE_CHARS)}… (${value.length} chars)`;
}

function cut(refusal: Refusal): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(refusal)) if (value !== undefined) out[key] = truncated(value)!;
  return out;
}

export function createRefusalLog(log: (line: string) => void, windowMs = DEFAULT_WINDOW_MS): RefusalLog {
  /** Kinds with an open window: refusals counted since its first, and the last of them. */
  const open = new Map<string, { counted: number; last: Refusal | null; timer: NodeJS.Timeout }>();
  const flush = (kind: string) => {
    const window = open.get(kind);
    if (!window) return;
    clearTimeout(window.timer);
    open.delete(kind);
    if (window.counted > 0 && window.last) {
      log(JSON.stringify({ event: 'connection-refused', ...cut(window.last), count: window.counted, windowSeconds: windowMs / 1000, note: `${window.counted} more refusals of this kind in the window; the last shown` }));
    }
  };
  return {
    refuse(refusal) {
      const window = open.get(refusal.kind);
      if (window) {
        window.counted++;
        window.last = refusal;
        return;
      }
      log(JSON.stringify({ event: 'connection-refused', ...cut(refusal) }));
      const timer = setTimeout(() => flush(refusal.kind), windowMs);
      timer.unref();
      open.set(refusal.kind, { counted: 0, last: null, timer });
    },
    close() {
      for (const kind of [...open.keys()]) flush(kind);
    },
  };
}

/**
 * Logs refusals and rejected messages summarised: the first of a kind (event and reason) at once,
 * the rest of its period as one line with a count. A flood or a scan costs a few log lines, not
 * one per refusal. The kinds tracked at once are bounded; reasons past the cap share one line.
 * Every string value is cut to MAX_VALUE_CHARS: a refused request may carry kilobytes of headers.
 */
import { hostLimits } from '../../../native-bridge/limits.js';

export type Details = { reason: string } & Record<string, unknown>;

export const MAX_VALUE_CHARS = 200;

/** A header value as it may appear in a log line or an alert. */
export function truncated(value: string | undefined): string | undefined {
  if (value === undefined || value.length <= MAX_VALUE_CHARS) return value;
  return `${value.slice(0, MAX_VALUE_CHARS)}… (${value.length} chars)`;
}

function cut(details: Details): Details {
  const out: Details = { reason: truncated(details.reason)! };
  for (const [key, value] of Object.entries(details)) out[key] = typeof value === 'string' ? truncated(value) : value;
  return out;
}

export interface SummarisedLog {
  (event: string, details: Details): void;
  /** Logs the counts still pending and stops the timers. */
  close(): void;
}

interface Period {
  count: number;
  last: Details;
  timer: ReturnType<typeof setTimeout>;
}

const OTHER_REASONS = '(other reasons)';

export function summarisedLog(log: (line: string) => void, intervalMs: number = hostLimits.refusalLogIntervalMs, maxKinds = 64): SummarisedLog {
  const periods = new Map<string, { event: string; period: Period }>();
  const flush = (key: string) => {
    const entry = periods.get(key);
    if (!entry) return;
    periods.delete(key);
    clearTimeout(entry.period.timer);
    if (entry.period.count > 0) log(JSON.stringify({ event: entry.event, ...entry.period.last, count: entry.period.count, periodMs: intervalMs }));
  };
  const record = (event: string, given: Details) => {
    let details = cut(given);
    // a refusal's kind (a fixed word) groups better than its reason text, which may name values
    let key = `${event}\u0000${typeof details.kind === 'string' ? details.kind : details.reason}`;
    if (!periods.has(key) && periods.size >= maxKinds) {
      details = { ...details, reason: OTHER_REASONS };
      key = `${event}\u0000${OTHER_REASONS}`;
    }
    const entry = periods.get(key);
    if (entry) {
      entry.period.count++;
      entry.period.last = details;
      return;
    }
    log(JSON.stringify({ event, ...details }));
    const timer = setTimeout(() => flush(key), intervalMs);
    timer.unref();
    periods.set(key, { event, period: { count: 0, last: details, timer } });
  };
  return Object.assign(record, {
    close() {
      for (const key of [...periods.keys()]) flush(key);
    },
  });
}

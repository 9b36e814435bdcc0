/** Structured, rate-limited logging for the gateway link (one JSON object per line). */

export type GatewayLogEntry = { level: 'info' | 'warn' | 'error'; msg: string } & Record<string, unknown>;
export type GatewayLog = (entry: GatewayLogEntry) => void;

export const stderrLog: GatewayLog = (entry) => {
  process.stderr.write(`${JSON.stringify({ at: new Date().toISOString(), ...entry })}\n`);
};

/**
 * At most `burst` lines per `windowMs` for each key (e.g. a reason plus a gateway id); the next line
 * after a quiet-down says how many were suppressed. Untrusted peers must not be able to flood logs.
 */
export function rateLimited(log: GatewayLog, { windowMs = 10_000, burst = 5, clock = Date.now } = {}): (key: string, entry: GatewayLogEntry) => void {
  const windows = new Map<string, { start: number; count: number; suppressed: number }>();
  return (key, entry) => {
    const now = clock();
    let w = windows.get(key);
    if (!w || now - w.start >= windowMs) {
      const suppressed = w?.suppressed ?? 0;
      if (windows.size > 1000) windows.clear();
      w = { start: now, count: 0, suppressed: 0 };
      windows.set(key, w);
      if (suppressed > 0) entry = { ...entry, suppressedBefore: suppressed };
    }
    if (w.count < burst) {
      w.count++;
      log(entry);
    } else {
      w.suppressed++;
    }
  };
}

/**
 * A page's main-thread script time from a V8 CPU profile (DevTools Profiler.stop), over a span of
 * its clock: every sample in the span not idle and not the browser's own work ("(program)": style,
 * layout, paint) counts as script, garbage collection included (the script's garbage). A sample
 * stands for the time up to the next one. Pure.
 */

/** The parts of a Profiler.Profile this reads (timestamps in µs of the page's monotonic clock). */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const NOT_SCRIPT = new Set(['(idle)', '(program)']);

/** Script ms in [fromUs, toUs), and the self time of each function in it (name file:line:column → ms, for the bundle's source map). */
export function scriptTime(profile: CpuProfile, fromUs: number, toUs: number): { ms: number; byFunction: Map<string, number> } {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const byFunction = new Map<string, number>();
  let us = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    const next = i + 1 < profile.samples.length ? at + (profile.timeDeltas[i + 1] ?? 0) : profile.endTime;
    const overlap = Math.min(next, toUs) - Math.max(at, fromUs);
    const frame = frames.get(profile.samples[i]!);
    if (overlap <= 0 || !frame || NOT_SCRIPT.has(frame.functionName)) continue;
    us += overlap;
    const file = frame.url.slice(frame.url.lastIndexOf('/') + 1);
    const key = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + overlap / 1000);
  }
  return { ms: us / 1000, byFunction };
}

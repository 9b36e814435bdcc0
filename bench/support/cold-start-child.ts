/**
 * One cold start for the cold-start bench, in a process of its own so that its clock starts with
 * the process: the Chromium host on `dataDir` (headless windows) with `gatewaysFile`, then the
 * time until every wall window has reported (window.painted, sent from the animation frame after
 * React committed) a paint of the current revision together with the live picture from the cache:
 * as many sensors with a reading as the host drew from its cache before any window opened.
 * Prints one JSON line (ColdStart) on stdout, then stops the host (not timed).
 *
 * Run bundled, as the host's own entry is (bench/cold-start.ts builds it into dist/host/):
 * `node dist/host/bench-cold-start.js <dataDir> <gatewaysFile> <timeoutMs>`
 */
import { performance } from 'node:perf_hooks';
import { maxOf } from '../../native-bridge/extremes.js';

// Node's performance clock starts with the process: this is the process's start on the wall clock
const processStart = Math.round(Date.now() - performance.now());

export interface ColdStart {
  /** ms from the process start; null where a window never got there before the deadline. */
  imported_ms: number;
  runtime_ms: number;
  host_ms: number;
  /** The slowest window's page: navigation started (its Chromium up), and its DOMContentLoaded (the bundle run). */
  page_opened_ms: number | null;
  page_loaded_ms: number | null;
  wall_painted_ms: number | null;
  live_painted_ms: number | null;
  windows: number;
  windows_live_painted: number;
  /** Sensors with a reading in the host's picture from its cache, and the cache's seq of it. */
  cached_sensors: number;
  revision: number;
}

const [dataDir, gatewaysFile, timeout] = process.argv.slice(2);
if (!dataDir || !gatewaysFile) throw new Error('usage: cold-start-child <dataDir> <gatewaysFile> [timeoutMs]');
const timeoutMs = Number(timeout ?? 60_000);

// imported here, not at the top: loading the host's modules is part of a cold start
const [{ startChromiumHost }, paths, { displaySlots }, { testScenariosDir }] = await Promise.all([
  import('../../electron/node/chromium-host/host.js'),
  import('../../electron/node/project-paths.js'),
  import('../../native-bridge/wall-geometry.js'),
  import('../../test/support/test-scenarios.js'),
]);
const imported = Date.now();

let runtimeAt = 0;
let expected = { sensors: 0, revision: 0 };
const wallPainted = new Map<string, number>();
const livePainted = new Map<string, number>();
let displays: string[] = [];
let settle: () => void = () => {};
const done = new Promise<void>((resolve) => (settle = resolve));

const host = await startChromiumHost({
  wallFile: paths.defaultWallFile,
  presetsDir: paths.defaultPresetsDir,
  scenariosDir: testScenariosDir(),
  gatewaysFile,
  dataDir,
  rendererDir: paths.rendererDist,
  windows: 'headless',
  log: () => {},
  onRuntime: ({ core }) => {
    runtimeAt = Date.now();
    // the cache is drawn into the live picture before the gateway link starts: this is the picture a window must paint
    expected = { sensors: core.live.snapshot().readings.id.length, revision: core.controller.currentRevision };
    displays = displaySlots(core.wall).map((s) => s.windowId);
    core.onPainted(({ windowId, revision, at, live }) => {
      if (revision < expected.revision) return;
      if (!wallPainted.has(windowId)) wallPainted.set(windowId, at);
      if (live && live.readings >= expected.sensors && !livePainted.has(windowId)) livePainted.set(windowId, at);
      if (displays.every((id) => livePainted.has(id))) settle();
    });
  },
});
const hostAt = Date.now();
await Promise.race([done, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);

// Where the windows' time went, read after the measurement (not timed): each page's Navigation
// Timing on the wall clock (same machine). The host's own DevTools session closed once it checked
// the credential; a window's relay serves one client at a time.
const { CdpSession } = await import('../../electron/node/chromium-host/cdp.js');
const timings = await Promise.all(
  host.windows
    .filter((w) => displays.includes(w.windowId))
    .map(async (w) => {
      const socket = w.devtools();
      const page = socket ? await CdpSession.openPage(socket, (url) => url.includes(`window=${w.windowId}`)).catch(() => null) : null;
      if (!page) return null;
      try {
        return await page.evaluate<{ opened: number; loaded: number }>(`(() => { const n = performance.getEntriesByType('navigation')[0]; return { opened: performance.timeOrigin, loaded: n && n.domContentLoadedEventEnd > 0 ? performance.timeOrigin + n.domContentLoadedEventEnd : null }; })()`);
      } finally {
        page.close();
      }
    }),
);
const slowest = (pick: (t: { opened: number; loaded: number }) => number | null) =>
  timings.every((t) => t !== null && pick(t) !== null) ? Math.round(maxOf(timings.map((t) => pick(t!)!)) - processStart) : null;

const last = (paints: Map<string, number>) => (displays.every((id) => paints.has(id)) ? maxOf(displays.map((id) => paints.get(id)!)) - processStart : null);
const result: ColdStart = {
  imported_ms: imported - processStart,
  runtime_ms: runtimeAt - processStart,
  host_ms: hostAt - processStart,
  page_opened_ms: slowest((t) => t.opened),
  page_loaded_ms: slowest((t) => t.loaded),
  wall_painted_ms: last(wallPainted),
  live_painted_ms: last(livePainted),
  windows: displays.length,
  windows_live_painted: livePainted.size,
  cached_sensors: expected.sensors,
  revision: expected.revision,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
await host.close();
process.exit(0);

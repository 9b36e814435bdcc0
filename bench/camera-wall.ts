/**
 * camera-wall: on the real Chromium host (headless, simulated province) one 1920×1080 wall window
 * (r0c0 of the demo wall; only that window is measured) plays a 4×4 grid of the 16 simulated
 * cameras' live 1 s-segment HLS streams from the camera server (sim/cameras/camera-server.ts),
 * run in this process on a port of its own that the host's simulated cameras advertise
 * (test/support/test-cameras.ts).
 *
 *  - ttff: from the add-tile command's acceptance (host clock) to each cell's first rendered frame
 *    (page clock, same machine: a MutationObserver on data-frames records Date.now() at 0 → >0);
 *  - latency: every 2 s, for every shown player, Date.now() − hls.js playingDate (the
 *    EXT-X-PROGRAM-DATE-TIME of the position shown), via window.__iocPlayerLatency (engine.ts);
 *    the work is one latency per camera per tick: `latency_measured` says how many of those were
 *    taken (a camera not playing has none), `complete` whether all were and the recovery was seen;
 *  - dropped: Σ droppedVideoFrames / Σ totalVideoFrames of the grid's <video>s at the end;
 *  - recovery: after the first minute one camera is restarted (new session, media sequence 0);
 *    time until its cell is data-state=playing with frames advancing and showing the new
 *    session (playingDate ≥ restart), plus the longest gap between its frames meanwhile;
 *  - memory: renderer process RSS (/proc, pids from SystemInfo.getProcessInfo on the window's
 *    browser CDP session) and JS heap (Performance.getMetrics after a GC), at the end against
 *    after 1 minute; sampled every 30 s for the series. The page is driven over a bare DevTools
 *    session (electron/node/chromium-host/cdp.ts), not Playwright: Playwright's Network.enable makes
 *    the renderer keep every segment it fetched for DevTools (~30 MB a minute for 16 cameras).
 *
 * `npm run bench -- camera-wall [minutes=10]`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Tile } from '../native-bridge/contract.js';
import { CdpSession } from '../electron/node/chromium-host/cdp.js';
import type { CameraServer } from '../sim/cameras/camera-server.js';
import { spawnHost, type HostProcess } from '../test/support/host-process.js';
import { startTestCameras } from '../test/support/test-cameras.js';
import { connectConsole } from '../test/support/accounts.js';
import { percentile, round } from './stats.js';
import { waitFor } from '../test/support/page-wait.js';
import { maxOf } from '../native-bridge/extremes.js';
import { coverage } from './support/verdicts.js';
import { windowMemory, type WindowMemory } from './support/window-memory.js';

const GRID_ID = 'bench-cams';
const WINDOW = 'r0c0';
const TILES = 16;
const SAMPLE_MS = 2000;
const MEMORY_SERIES_MS = 30_000;

/** Installed in the page before the grid exists (a string: tsx rewrites arrow functions). */
const OBSERVER_JS = `(() => {
  const b = window.__bench = { first: {}, log: [], frames: {}, maxGap: {} };
  const seen = (el) => {
    const id = el.dataset.cameraId;
    if (!id) return;
    const frames = Number(el.dataset.frames || 0);
    if (frames > 0 && b.first[id] === undefined) b.first[id] = Date.now();
    const state = el.dataset.state;
    const last = b.frames[id];
    const now = Date.now();
    if (!last || last.state !== state) b.log.push({ id, state, at: now });
    if (last && frames !== last.frames) b.maxGap[id] = Math.max(b.maxGap[id] || 0, now - last.changedAt);
    b.frames[id] = { state, frames, changedAt: !last || frames !== last.frames ? now : last.changedAt };
  };
  new MutationObserver((records) => {
    for (const r of records) {
      const el = r.target;
      if (el.nodeType !== 1) continue;
      if (el.hasAttribute('data-camera-cell')) seen(el);
      else for (const c of el.querySelectorAll('[data-camera-cell]')) seen(c);
    }
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-frames', 'data-state'] });
  return true;
})()`;

const CELLS_JS = `(() => [...document.querySelectorAll('[data-tile-id="${GRID_ID}"] [data-camera-cell]')].map((el) =>
  ({ id: el.dataset.cameraId, state: el.dataset.state, frames: Number(el.dataset.frames || 0) })))()`;

const QUALITY_JS = `(() => [...document.querySelectorAll('[data-tile-id="${GRID_ID}"] video')].reduce((sum, v) => {
  const q = v.getVideoPlaybackQuality();
  return { dropped: sum.dropped + q.droppedVideoFrames, total: sum.total + q.totalVideoFrames, videos: sum.videos + 1 };
}, { dropped: 0, total: 0, videos: 0 }))()`;

interface Cell {
  id: string;
  state: string;
  frames: number;
}


const growth = (before: number | null, after: number | null) => (before && after ? round(((after - before) / before) * 100, 2) : null);
const mb = (bytes: number | null) => (bytes === null ? null : round(bytes / 1024 / 1024));

export async function run(args: string[]): Promise<object> {
  const minutes = Number(args[0] ?? 10);
  if (!(minutes >= 1)) throw new Error('minutes must be ≥ 1 (memory is compared against the first minute)');
  const dataDir = mkdtempSync(join(tmpdir(), 'ioc-wall-camera-wall-'));
  let host: HostProcess | null = null;
  let cameraServer: CameraServer | null = null;
  let pageCdp: CdpSession | null = null;
  let browserCdp: CdpSession | null = null;
  let closeClient: () => void = () => {};
  try {
    const testCameras = await startTestCameras(dataDir);
    cameraServer = testCameras.server;
    host = await spawnHost({ dataDir, windows: 'headless', gatewaysFile: testCameras.gatewaysFile });
    const connection = await connectConsole(host.runtime, host.dataDir);
    const client = connection.client;
    closeClient = () => connection.transport.close();
    const cameras = await waitFor('16 cameras in the host live state', 90_000, async () => {
      const snapshot = await client.call('live.snapshot', {});
      return snapshot.cameras.length >= TILES ? snapshot.cameras : null;
    });
    const cameraIds = cameras.map((c) => c.id).sort().slice(0, TILES);

    const w = host.runtime.windows.find((x) => x.windowId === WINDOW);
    if (!w?.devtools) throw new Error(`window ${WINDOW} has no DevTools socket`);
    const devtools = w.devtools;
    const page = await waitFor(`the ${WINDOW} page`, 20_000, () => CdpSession.openPage(devtools, (url) => url.includes(`window=${WINDOW}`)));
    pageCdp = page;
    // the wall app up and painting (a page still loading may yet navigate, dropping the observer below)
    await waitFor('the wall window painting', 60_000, () => page.evaluate<boolean>(`document.readyState === 'complete' && document.getElementById('wall')?.dataset.paintedRevision !== undefined`));
    const viewport = await page.evaluate<{ width: number; height: number; dpr: number }>('({ width: window.innerWidth, height: window.innerHeight, dpr: window.devicePixelRatio })');
    // the browser target answers on the page's connection (the window's relay serves one client)
    browserCdp = page;

    // an empty wall, the observer, then one 4×4 grid over the whole r0c0 display
    const sync = await client.call('wall.resync', { sinceRevision: 0 });
    if (sync.kind === 'snapshot') for (const t of sync.state.tiles) await client.call('wall.execute', { command: { type: 'remove-tile', id: t.id } });
    await waitFor('no camera cells left', 10_000, async () => ((await page.evaluate('document.querySelectorAll("[data-camera-cell]").length')) as number) === 0);
    await page.evaluate(OBSERVER_JS);
    const grid: Tile = { id: GRID_ID, kind: 'camera-grid', rect: { x: 0, y: 0, w: 12, h: 12 }, props: { layout: '4x4', columns: 4, rows: 4, cameras: cameraIds, maximized: null } };
    const { acceptedAt } = await client.call('wall.execute', { command: { type: 'add-tile', tile: grid } });
    const first = await waitFor(
      '16 cells with a first frame',
      60_000,
      async () => {
        const f = (await page.evaluate('window.__bench.first')) as Record<string, number>;
        return cameraIds.every((id) => f[id] !== undefined) ? f : null;
      },
      50,
    );
    const ttff = cameraIds.map((id) => first[id]! - acceptedAt);
    console.error(`ttff p50 ${percentile(ttff, 50)} ms, max ${maxOf(ttff)} ms (viewport ${viewport.width}×${viewport.height})`);

    // steady state
    const latencies: number[] = [];
    let ticks = 0;
    let cellSamples = 0;
    let ticksAllMeasured = 0;
    let fewestPlaying = TILES;
    /** Ticks at which a camera had no latency (not playing, or no position). */
    const unmeasuredTicks = new Map<string, number>();
    const started = Date.now();
    const endAt = started + minutes * 60_000;
    let memAt1: WindowMemory | null = null;
    let recovery: Promise<{ ms: number | null; maxGapMs: number | null; states: string; note?: string }> | null = null;
    let minuteShown = 0;
    const rssSeries: (number | null)[] = [];
    let nextSeriesAt = started + MEMORY_SERIES_MS;
    const victim = cameraIds[5]!;

    /**
     * The restarted camera is recovered when its cell is playing, frames advance, and the picture
     * shown comes from the new session (hls.js playingDate at or after the restart). hls.js may
     * ride over the restart without the cell ever leaving 'playing' (it aligns the new playlist by
     * program date-time): then this is the time until new-session frames are on screen, and
     * recovery_max_frame_gap_ms says whether the picture stopped meanwhile.
     */
    const measureRecovery = async (): Promise<{ ms: number | null; maxGapMs: number | null; states: string; note?: string }> => {
      await page.evaluate(`window.__bench.maxGap[${JSON.stringify(victim)}] = 0`);
      const restartedAt = Date.now();
      await cameraServer!.restart(victim);
      const deadline = restartedAt + 60_000;
      const states = async () => {
        const log = (await page.evaluate('window.__bench.log')) as { id: string; state: string; at: number }[];
        return log.filter((e) => e.id === victim && e.at >= restartedAt).map((e) => `${e.state}@+${e.at - restartedAt}`).join(' → ') || 'never left playing';
      };
      const victimJs = `(() => { const c = document.querySelector('[data-tile-id="${GRID_ID}"] [data-camera-id="${victim}"]');
        const l = (window.__iocPlayerLatency() || []).find((x) => x.cameraId === ${JSON.stringify(victim)});
        const now = Date.now();
        return { now, state: c ? c.dataset.state : null, frames: c ? Number(c.dataset.frames || 0) : 0,
          playingDate: l && l.latencyMs !== null ? now - l.latencyMs : null }; })()`;
      let prevFrames = -1;
      let candidate: number | null = null;
      while (Date.now() < deadline) {
        const v = (await page.evaluate(victimJs)) as { now: number; state: string | null; frames: number; playingDate: number | null };
        const advancing = prevFrames >= 0 && v.frames > prevFrames;
        prevFrames = v.frames;
        const fresh = v.state === 'playing' && v.playingDate !== null && v.playingDate >= restartedAt;
        if (fresh && candidate === null) candidate = v.now;
        if (!fresh) candidate = null;
        if (fresh && advancing && candidate !== null) {
          const maxGapMs = (await page.evaluate(`window.__bench.maxGap[${JSON.stringify(victim)}] || 0`)) as number;
          const s = await states();
          console.error(`recovery: ${victim} new-session frames ${candidate - restartedAt} ms after the restart; states ${s}; longest frame gap ${maxGapMs} ms`);
          return { ms: candidate - restartedAt, maxGapMs, states: s };
        }
        await sleep(50);
      }
      return { ms: null, maxGapMs: null, states: await states(), note: 'no new-session frames within 60 s' };
    };

    while (Date.now() < endAt) {
      const tickAt = Date.now();
      const sample = (await page.evaluate('window.__iocPlayerLatency ? window.__iocPlayerLatency() : null')) as { cameraId: string | null; latencyMs: number | null }[] | null;
      if (sample === null) throw new Error('window.__iocPlayerLatency missing: is the renderer rebuilt with the engine hook?');
      const playing = new Set(((await page.evaluate(CELLS_JS)) as Cell[]).filter((c) => c.state === 'playing').map((c) => c.id));
      // one latency per grid camera per tick is the work; a camera not playing (or without a position) is a hole in it
      const measuredNow = new Set(sample.filter((s) => s.latencyMs !== null && s.cameraId && playing.has(s.cameraId)).map((s) => s.cameraId!));
      for (const s of sample) if (s.latencyMs !== null && s.cameraId && measuredNow.has(s.cameraId)) latencies.push(s.latencyMs);
      ticks++;
      cellSamples += measuredNow.size;
      if (measuredNow.size === TILES) ticksAllMeasured++;
      fewestPlaying = Math.min(fewestPlaying, playing.size);
      for (const id of cameraIds) if (!measuredNow.has(id)) unmeasuredTicks.set(id, (unmeasuredTicks.get(id) ?? 0) + 1);

      if (Date.now() >= nextSeriesAt) {
        nextSeriesAt += MEMORY_SERIES_MS;
        const mem = await windowMemory(page, browserCdp);
        rssSeries.push(mb(mem.rssBytes));
        console.error(`+${Math.round((Date.now() - started) / 1000)} s: rss ${mb(mem.rssBytes)} MB, js heap ${mb(mem.jsHeapBytes)} MB`);
      }
      const elapsedMin = Math.floor((Date.now() - started) / 60_000);
      if (elapsedMin > minuteShown) {
        minuteShown = elapsedMin;
        const mem = await windowMemory(page, browserCdp);
        if (elapsedMin === 1) {
          memAt1 = mem;
          recovery = measureRecovery();
        }
        const q = (await page.evaluate(QUALITY_JS)) as { dropped: number; total: number };
        console.error(
          `minute ${elapsedMin}/${minutes}: playing ${playing.size}/16, latency p50 ${percentile(latencies, 50)} ms (${latencies.length} samples), dropped ${q.dropped}/${q.total}, rss ${mb(mem.rssBytes)} MB, js heap ${mb(mem.jsHeapBytes)} MB`,
        );
      }
      await sleep(Math.max(0, Math.min(SAMPLE_MS - (Date.now() - tickAt), endAt - Date.now())));
    }
    const rec = recovery ? await recovery : { ms: null, maxGapMs: null, states: '', note: 'no restart (run shorter than a minute)' };
    const memEnd = await windowMemory(page, browserCdp);
    console.error(`end (${minutes} min): latency p50 ${percentile(latencies, 50)} ms (${latencies.length} samples), rss ${mb(memEnd.rssBytes)} MB, js heap ${mb(memEnd.jsHeapBytes)} MB`);
    const quality = (await page.evaluate(QUALITY_JS)) as { dropped: number; total: number; videos: number };
    const rssGrowth = growth(memAt1?.rssBytes ?? null, memEnd.rssBytes);
    const heapGrowth = growth(memAt1?.jsHeapBytes ?? null, memEnd.jsHeapBytes);
    const latencyMeasured = coverage(cellSamples, ticks * TILES);
    return {
      bench: 'camera-wall',
      tiles: TILES,
      // how much of the run the latency figures cover: every camera at every tick, or which ones were missing how often
      complete: latencyMeasured.complete && rec.ms !== null,
      latency_measured: latencyMeasured,
      ticks_all_cameras_measured: ticksAllMeasured,
      ticks,
      fewest_playing: fewestPlaying,
      unmeasured_ticks_by_camera: Object.fromEntries(unmeasuredTicks),
      ttff_p50_ms: round(percentile(ttff, 50)),
      ttff_p95_ms: round(percentile(ttff, 95)),
      latency_p50_ms: round(percentile(latencies, 50)),
      latency_p95_ms: round(percentile(latencies, 95)),
      latency_samples: latencies.length,
      dropped_pct: quality.total ? round((quality.dropped / quality.total) * 100, 3) : null,
      dropped_frames: quality.dropped,
      total_frames: quality.total,
      recovery_ms: rec.ms,
      recovery_max_frame_gap_ms: rec.maxGapMs,
      recovery_states: rec.states,
      ...(rec.note ? { recovery_note: rec.note } : {}),
      mem_growth_pct: rssGrowth ?? heapGrowth,
      mem_metric: rssGrowth !== null ? 'renderer_rss' : 'js_heap_used',
      rss_mb: { at_1_min: mb(memAt1?.rssBytes ?? null), end: mb(memEnd.rssBytes) },
      rss_mb_every_30_s: rssSeries,
      js_heap_mb: { at_1_min: mb(memAt1?.jsHeapBytes ?? null), end: mb(memEnd.jsHeapBytes) },
      js_heap_growth_pct: heapGrowth,
      viewport: `${viewport.width}x${viewport.height}`,
      minutes,
    };
  } finally {
    closeClient();
    pageCdp?.close();
    browserCdp?.close();
    await host?.stop();
    await cameraServer?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

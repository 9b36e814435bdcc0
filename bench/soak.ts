/**
 * soak: the demo wall left running — the Chromium host as a process (headless windows, the demo
 * 2×2 wall, the simulated province with its gateways and HLS cameras, as layouts/gateways/demo.yaml
 * runs it), a console recalling the presets and activating the demo scenarios in turn, one change
 * every 30 s, for N minutes. Every minute (minute 0 once the wall is up): the host's RSS and open
 * file descriptors (/proc/<pid>), each wall window's renderer RSS and JS heap after a GC (over its
 * DevTools socket; bench/support/window-memory.ts), and the data folder's SQLite files (with their
 * -wal and -shm). Growth: the least-squares slope per hour after a warm-up of 10 minutes (2 for a
 * run shorter than 11 minutes), as a percent of the value at the warm-up's end
 * (bench/support/growth.ts); for windows the worst window. A goal is met only when every sample
 * measured everything (`measured`).
 *
 * `npm run bench -- soak [--minutes N]` (default 60; not part of npm test)
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CdpSession } from '../electron/node/chromium-host/cdp.js';
import { headlessCompositing } from '../electron/node/chromium-host/chromium.js';
import type { ScenarioRun } from '../native-bridge/scenario-run.js';
import { maxOf } from '../native-bridge/extremes.js';
import { connectConsole } from '../test/support/accounts.js';
import { spawnHost, type HostProcess } from '../test/support/host-process.js';
import { waitFor } from '../test/support/page-wait.js';
import { SEQUENCE } from './scenario-recall.js';
import { round } from './stats.js';
import { growthAfter, type Growth, type Sample } from './support/growth.js';
import { coverage } from './support/verdicts.js';
import { rssOf, windowMemory } from './support/window-memory.js';

const GOAL_PCT_PER_H = 5;
const CHANGE_EVERY_MS = 30_000;
const SAMPLE_EVERY_MS = 60_000;
const PRESETS = ['overview', 'map', 'cameras', 'field', 'indicators', 'briefing'];

interface Reading {
  minute: number;
  hostRss: number | null;
  fds: number | null;
  dbBytes: Record<string, number>;
  windows: Record<string, { rss: number | null; heap: number }>;
}

/** Bytes of each SQLite database in the folder, its -wal and -shm counted with it. */
function databaseBytes(dataDir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of readdirSync(dataDir)) {
    const db = /^(.+\.sqlite)(-wal|-shm)?$/.exec(name)?.[1];
    if (!db) continue;
    try {
      out[db] = (out[db] ?? 0) + statSync(join(dataDir, name)).size;
    } catch {
      // a -wal checkpointed away between the listing and the stat
    }
  }
  return out;
}

function openFds(pid: number): number | null {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return null;
  }
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const lcm = (a: number, b: number) => (a / gcd(a, b)) * b;
const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);
const figure = (g: Growth) => (Number.isFinite(g.pctPerHour) ? round(g.pctPerHour, 2) : null);

export async function run(args: string[]): Promise<object> {
  // the scenarios' map tiles on software WebGL: as scenario-recall, compositing on the GPU process unless set
  process.env.IOC_WALL_HEADLESS_COMPOSITING ??= 'gpu';
  const at = args.indexOf('--minutes');
  const minutes = at === -1 ? 60 : Number(args[at + 1]);
  if (!(minutes >= 3)) throw new Error('usage: soak [--minutes N ≥ 3]');
  const warmup = minutes < 11 ? 2 : 10;
  const dataDir = mkdtempSync(join(tmpdir(), 'ioc-wall-soak-'));
  let host: HostProcess | null = null;
  const pages: { windowId: string; page: CdpSession }[] = [];
  let closeClient = () => {};
  try {
    const gatewaysFile = join(dataDir, 'gateways.yaml');
    writeFileSync(gatewaysFile, ["bind: { updates: 'tcp://127.0.0.1:*', control: 'tcp://127.0.0.1:*' }", 'simulate: true', 'simulatedCameras: { serve: true, port: 0 }', ''].join('\n'));
    host = await spawnHost({ dataDir, windows: 'headless', gatewaysFile, timeoutMs: 120_000 });
    const { pid } = host.runtime;
    const connection = await connectConsole(host.runtime, host.dataDir);
    const { client } = connection;
    closeClient = () => connection.transport.close();
    for (const w of host.runtime.windows.filter((x) => x.windowId !== 'console')) {
      const devtools = w.devtools;
      if (!devtools) throw new Error(`window ${w.windowId} has no DevTools socket`);
      pages.push({ windowId: w.windowId, page: await waitFor(`the ${w.windowId} page`, 30_000, () => CdpSession.openPage(devtools, (url) => url.includes(`window=${w.windowId}`))) });
    }
    console.error(`soak: ${minutes} min, ${pages.length} wall windows, a wall change every ${CHANGE_EVERY_MS / 1000} s, warm-up ${warmup} min; ${cpus().length} cores, load ${loadavg().map((x) => round(x, 2)).join(' ')}`);

    // presets and scenarios in turn: scenario, preset, scenario, … (the run is closed before the next preset)
    let change = 0;
    let open: ScenarioRun | null = null;
    const failures: string[] = [];
    const nextChange = async () => {
      const i = change++;
      try {
        if (i % 2 === 0) {
          const { scenario, incident } = SEQUENCE[(i / 2) % SEQUENCE.length]!;
          open = (await client.call('scenarios.activate', { scenario, incident })).run;
        } else {
          if (open) await client.call('scenarios.close', { runId: open.runId, note: 'soak bench' });
          open = null;
          await client.call('wall.execute', { command: { type: 'apply-preset', name: PRESETS[((i - 1) / 2) % PRESETS.length]! } });
        }
      } catch (error) {
        failures.push(`change ${i}: ${(error as Error).message}`);
      }
    };

    const readings: Reading[] = [];
    const sample = async (minute: number) => {
      const windows: Reading['windows'] = {};
      for (const { windowId, page } of pages) {
        const m = await windowMemory(page, page).catch(() => ({ rssBytes: null, jsHeapBytes: NaN }));
        windows[windowId] = { rss: m.rssBytes, heap: m.jsHeapBytes };
      }
      const r: Reading = { minute, hostRss: rssOf(pid), fds: openFds(pid), dbBytes: databaseBytes(dataDir), windows };
      readings.push(r);
      const dbTotal = Object.values(r.dbBytes).reduce((a, b) => a + b, 0);
      console.error(`minute ${minute}/${minutes}: host ${r.hostRss === null ? '-' : mb(r.hostRss)} MB, ${r.fds ?? '-'} fds; windows ${pages.map(({ windowId }) => `${windowId} ${mb(windows[windowId]!.rss ?? NaN)}/${mb(windows[windowId]!.heap)}`).join(', ')} MB rss/heap; databases ${mb(dbTotal)} MB; ${change} changes, ${failures.length} failed`);
    };

    const started = Date.now();
    await sample(0);
    let nextChangeAt = started + CHANGE_EVERY_MS;
    for (let minute = 1; minute <= minutes; minute++) {
      const sampleAt = started + minute * SAMPLE_EVERY_MS;
      while (nextChangeAt < sampleAt) {
        await sleep(Math.max(0, nextChangeAt - Date.now()));
        await nextChange();
        nextChangeAt += CHANGE_EVERY_MS;
      }
      await sleep(Math.max(0, sampleAt - Date.now()));
      // spawnHost reports a host that never came up; one that dies later is told here, with its last words
      if (!host.alive()) throw new Error(`the host exited at minute ${minute}:\n${host.output().slice(-3000)}`);
      await sample(minute);
    }

    const series = (pick: (r: Reading) => number | null): Sample[] => readings.map((r) => ({ minute: r.minute, value: pick(r) ?? NaN }));
    const dbTotal = (r: Reading) => Object.values(r.dbBytes).reduce((a, b) => a + b, 0);
    const perWindow = pages.map(({ windowId }) => ({
      windowId,
      rss: growthAfter(series((r) => r.windows[windowId]?.rss ?? null), warmup),
      heap: growthAfter(series((r) => r.windows[windowId]?.heap ?? null), warmup),
    }));
    const host_rss = growthAfter(series((r) => r.hostRss), warmup);
    const db = growthAfter(series(dbTotal), warmup);
    const fd = growthAfter(series((r) => r.fds), warmup);
    const worst = (pick: (w: (typeof perWindow)[number]) => Growth) => maxOf(perWindow.map((w) => pick(w).pctPerHour));
    const complete = readings.filter((r) => r.hostRss !== null && r.fds !== null && pages.every(({ windowId }) => r.windows[windowId]?.rss !== null && Number.isFinite(r.windows[windowId]?.heap)));
    const measured = coverage(complete.length, minutes + 1);
    const pcts = { host_rss: host_rss.pctPerHour, window_rss: worst((w) => w.rss), window_heap: worst((w) => w.heap), db: db.pctPerHour, fd: fd.pctPerHour };
    const goals = Object.fromEntries(Object.entries(pcts).map(([k, v]) => [k, measured.complete && v <= GOAL_PCT_PER_H]));
    const last = readings.at(-1)!;
    const atWarmup = readings.find((r) => r.minute >= warmup)!;
    return {
      bench: 'soak',
      minutes,
      samples: readings.length,
      warmup_minutes: warmup,
      host_rss_growth_pct_per_h: figure(host_rss),
      window_rss_growth_pct_per_h: Number.isFinite(pcts.window_rss) ? round(pcts.window_rss, 2) : null,
      window_heap_growth_pct_per_h: Number.isFinite(pcts.window_heap) ? round(pcts.window_heap, 2) : null,
      db_growth_pct_per_h: figure(db),
      fd_growth_per_h: Number.isFinite(fd.perHour) ? round(fd.perHour, 1) : null,
      fd_growth_pct_per_h: figure(fd),
      goal_pct_per_h: GOAL_PCT_PER_H,
      goals_met: Object.values(goals).every(Boolean),
      goals,
      measured,
      // the wall comes back to the same layout every this many minutes: a fit over less of the run than that reads the layouts it caught
      cycle_minutes: (2 * lcm(SEQUENCE.length, PRESETS.length) * CHANGE_EVERY_MS) / 60_000,
      wall_changes: change,
      wall_changes_failed: failures.length,
      first_failures: failures.slice(0, 5),
      // at the warm-up's end and at the end; window figures are renderer RSS / JS heap after a GC
      mb: {
        host_rss: [mb(atWarmup.hostRss ?? NaN), mb(last.hostRss ?? NaN)],
        databases: Object.fromEntries(Object.keys(last.dbBytes).map((k) => [k, [mb(atWarmup.dbBytes[k] ?? 0), mb(last.dbBytes[k]!)]])),
        windows: Object.fromEntries(pages.map(({ windowId }) => [windowId, { rss: [mb(atWarmup.windows[windowId]?.rss ?? NaN), mb(last.windows[windowId]?.rss ?? NaN)], heap: [mb(atWarmup.windows[windowId]?.heap ?? NaN), mb(last.windows[windowId]?.heap ?? NaN)] }])),
      },
      fds: [atWarmup.fds, last.fds],
      per_window_pct_per_h: Object.fromEntries(perWindow.map((w) => [w.windowId, { rss: figure(w.rss), heap: figure(w.heap) }])),
      compositing: headlessCompositing(),
      cores: cpus().length,
      loadavg: loadavg().map((x) => round(x, 2)),
    };
  } finally {
    closeClient();
    for (const { page } of pages) page.close();
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
}

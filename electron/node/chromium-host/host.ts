/**
 * The Chromium host: the wall runtime (serving HTTP + WebSocket on loopback) and one Chromium
 * window per display plus the console. The display windows it opens are enrolled by the host
 * itself (credential-handover.ts); the console signs a person in. It writes a runtime file (mode
 * 0600) that tools such as `npm run snapshot` use to find the running wall and its windows'
 * DevTools sockets.
 */
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { displaySlots } from '../../../native-bridge/wall-geometry.js';
import type { RunningSimulator } from '../../common/ports.js';
import { defaultIndicatorsDir, defaultScenariosDir } from '../project-paths.js';
import { startRuntime, type Runtime, type RuntimeOptions } from '../runtime.js';
import { chromiumPdfPrinter } from './pdf-printer.js';
import type { WindowMode } from '../runtime-options.js';
import { handOverCredential } from './credential-handover.js';
import type { TlsFiles } from '../http/tls-files.js';
import { ensureChromium, findRunningWindow, killOrphanWindows, launchWindow, waitForDevTools, type ChromiumWindow, type WindowSpec } from './chromium.js';

export interface ChromiumHostOptions<S extends RunningSimulator = RunningSimulator> extends Omit<RuntimeOptions<S>, 'host' | 'serve' | 'indicatorsDir' | 'scenariosDir'> {
  /** layouts/indicators and layouts/scenarios of the project when absent. */
  indicatorsDir?: string;
  scenariosDir?: string;
  rendererDir: string;
  /** 'none' serves the wall without opening windows (display PCs connect on their own). */
  windows: WindowMode | 'none';
  /** Default 127.0.0.1. */
  listenHost?: string | undefined;
  port?: number;
  /** More names display PCs reach the host by (see wall-server.ts). */
  hostNames?: readonly string[];
  /** Serve HTTPS/WSS with these; required when listenHost is not loopback (tls-files.ts). */
  tls?: TlsFiles | undefined;
  /**
   * Called once the runtime runs, before any window opens: a window holding its credential can
   * paint before this function returns, so whoever times the first paints (the cold-start bench)
   * listens from here.
   */
  onRuntime?: (runtime: Runtime<S>) => void;
}

export interface RuntimeInfo {
  pid: number;
  wallId: string;
  baseUrl: string;
  consoleUrl: string;
  databaseFile: string;
  gateways: { updates: string; control: string; hostPublicKey: string };
  /** devtools: the window's DevTools socket (unix, 0600), null before its relay listens. */
  windows: { windowId: string; url: string; pid: number | undefined; devtools: string | null }[];
}

export interface ChromiumHost<S extends RunningSimulator = RunningSimulator> extends Runtime<S> {
  baseUrl: string;
  windowUrl(windowId: string): string;
  windows: ChromiumWindow[];
  runtime(): RuntimeInfo;
  refusedCount(): number;
}

export function runtimeFile(dataDir: string, wallId: string): string {
  return join(dataDir, `runtime-${wallId}.json`);
}

export async function startChromiumHost<S extends RunningSimulator = RunningSimulator>(options: ChromiumHostOptions<S>): Promise<ChromiumHost<S>> {
  const log = options.log ?? ((line: string) => console.error(line));
  const { rendererDir, windows: windowMode, listenHost, port, hostNames, tls, indicatorsDir, scenariosDir, onRuntime, ...runtimeOptions } = options;
  const wallRuntime = await startRuntime<S>({
    ...runtimeOptions,
    host: 'chromium',
    pdfPrinter: runtimeOptions.pdfPrinter ?? chromiumPdfPrinter(),
    indicatorsDir: indicatorsDir ?? defaultIndicatorsDir,
    scenariosDir: scenariosDir ?? defaultScenariosDir,
    log,
    serve: { rendererDir, listenHost: listenHost ?? '127.0.0.1', port: port ?? 0, hostNames, tls },
  });
  onRuntime?.(wallRuntime);
  const { core, field } = wallRuntime;
  const server = wallRuntime.server!;
  const { windowUrl } = server;

  const windows: ChromiumWindow[] = [];
  try {
    if (windowMode !== 'none') {
      const chromium = ensureChromium(log);
      const profiles = join(options.dataDir, 'chromium-profiles');
      const { wall } = core;
      const c = wall.console;
      const trustedSpki = server.certificatePin;
      const specs: WindowSpec[] = [{ windowId: 'console', url: windowUrl('console'), x: c.x, y: c.y, width: c.width, height: c.height, kiosk: false, trustedSpki }];
      for (const slot of displaySlots(wall)) {
        const x = wall.origin.x + slot.column * wall.display.width;
        const y = wall.origin.y + slot.row * wall.display.height;
        specs.push({ windowId: slot.windowId, url: windowUrl(slot.windowId), x, y, width: wall.display.width, height: wall.display.height, kiosk: true, trustedSpki });
      }
      // Windows a crashed host left showing this very URL (same port: the supervisor hands it to
      // the next host) are kept; they reconnect their WebSocket with the credential they hold.
      const kept = new Map(specs.flatMap((spec) => {
        const pid = findRunningWindow(spec, windowMode, profiles);
        return pid === null ? [] : [[spec.windowId, pid] as const];
      }));
      if (killOrphanWindows(profiles, log, new Set(kept.keys())) > 0) await sleep(200);
      if (kept.size > 0) log(`ioc-wall: kept ${kept.size} windows of the previous host: ${[...kept.keys()].join(', ')}`);
      // a window that died is back in seconds, often before its display is missed: the operator is told anyway
      const exited = (windowId: string, why: string, restartInMs: number) => {
        const name = windowId === 'console' ? { vi: 'Cửa sổ điều khiển', en: 'The console window' } : { vi: core.displays.nameOf(windowId), en: `Display window ${windowId}` };
        core.alerts.raise('warning', 'display', {
          vi: `${name.vi} bị đóng bất thường (${why.trim().slice(0, 120)}); tự mở lại sau ${Math.round(restartInMs / 1000)} giây`,
          en: `${name.en} exited unexpectedly (${why.trim().slice(0, 120)}); reopening in ${Math.round(restartInMs / 1000)} s`,
        });
      };
      for (const spec of specs) windows.push(launchWindow(chromium, spec, windowMode, profiles, { log, exited }, kept.get(spec.windowId)));
      await waitForDevTools(windows);
      const origin = new URL(server.baseUrl).origin;
      await Promise.all(windows.filter((w) => w.windowId !== 'console').map((w) => handOverCredential(w, origin, core.displays)));
    }
  } catch (error) {
    await Promise.all(windows.map((w) => w.close()));
    await wallRuntime.close();
    throw error;
  }

  const runtime = (): RuntimeInfo => ({
    pid: process.pid,
    wallId: core.wall.id,
    baseUrl: server.baseUrl,
    consoleUrl: windowUrl('console'),
    databaseFile: core.databaseFile,
    gateways: { ...field.endpoints, hostPublicKey: field.hostPublicKey },
    windows: ['console', ...displaySlots(core.wall).map((s) => s.windowId)].map((windowId) => {
      const w = windows.find((x) => x.windowId === windowId);
      return { windowId, url: windowUrl(windowId), pid: w?.pid(), devtools: w?.devtools() ?? null };
    }),
  });
  const file = runtimeFile(options.dataDir, core.wall.id);
  writeFileSync(file, JSON.stringify(runtime(), null, 2));
  chmodSync(file, 0o600);

  return {
    ...wallRuntime,
    baseUrl: server.baseUrl,
    windowUrl,
    windows,
    runtime,
    refusedCount: () => server.refusedCount(),
    async close() {
      await Promise.all(windows.map((w) => w.close()));
      rmSync(file, { force: true });
      await wallRuntime.close();
    },
  };
}

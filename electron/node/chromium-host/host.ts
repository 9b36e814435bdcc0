/**
 * The Chromium host: the core, an HTTP + WebSocket server on loopback with a per-launch token, and
 * one Chromium window per display plus the console. It writes a runtime file (mode 0600) that
 * tools such as `npm run snapshot` use to find the running wall.
 */
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendEvent, serveOverPort } from '../../../native-bridge/channel.js';
import { attachWebSocketGateway } from '../../../native-bridge/transports/websocket-server.js';
import { displaySlots } from '../../../native-bridge/wall-geometry.js';
import { gatewaysConfig } from '../../../native-bridge/contract.js';
import { newLaunchToken, startCore, type Core } from '../core.js';
import { startFieldLink, type FieldLink } from '../field/field-link.js';
import { createGisImportPort } from '../gis/gis-import-port.js';
import { startGis } from '../gis/gis-service.js';
import { seedDemoIndicatorDatasets } from '../indicators/demo-datasets.js';
import { startIndicators } from '../indicators/indicator-service.js';
import { defaultIndicatorsDir, defaultScenariosDir } from '../project-paths.js';
import type { GatewayLog } from '../gateway/log.js';
import { parseYamlFile } from '../layout-files.js';
import { ensureChromium, killOrphanWindows, launchWindow, waitForDevTools, type ChromiumWindow, type WindowMode } from './chromium.js';
import { createStaticServer } from './static-server.js';

export interface ChromiumHostOptions {
  wallFile: string;
  presetsDir: string;
  /** layouts/indicators of the project when absent. */
  indicatorsDir?: string;
  /** layouts/scenarios of the project when absent. */
  scenariosDir?: string;
  gatewaysFile: string;
  dataDir: string;
  rendererDir: string;
  /** The base map (MBTiles or PMTiles); the bundled demo base map when absent. */
  basemapFile?: string;
  /** 'none' serves the wall without opening windows (display PCs connect on their own). */
  windows: WindowMode | 'none';
  listenHost?: string;
  port?: number;
  log?: (line: string) => void;
}

export interface RuntimeInfo {
  pid: number;
  wallId: string;
  baseUrl: string;
  token: string;
  consoleUrl: string;
  databaseFile: string;
  gateways: { updates: string; control: string; hostPublicKey: string };
  windows: { windowId: string; url: string; pid: number | undefined; cdpUrl: string | null }[];
}

export interface ChromiumHost {
  core: Core;
  field: FieldLink;
  baseUrl: string;
  token: string;
  windowUrl(windowId: string): string;
  windows: ChromiumWindow[];
  runtime(): RuntimeInfo;
  refusedCount(): number;
  close(): Promise<void>;
}

export function runtimeFile(dataDir: string, wallId: string): string {
  return join(dataDir, `runtime-${wallId}.json`);
}

export async function startChromiumHost(options: ChromiumHostOptions): Promise<ChromiumHost> {
  const log = options.log ?? ((line: string) => console.error(line));
  const core = await startCore({ wallFile: options.wallFile, presetsDir: options.presetsDir, dataDir: options.dataDir, host: 'chromium', scenariosDir: options.scenariosDir ?? defaultScenariosDir });
  const gatewayLog: GatewayLog = (entry) => log(JSON.stringify(entry));
  const fieldConfig = parseYamlFile(options.gatewaysFile, gatewaysConfig);
  const field = await startFieldLink(core, fieldConfig, options.dataDir, gatewayLog);
  const gis = await startGis({ dataDir: options.dataDir, live: core.live, basemapFile: options.basemapFile, seedDemoDatasets: fieldConfig.simulate, log });
  core.attachSpatial(gis.spatial);
  core.attachGisImport(createGisImportPort(gis));
  if (fieldConfig.simulate) await seedDemoIndicatorDatasets(gis.datasets, log);
  const indicators = startIndicators({ dir: options.indicatorsDir ?? defaultIndicatorsDir, db: core.db, live: core.live, alerts: core.alerts, datasets: gis.datasets, log });
  core.attachIndicators(indicators);
  const token = newLaunchToken();
  const listenHost = options.listenHost ?? '127.0.0.1';
  const http = createStaticServer(options.rendererDir, (pathname) => gis.handleHttp(pathname));
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, listenHost, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const baseUrl = `http://${listenHost === '0.0.0.0' ? '127.0.0.1' : listenHost}:${port}`;
  const allowedOrigins = [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://${listenHost}:${port}`];

  let refused = 0;
  let lastSecurityAlert = 0;
  const gateway = attachWebSocketGateway({
    server: http,
    path: '/ws',
    token,
    allowedOrigins: () => allowedOrigins,
    onConnection(socketPort) {
      const session = core.openSession((event, payload) => sendEvent(socketPort, event, payload));
      socketPort.onClose(() => session.close());
      serveOverPort(session, socketPort, (rejection) => {
        refused++;
        log(JSON.stringify({ event: 'message-rejected', ...rejection }));
      });
    },
    onRefused(info) {
      refused++;
      log(JSON.stringify({ event: 'connection-refused', ...info }));
      // One alert a minute at most: a scan must not flood the operators' alert list.
      if (Date.now() - lastSecurityAlert > 60_000) {
        lastSecurityAlert = Date.now();
        core.alerts.raise('warning', 'security', {
          vi: `Từ chối kết nối tới máy chủ tường: ${info.reason} (${info.remote})`,
          en: `Refused a connection to the wall host: ${info.reason} (${info.remote})`,
        });
      }
    },
  });

  const windowUrl = (windowId: string) => `${baseUrl}/index.html?window=${windowId}#token=${token}`;
  const windows: ChromiumWindow[] = [];
  if (options.windows !== 'none') {
    const chromium = ensureChromium(log);
    const profiles = join(options.dataDir, 'chromium-profiles');
    killOrphanWindows(profiles, log);
    await sleep(200);
    const { wall } = core;
    const c = wall.console;
    windows.push(launchWindow(chromium, { windowId: 'console', url: windowUrl('console'), x: c.x, y: c.y, width: c.width, height: c.height, kiosk: false }, options.windows, profiles, log));
    for (const slot of displaySlots(wall)) {
      const x = wall.origin.x + slot.column * wall.display.width;
      const y = wall.origin.y + slot.row * wall.display.height;
      windows.push(launchWindow(chromium, { windowId: slot.windowId, url: windowUrl(slot.windowId), x, y, width: wall.display.width, height: wall.display.height, kiosk: true }, options.windows, profiles, log));
    }
    await waitForDevTools(windows);
  }

  const runtime = (): RuntimeInfo => ({
    pid: process.pid,
    wallId: core.wall.id,
    baseUrl,
    token,
    consoleUrl: windowUrl('console'),
    databaseFile: core.databaseFile,
    gateways: { ...field.endpoints, hostPublicKey: field.hostPublicKey },
    windows: ['console', ...displaySlots(core.wall).map((s) => s.windowId)].map((windowId) => {
      const w = windows.find((x) => x.windowId === windowId);
      return { windowId, url: windowUrl(windowId), pid: w?.pid(), cdpUrl: w?.cdpUrl() ?? null };
    }),
  });
  const file = runtimeFile(options.dataDir, core.wall.id);
  writeFileSync(file, JSON.stringify(runtime(), null, 2));
  chmodSync(file, 0o600);

  return {
    core,
    field,
    baseUrl,
    token,
    windowUrl,
    windows,
    runtime,
    refusedCount: () => refused,
    async close() {
      await Promise.all(windows.map((w) => w.close()));
      await gateway.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      rmSync(file, { force: true });
      await field.close();
      core.attachSpatial(null);
      core.attachGisImport(null);
      core.attachIndicators(null);
      indicators.close();
      await gis.close();
      await core.close();
    },
  };
}

/**
 * The one composition root of a wall host. Both hosts call startRuntime — the Chromium host
 * (electron/node/chromium-host) and the Electron shell (electron/electron-main) — and add only their
 * windows and their transport. Everything a wall host runs is started here, in this order, and
 * closed in reverse by close():
 *   core (wall, database, controller, alerts, sessions) → the primary/backup pair when the wall
 *   file names one (peer link, Binary Star, journal replication) → gateway link (ZeroMQ hub, telemetry
 *   cache, the embedded simulated province when the gateways file asks for it) → GIS (datasets,
 *   base map, spatial index) → indicators → scenarios → HTTP/WebSocket serving (when asked).
 */
import { join } from 'node:path';
import { gatewaysConfig, type GatewaysConfig } from '../../native-bridge/contract.js';
import type { FieldSimulator, PdfPrinter, RunningSimulator } from '../common/ports.js';
import { firstRun } from './accounts/first-run.js';
import { startCore, type Core, type CoreOptions } from './core.js';
import { startFieldLink, type FieldLink } from './field/field-link.js';
import { attachGatewayAdmin } from './field/gateway-admin.js';
import { createGisImportPort } from './gis/gis-import-port.js';
import { importFolders } from './gis/import-folders.js';
import { startGis, type GisService } from './gis/gis-service.js';
import { startWallServer, type WallServer } from './http/wall-server.js';
import { serverTls, type TlsFiles } from './http/tls-files.js';
import { seedDemoIndicatorDatasets } from './indicators/demo-datasets.js';
import { startIndicators, type IndicatorService } from './indicators/indicator-service.js';
import { parseYamlFile } from './layout-files.js';
import type { HostFiles } from './runtime-options.js';
import { startScenarios, type ScenarioTuning } from './scenarios/start-scenarios.js';
import { GIS_DATABASE_FILE } from './gis/dataset-store.js';
import { ensurePrivateDataDir } from './sqlite-files.js';
import { loadSealedStorageKey, type KeySeal } from './storage-key.js';
import { rebuiltAlert } from './storage-watch.js';
import { WallBackups } from './wall-backups.js';
import type { ScenarioEngine } from './scenarios/scenario-engine.js';
import { startPair } from './pair/start-pair.js';
import type { PairService, PairTimings } from './pair/pair-service.js';

export interface RuntimeOptions<S extends RunningSimulator = RunningSimulator> extends HostFiles {
  host: 'electron' | 'chromium';
  /** The embedded simulated province, run when the gateways file says `simulate: true`. */
  simulator?: FieldSimulator<S> | undefined;
  /** Serve the renderer and /ws on this address (the Chromium host's windows, display PCs); null = no HTTP. */
  serve: { listenHost: string; port: number; rendererDir: string; hostNames?: readonly string[] | undefined; tls?: TlsFiles | undefined } | null;
  scenarioTuning?: ScenarioTuning;
  /** Seals the storage key at rest (the Electron shell: safeStorage); none = a plain 0600 key file. */
  keySeal?: KeySeal | undefined;
  /** Prints after-action reports as PDF (the Chromium host: a headless Chromium; the Electron shell: printToPDF). */
  pdfPrinter?: PdfPrinter | undefined;
  /** How often the wall database is backed up (default 10 minutes; also at start and at a clean stop). */
  backupIntervalMs?: number;
  log?: (line: string) => void;
  /** Set by a supervisor restarting a crashed host: the alert says why. */
  restart?: { cause: string };
  /** Session lifetimes and the sign-in clock (tests). */
  auth?: CoreOptions['auth'];
  /** The pair's heartbeat and peer-death timings (tests). */
  pairTimings?: Partial<PairTimings>;
}

export interface Runtime<S extends RunningSimulator = RunningSimulator> {
  core: Core;
  /** The primary/backup pair's service; null for a standalone wall. */
  pair: PairService | null;
  field: FieldLink;
  /** The running simulated province, when the gateways file asked for one. */
  simulation: S | null;
  gis: GisService;
  indicators: IndicatorService;
  scenarios: ScenarioEngine;
  /** Null when the runtime was started without `serve`. */
  server: WallServer | null;
  close(): Promise<void>;
}

export async function startRuntime<S extends RunningSimulator = RunningSimulator>(options: RuntimeOptions<S>): Promise<Runtime<S>> {
  const log = options.log ?? ((line: string) => console.error(line));
  const fieldConfig: GatewaysConfig = parseYamlFile(options.gatewaysFile, gatewaysConfig);
  if (fieldConfig.simulate && !options.simulator) {
    throw new Error(`${options.gatewaysFile} asks for the embedded simulated province (simulate: true), but this host was started without one`);
  }
  // before anything is opened: a host that may not serve as asked does not start at all
  const tls = options.serve ? serverTls(options.serve.listenHost, options.serve.tls) : null;
  const closers: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer();
  };
  try {
    // The data folder holds the operators' journal, alerts and the gateways' keys: the host's user only.
    ensurePrivateDataDir(options.dataDir);
    const core = await startCore({
      wallFile: options.wallFile,
      presetsDir: options.presetsDir,
      dataDir: options.dataDir,
      host: options.host,
      restartCause: options.restart?.cause,
      restoreBackup: options.restoreBackup,
      ...(options.pairNode !== undefined ? { nodeId: options.pairNode } : {}),
      storageKey: options.keySeal ? await loadSealedStorageKey(options.dataDir, options.keySeal) : undefined,
      ...(options.auth ? { auth: options.auth } : {}),
      pdfPrinter: options.pdfPrinter,
    });
    closers.push(() => core.close());
    // no account yet: the demo gets a printed administrator, a real installation a setup code
    await firstRun(core.auth, { demo: fieldConfig.simulate, print: log });
    const backups = new WallBackups(core.db, core.databaseFile, core.storageKey, {
      intervalMs: options.backupIntervalMs,
      onFailure: (error) => {
        log(`ioc-wall: backup failed: ${error.message}`);
        if (core.storage.failed(core.databaseFile, error)) return;
        core.alerts.raise('critical', 'storage', { vi: `Không sao lưu được cơ sở dữ liệu tường: ${error.message}`, en: `The wall database could not be backed up: ${error.message}` });
      },
    });
    closers.push(() => backups.close());
    await backups.backupNow();
    // before anything that may change the wall: a node of a pair changes it only once it is active
    const pair = await startPair(core, { pairNode: options.pairNode, dataDir: options.dataDir, log: (entry) => log(JSON.stringify(entry)), timings: options.pairTimings });
    if (pair) {
      closers.push(() => pair.close());
      core.attachPair(pair);
      closers.push(() => core.attachPair(null));
    }
    const simulator = fieldConfig.simulate ? (options.simulator ?? null) : null;
    const field = await startFieldLink<S>(core, fieldConfig, options.dataDir, (entry) => log(JSON.stringify(entry)), simulator);
    closers.push(() => field.close());
    closers.push(attachGatewayAdmin(core, field, options.gatewaysFile, log));
    // drills play the embedded simulated province's incidents; a host on real gateways has none
    const simulation = field.simulation;
    if (simulation?.playDrill) {
      core.attachDrills((incident) => simulation.playDrill!(incident));
      closers.push(() => core.attachDrills(null));
    }
    if (field.cache.movedAside) core.alerts.raise('critical', 'storage', rebuiltAlert('telemetry cache', field.cache.file, field.cache.movedAside));
    // The demo province's datasets come with the simulated province, never with real gateways.
    const gis = await startGis({ dataDir: options.dataDir, storageKey: core.storageKey, live: core.live, basemapFile: options.basemapFile, seedDemoDatasets: fieldConfig.simulate, log });
    closers.push(() => gis.close());
    if (gis.datasets.movedAside) core.alerts.raise('critical', 'storage', rebuiltAlert('GIS datasets', join(options.dataDir, GIS_DATABASE_FILE), gis.datasets.movedAside));
    core.attachSpatial(gis.spatial);
    core.attachGisImport(createGisImportPort(gis, { importDirs: importFolders(options) }));
    closers.push(() => {
      core.attachSpatial(null);
      core.attachGisImport(null);
    });
    if (fieldConfig.simulate) await seedDemoIndicatorDatasets(gis.datasets, log);
    const indicators = startIndicators({ dir: options.indicatorsDir, db: core.db, live: core.live, alerts: core.alerts, datasets: gis.datasets, log });
    closers.push(() => indicators.close());
    core.attachIndicators(indicators);
    closers.push(() => core.attachIndicators(null));
    const scenarios = startScenarios(core, { dir: options.scenariosDir, ...options.scenarioTuning });
    closers.push(() => {
      core.attachScenarios(null);
      scenarios.dispose();
    });
    let server: WallServer | null = null;
    if (options.serve) {
      const pairAddresses = core.wall.pair ? [core.wall.pair.primary.address, core.wall.pair.backup.address] : [];
      server = await startWallServer(core, { ...options.serve, tls, pairAddresses, route: (pathname) => gis.handleHttp(pathname), log });
      closers.push(() => server!.close());
    }
    return { core, pair, field, simulation: field.simulation, gis, indicators, scenarios, server, close };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}

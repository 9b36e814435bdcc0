/**
 * The one parser of a wall host's options: `npm start`, the Chromium host, the Electron shell and
 * `npm run snapshot` all read their command line (and environment) here, so both hosts accept the
 * same flags and fill in the same defaults.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { TlsFiles } from './http/tls-files.js';
import { layoutsDir as projectLayoutsDir } from './project-paths.js';

/** How the Chromium host opens its windows: app windows on a desktop, or headless Chromium. */
export type WindowMode = 'app' | 'headless';

/** Where a wall host's definitions and data are. */
export interface HostFiles {
  wallFile: string;
  presetsDir: string;
  indicatorsDir: string;
  scenariosDir: string;
  gatewaysFile: string;
  dataDir: string;
  /** The base map (MBTiles or PMTiles); undefined = the bundled demo base map. */
  basemapFile?: string | undefined;
  /** A wall database backup to put back before start: a file, or 'latest' (the newest in <dataDir>/backups). */
  restoreBackup?: string | undefined;
  /** Folders gis.import may read from besides <dataDir>/imports (--import-dir). */
  importDirs?: readonly string[] | undefined;
  /** Which node of the wall file's primary/backup pair this host is (--node); undefined = standalone. */
  pairNode?: string | undefined;
}

export interface HostArgs extends HostFiles {
  /** Chromium host windows ('none' = serve only, display PCs connect on their own). The Electron shell opens its own. */
  windows: WindowMode | 'none';
  /** Address to serve the wall on; undefined when not given (the Chromium host then uses loopback, the Electron shell does not serve). */
  listenHost: string | undefined;
  /** More names display PCs reach the host by (--host-name), besides loopback and its own addresses. */
  hostNames: string[];
  /** The certificate and key to serve HTTPS/WSS with (--tls-cert/--tls-key); required when listenHost is not loopback. */
  tls: TlsFiles | undefined;
  port: number;
  /** `npm run snapshot`: where the PNGs go. */
  out: string | undefined;
  /** `npm start`: the Chromium host even when Electron is installed. */
  chromium: boolean;
}

/** What differs between hosts: where the layouts are (packaged Electron keeps them beside the app) and the default data folder. */
export interface HostDefaults {
  layoutsDir: string;
  dataDir: string;
}

export const USAGE = `Options:
  --wall <file.yaml>     wall definition (default layouts/walls/demo.yaml, or IOC_WALL_FILE)
  --presets <dir>        preset folder (default layouts/presets)
  --scenarios <dir>      scenario folder (default layouts/scenarios)
  --gateways <file.yaml> edge gateways and whether the embedded simulated province runs (default layouts/gateways/demo.yaml)
  --data-dir <dir>       database and window profiles (default $XDG_DATA_HOME/ioc-wall, or IOC_WALL_DATA)
  --basemap <file>       base map vector tiles, .mbtiles or .pmtiles (default the bundled demo, or IOC_WALL_BASEMAP)
  --windows <mode>       Chromium host: auto | app | headless | none (default auto: app windows when a display exists)
  --listen <address>     address to serve the wall on (Chromium host default 127.0.0.1; 0.0.0.0 lets display PCs on the LAN connect)
  --port <n>             port (default: a free one)
  --host-name <name>     a name display PCs use for this host (a DNS name; repeatable): requests naming any other are refused
  --tls-cert <file.pem>  certificate (chain) to serve HTTPS/WSS with, TLS 1.2 at least (or IOC_WALL_TLS_CERT); required with a --listen other than loopback
  --tls-key <file.pem>   its private key (or IOC_WALL_TLS_KEY)
  --import-dir <dir>     a folder gis.import may read from besides <data-dir>/imports (repeatable)
  --pair                 npm start only: run a primary/backup pair on this machine (two nodes under <data-dir>/pair, wired for you; docs/failover.md)
  --node <id>            which node of the wall file's primary/backup pair this host is (or IOC_WALL_NODE); required when the wall has a pair
  --chromium             use the Chromium host even when Electron is installed
  --no-supervisor        run the Chromium host in this process: nothing restarts it after a crash
  --restore-backup <file|latest>  put a wall database backup back before start (the current file is kept as .damaged-<time>)`;

/** The database's folder when --data-dir is not given: IOC_WALL_DATA, else $XDG_DATA_HOME/ioc-wall. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const dataHome = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return resolve(env.IOC_WALL_DATA ?? join(dataHome, 'ioc-wall'));
}

export function hasDisplay(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY) || process.platform === 'win32' || process.platform === 'darwin';
}

/** Throws an Error whose message names the bad flag; callers print it with USAGE. */
export function parseHostArgs(argv: string[], env: NodeJS.ProcessEnv = process.env, defaults: HostDefaults = { layoutsDir: projectLayoutsDir, dataDir: defaultDataDir(env) }): HostArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      wall: { type: 'string' },
      presets: { type: 'string' },
      scenarios: { type: 'string' },
      gateways: { type: 'string' },
      'data-dir': { type: 'string' },
      basemap: { type: 'string' },
      windows: { type: 'string', default: 'auto' },
      listen: { type: 'string' },
      port: { type: 'string', default: '0' },
      'host-name': { type: 'string', multiple: true, default: [] },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'import-dir': { type: 'string', multiple: true, default: [] },
      out: { type: 'string' },
      chromium: { type: 'boolean', default: false },
      'restore-backup': { type: 'string' },
      node: { type: 'string' },
    },
    strict: true,
  });
  const mode = values.windows;
  if (!['auto', 'app', 'headless', 'none'].includes(mode)) throw new Error(`--windows must be auto, app, headless or none, not "${mode}"`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0–65535, not "${values.port}"`);
  const basemap = values.basemap ?? env.IOC_WALL_BASEMAP;
  const layouts = defaults.layoutsDir;
  const certFile = values['tls-cert'] ?? env.IOC_WALL_TLS_CERT;
  const keyFile = values['tls-key'] ?? env.IOC_WALL_TLS_KEY;
  if ((certFile === undefined) !== (keyFile === undefined)) throw new Error('--tls-cert and --tls-key go together: give both (the certificate and its private key), or neither');
  return {
    wallFile: resolve(values.wall ?? env.IOC_WALL_FILE ?? join(layouts, 'walls', 'demo.yaml')),
    presetsDir: resolve(values.presets ?? join(layouts, 'presets')),
    indicatorsDir: join(layouts, 'indicators'),
    scenariosDir: resolve(values.scenarios ?? join(layouts, 'scenarios')),
    gatewaysFile: resolve(values.gateways ?? join(layouts, 'gateways', 'demo.yaml')),
    dataDir: values['data-dir'] ? resolve(values['data-dir']) : defaults.dataDir,
    basemapFile: basemap ? resolve(basemap) : undefined,
    importDirs: values['import-dir'].map((dir) => resolve(dir)),
    pairNode: values.node ?? env.IOC_WALL_NODE,
    windows: mode === 'auto' ? (hasDisplay(env) ? 'app' : 'headless') : (mode as WindowMode | 'none'),
    listenHost: values.listen,
    hostNames: values['host-name'],
    tls: certFile && keyFile ? { certFile: resolve(certFile), keyFile: resolve(keyFile) } : undefined,
    port,
    out: values.out,
    chromium: values.chromium,
    restoreBackup: values['restore-backup'] === undefined || values['restore-backup'] === 'latest' ? values['restore-backup'] : resolve(values['restore-backup']),
  };
}

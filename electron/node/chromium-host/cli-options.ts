/** Command-line options shared by `npm start`, the Chromium host and `npm run snapshot`. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultGatewaysFile, defaultPresetsDir, defaultWallFile } from '../project-paths.js';
import type { WindowMode } from './chromium.js';

export interface HostCliOptions {
  wallFile: string;
  presetsDir: string;
  gatewaysFile: string;
  dataDir: string;
  /** undefined = the bundled demo base map. */
  basemapFile: string | undefined;
  windows: WindowMode | 'none';
  listenHost: string;
  port: number;
  out: string | undefined;
}

export const USAGE = `Options:
  --wall <file.yaml>     wall definition (default layouts/walls/demo.yaml, or IOC_WALL_FILE)
  --presets <dir>        preset folder (default layouts/presets)
  --gateways <file.yaml> edge gateways and the embedded simulator (default layouts/gateways/demo.yaml)
  --data-dir <dir>       database and window profiles (default $XDG_DATA_HOME/ioc-wall, or IOC_WALL_DATA)
  --basemap <file>       base map vector tiles, .mbtiles or .pmtiles (default the bundled demo, or IOC_WALL_BASEMAP)
  --windows <mode>       auto | app | headless | none (default auto: app windows when a display exists)
  --listen <address>     address to serve on (default 127.0.0.1; 0.0.0.0 lets display PCs on the LAN connect)
  --port <n>             port (default: a free one)
  --chromium             use the Chromium host even when Electron is installed`;

/** The database's folder when --data-dir is not given: IOC_WALL_DATA, else $XDG_DATA_HOME/ioc-wall. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const dataHome = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return resolve(env.IOC_WALL_DATA ?? join(dataHome, 'ioc-wall'));
}

export function hasDisplay(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY) || process.platform === 'win32' || process.platform === 'darwin';
}

export function parseHostArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): HostCliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      wall: { type: 'string' },
      presets: { type: 'string' },
      gateways: { type: 'string' },
      'data-dir': { type: 'string' },
      basemap: { type: 'string' },
      windows: { type: 'string', default: 'auto' },
      listen: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      out: { type: 'string' },
      chromium: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const mode = values.windows;
  if (!['auto', 'app', 'headless', 'none'].includes(mode)) throw new Error(`--windows must be auto, app, headless or none, not "${mode}"`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0–65535, not "${values.port}"`);
  const basemap = values.basemap ?? env.IOC_WALL_BASEMAP;
  return {
    wallFile: resolve(values.wall ?? env.IOC_WALL_FILE ?? defaultWallFile),
    presetsDir: resolve(values.presets ?? defaultPresetsDir),
    gatewaysFile: resolve(values.gateways ?? defaultGatewaysFile),
    dataDir: values['data-dir'] ? resolve(values['data-dir']) : defaultDataDir(env),
    basemapFile: basemap ? resolve(basemap) : undefined,
    windows: mode === 'auto' ? (hasDisplay(env) ? 'app' : 'headless') : (mode as WindowMode | 'none'),
    listenHost: values.listen,
    port,
    out: values.out,
  };
}

/**
 * The Electron shell: app lifecycle, one kiosk window per matched wall display plus the operator
 * console, the app:// protocol, screen events, and locking the windows down. Thin on purpose:
 * everything the wall does comes from the runtime (electron/node/runtime.ts), the same one the
 * Chromium host runs; this file adds only windows and IPC.
 *
 * Started by launch/electron-main.ts, bundled to dist/electron-main/main.cjs (package.json
 * "main"). It takes the same options as `npm start` (electron/node/runtime-options.ts: --wall,
 * --gateways, --data-dir, --basemap, --listen, …; data in the app's userData folder by default), and
 *   IOC_ALLOWED_HOSTS=a,b           extra host names windows may fetch from (cameras by name)
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, Menu, net, protocol, screen, session, type Display, type Rectangle, type WebPreferences } from 'electron';
import { matchConsoleDisplay, matchDisplays } from '../common/display-match.js';
import type { RunningSimulator } from '../common/ports.js';
import { isAllowedRequestUrl } from '../common/url-policy.js';
import type { WallDefinition, WindowId } from '../../native-bridge/contract.js';
import { parseHostArgs, USAGE, type HostArgs } from '../node/runtime-options.js';
import { startRuntime, type Runtime, type RuntimeOptions } from '../node/runtime.js';
import { createIpcPort, type IpcPort } from './ipc-port.js';
import { safeStorageSeal } from './key-seal.js';
import { electronPdfPrinter } from './pdf-printer.js';

const SCHEME = 'app';
const APP_HOST = 'wall';
const APP_ORIGIN = `${SCHEME}://${APP_HOST}`;

const appRoot = app.getAppPath();
const rendererRoot = join(appRoot, 'dist', 'renderer');
const preloadPath = join(appRoot, 'dist', 'preload', 'preload.cjs');
// Packaged: layouts are copied next to the asar (extraResources) so sites can edit them.
const layoutsRoot = app.isPackaged ? join(process.resourcesPath, 'layouts') : join(appRoot, 'layouts');
const extraHosts = (process.env.IOC_ALLOWED_HOSTS ?? '')
  .split(',')
  .map((h) => h.trim())
  .filter(Boolean);

function log(message: string): void {
  console.log(`ioc-wall: ${message}`);
}

/** Every web contents, including ones we did not create on purpose: no navigation away, no new windows, no webviews. */
function lockDownContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => {
      if (!event.url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
    });
    contents.on('will-frame-navigate', (event) => {
      if (!event.isMainFrame && !event.url.startsWith(`${APP_ORIGIN}/`) && !event.url.startsWith('about:')) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

// ---------------------------------------------------------------------------------------------
// app:// serves dist/renderer and nothing else

function registerAppProtocol(gis: Runtime['gis']): void {
  protocol.handle(SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('method not allowed', { status: 405 });
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('not found', { status: 404 });
    if (url.pathname.startsWith('/basemap/') || url.pathname.startsWith('/gis/')) {
      const answer = await gis.handleHttp(url.pathname);
      return answer ? new Response(new Uint8Array(answer.body), { status: answer.status, headers: answer.headers }) : new Response('not found', { status: 404 });
    }
    let file: string;
    try {
      const pathname = decodeURIComponent(url.pathname);
      if (pathname.includes('\0')) return new Response('bad request', { status: 400 });
      file = resolve(rendererRoot, `.${pathname === '/' ? '/index.html' : pathname}`);
    } catch {
      return new Response('bad request', { status: 400 });
    }
    if (!file.startsWith(rendererRoot + sep)) return new Response('forbidden', { status: 403 });
    try {
      if (!statSync(file).isFile()) return new Response('not found', { status: 404 });
    } catch {
      return new Response('not found', { status: 404 });
    }
    return net.fetch(pathToFileURL(file).toString());
  });
}

function lockDownSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  const refused = new Set<string>();
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequestUrl(details.url, extraHosts);
    if (!allowed) {
      const origin = details.url.slice(0, 200);
      if (!refused.has(origin) && refused.size < 100) {
        refused.add(origin);
        log(`refused a request off the local network: ${origin}`);
      }
    }
    callback({ cancel: !allowed });
  });
}

// ---------------------------------------------------------------------------------------------
// Windows

const webPreferences = (): WebPreferences => ({
  preload: preloadPath,
  sandbox: true,
  contextIsolation: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
  // A wall window is never focused and must keep painting and playing.
  backgroundThrottling: false,
  devTools: !app.isPackaged,
});

const pageUrl = (windowId: WindowId) => `${APP_ORIGIN}/index.html?window=${encodeURIComponent(windowId)}`;

/** Keeps a window's page alive 24/7: reload after a crash or a failed load, with backoff. */
function keepAlive(win: BrowserWindow, windowId: WindowId): void {
  let failures = 0;
  let unresponsiveTimer: ReturnType<typeof setTimeout> | null = null;
  const reloadLater = (why: string) => {
    const delay = Math.min(30_000, 1000 * 2 ** Math.min(failures++, 5));
    log(`${windowId}: ${why}; reloading in ${delay} ms`);
    setTimeout(() => {
      if (!win.isDestroyed()) void win.loadURL(pageUrl(windowId)).catch(() => {});
    }, delay);
  };
  const contents = win.webContents;
  contents.on('render-process-gone', (_event, details) => {
    if (details.reason !== 'clean-exit') reloadLater(`renderer gone (${details.reason})`);
  });
  contents.on('did-fail-load', (_event, code, description, _url, isMainFrame) => {
    if (isMainFrame && code !== -3 /* ERR_ABORTED */) reloadLater(`load failed (${code} ${description})`);
  });
  contents.on('did-finish-load', () => {
    failures = 0;
  });
  win.on('unresponsive', () => {
    unresponsiveTimer ??= setTimeout(() => {
      unresponsiveTimer = null;
      if (!win.isDestroyed()) contents.forcefullyCrashRenderer();
    }, 15_000);
  });
  win.on('responsive', () => {
    if (unresponsiveTimer) clearTimeout(unresponsiveTimer);
    unresponsiveTimer = null;
  });
  win.on('closed', () => {
    if (unresponsiveTimer) clearTimeout(unresponsiveTimer);
  });
}

const sameBounds = (a: Rectangle, b: Rectangle) => a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;

function placeKiosk(win: BrowserWindow, bounds: Rectangle): void {
  if (win.isKiosk() && sameBounds(win.getBounds(), bounds)) return;
  // Leave kiosk first: a fullscreen window ignores setBounds, and kiosk fills the display it is on.
  if (win.isKiosk()) win.setKiosk(false);
  win.setBounds(bounds);
  win.setKiosk(true);
}

class Shell {
  private readonly wallWindows = new Map<WindowId, { win: BrowserWindow; bounds: Rectangle }>();
  private consoleWindow: BrowserWindow | null = null;
  private lastReport = '';
  private relayoutTimer: ReturnType<typeof setTimeout> | null = null;
  private closing = false;

  constructor(
    private readonly wall: WallDefinition,
    private readonly ipc: IpcPort,
  ) {}

  /** Matches wall slots to the connected displays and opens, moves or closes windows to fit. */
  layout(): void {
    if (this.closing) return;
    const displays = screen.getAllDisplays();
    const matches = matchDisplays(this.wall, displays);
    const report: string[] = [];
    for (const m of matches) {
      const current = this.wallWindows.get(m.windowId);
      if (!m.display) {
        report.push(`${m.windowId}: unmatched (${m.reason})`);
        if (current) {
          this.wallWindows.delete(m.windowId);
          if (!current.win.isDestroyed()) current.win.destroy();
        }
        continue;
      }
      const bounds = m.display.bounds;
      report.push(`${m.windowId}: display ${bounds.width}×${bounds.height} at (${bounds.x}, ${bounds.y})${m.display.label ? ` "${m.display.label}"` : ''}`);
      if (current && !current.win.isDestroyed()) {
        if (!sameBounds(current.bounds, bounds)) {
          current.bounds = bounds;
          placeKiosk(current.win, bounds);
        }
      } else {
        this.wallWindows.set(m.windowId, { win: this.openWallWindow(m.windowId, bounds), bounds });
      }
    }
    this.placeConsole(displays, matches);
    const text = report.join('; ');
    if (text !== this.lastReport) log(`wall "${this.wall.id}": ${text}`);
    this.lastReport = text;
  }

  /** Display changes come in bursts (a matrix switch, a driver reset): settle, then lay out once. */
  relayoutSoon(): void {
    if (this.relayoutTimer) clearTimeout(this.relayoutTimer);
    this.relayoutTimer = setTimeout(() => {
      this.relayoutTimer = null;
      this.layout();
    }, 400);
  }

  showConsole(): void {
    const win = this.consoleWindow;
    if (!win || win.isDestroyed()) {
      this.consoleWindow = null;
      this.layout();
      return;
    }
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  }

  closeAll(): void {
    this.closing = true;
    if (this.relayoutTimer) clearTimeout(this.relayoutTimer);
    for (const { win } of this.wallWindows.values()) if (!win.isDestroyed()) win.destroy();
    this.wallWindows.clear();
    if (this.consoleWindow && !this.consoleWindow.isDestroyed()) this.consoleWindow.destroy();
    this.consoleWindow = null;
  }

  private openWallWindow(windowId: WindowId, bounds: Rectangle): BrowserWindow {
    const win = new BrowserWindow({
      ...bounds,
      show: false,
      frame: false,
      backgroundColor: '#000000',
      autoHideMenuBar: true,
      skipTaskbar: true,
      title: `IOC Wall ${windowId}`,
      webPreferences: webPreferences(),
    });
    this.ipc.attach(win.webContents, windowId);
    keepAlive(win, windowId);
    win.once('ready-to-show', () => {
      const entry = this.wallWindows.get(windowId);
      placeKiosk(win, entry?.win === win ? entry.bounds : bounds);
      win.showInactive();
    });
    win.on('closed', () => {
      if (this.wallWindows.get(windowId)?.win === win) this.wallWindows.delete(windowId);
    });
    void win.loadURL(pageUrl(windowId)).catch(() => {});
    return win;
  }

  private placeConsole(displays: Display[], matches: ReturnType<typeof matchDisplays<Display>>): void {
    const spec = this.wall.console;
    const target = matchConsoleDisplay(spec.match, displays, matches);
    if (spec.match && !target.display) log(`console: ${target.reason}; using its configured rectangle`);
    let bounds: Rectangle = target.display ? target.display.workArea : { x: spec.x, y: spec.y, width: spec.width, height: spec.height };
    // Never leave the console where no display shows it.
    const visible = displays.some((d) => intersects(d.workArea, bounds));
    if (!visible) {
      const area = screen.getPrimaryDisplay().workArea;
      const width = Math.min(spec.width, area.width);
      const height = Math.min(spec.height, area.height);
      bounds = { x: area.x + Math.round((area.width - width) / 2), y: area.y + Math.round((area.height - height) / 2), width, height };
    }

    const existing = this.consoleWindow;
    if (existing && !existing.isDestroyed()) {
      // The operator may have moved it: only rescue it when its display went away.
      if (!displays.some((d) => intersects(d.workArea, existing.getBounds()))) existing.setBounds(bounds);
      return;
    }
    const win = new BrowserWindow({
      ...bounds,
      show: false,
      backgroundColor: '#000000',
      autoHideMenuBar: true,
      title: 'IOC Wall — Console',
      webPreferences: webPreferences(),
    });
    this.consoleWindow = win;
    this.ipc.attach(win.webContents, 'console');
    keepAlive(win, 'console');
    win.once('ready-to-show', () => {
      if (target.display) win.maximize();
      win.show();
    });
    // Closing the console is the operator's way to quit; losing a display never closes it.
    win.on('closed', () => {
      if (this.consoleWindow === win) this.consoleWindow = null;
      if (!this.closing) app.quit();
    });
    void win.loadURL(pageUrl('console')).catch(() => {});
  }
}

function intersects(a: Rectangle, b: Rectangle): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

export interface ElectronShellOptions<S extends RunningSimulator> {
  /** What the runtime starts from the parsed command line (launch/compose.ts). */
  runtimeOptions(args: HostArgs, rendererDir: string, log: (line: string) => void): RuntimeOptions<S>;
}

export function runElectronShell<S extends RunningSimulator>(options: ElectronShellOptions<S>): void {
  // Before ready: one instance, sandbox everywhere, the app:// scheme.
  const isPrimaryInstance = app.requestSingleInstanceLock();
  if (!isPrimaryInstance) {
    app.exit(0); // the running instance shows its console (second-instance)
    return;
  }
  app.enableSandbox();
  protocol.registerSchemesAsPrivileged([
    { scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true, codeCache: true } },
  ]);
  lockDownContents();

  let runtime: Runtime<S> | null = null;
  let ipc: IpcPort | null = null;
  let shell: Shell | null = null;
  let shutDown = false;
  let shuttingDown = false;

  const start = async (): Promise<void> => {
    Menu.setApplicationMenu(null);
    if (!existsSync(join(rendererRoot, 'index.html'))) throw new Error(`the renderer is not built (${rendererRoot}); run npm run build`);
    if (!existsSync(preloadPath)) throw new Error(`the preload is not built (${preloadPath}); run npm run build`);
    let args: HostArgs;
    try {
      // Unpackaged, argv is [electron, app folder, …options]; packaged, [app, …options].
      args = parseHostArgs(process.argv.slice(app.isPackaged ? 1 : 2), process.env, { layoutsDir: layoutsRoot, dataDir: app.getPath('userData') });
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${USAGE}`);
    }
    const keySeal = await safeStorageSeal();
    if (!keySeal) log('no OS keychain for safeStorage: the storage key stays a plain file readable by this user only (storage.key, 0600)');
    runtime = await startRuntime({ ...options.runtimeOptions(args, rendererRoot, log), keySeal: keySeal ?? undefined, pdfPrinter: electronPdfPrinter });
    log(`wall "${runtime.core.wall.id}" from ${args.wallFile}; data in ${args.dataDir}`);
    registerAppProtocol(runtime.gis);
    lockDownSession();
    ipc = createIpcPort(runtime.core, log);
    shell = new Shell(runtime.core.wall, ipc);
    shell.layout();
    screen.on('display-added', () => shell?.relayoutSoon());
    screen.on('display-removed', () => shell?.relayoutSoon());
    screen.on('display-metrics-changed', () => shell?.relayoutSoon());
  };

  const shutdown = async (): Promise<void> => {
    shell?.closeAll();
    ipc?.close();
    await runtime?.close();
  };

  app.on('second-instance', () => shell?.showConsole());
  // Wall windows close when their display goes away; the app stays up and reopens them when it returns.
  app.on('window-all-closed', () => {});
  app.on('before-quit', (event) => {
    if (shutDown) return;
    event.preventDefault();
    if (shuttingDown) return;
    shuttingDown = true;
    shutdown()
      .catch((error: unknown) => console.error('ioc-wall: shutdown failed', error))
      .finally(() => {
        shutDown = true;
        app.quit();
      });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`ioc-wall: cannot start: ${message}`);
      if (app.isReady()) dialog.showErrorBox('IOC Wall', message);
      app.exit(1);
    });
}

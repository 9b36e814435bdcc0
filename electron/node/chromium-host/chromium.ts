/**
 * Finding Chromium, installing it where we may, and running one supervised Chromium process per
 * wall window, each with its own profile. A window's DevTools is a pipe held by its relay
 * (devtools-relay.ts), reachable only through a 0600 unix socket in its profile: no TCP port, no
 * /json/list, and nothing secret on any command line. The host, `npm run snapshot` and the e2e
 * tests attach there to the very windows the wall shows.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WindowMode } from '../runtime-options.js';

const CANDIDATES: Record<string, string[]> = {
  linux: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'],
  darwin: ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'],
  win32: [
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
  ],
};

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.CHROME_PATH) return executable(env.CHROME_PATH) ? env.CHROME_PATH : null;
  return (CANDIDATES[process.platform] ?? []).find(executable) ?? null;
}

const isDebianLike = () => existsSync('/etc/debian_version');
const isRoot = () => process.getuid?.() === 0;

/** Finds Chromium; installs Debian's package when we are root on Debian/Ubuntu; else explains. */
export function ensureChromium(log: (line: string) => void): string {
  const found = findChromium();
  if (found) return found;
  if (process.env.CHROME_PATH) throw new Error(`CHROME_PATH=${process.env.CHROME_PATH} is not an executable file`);
  if (process.platform === 'linux' && isDebianLike() && isRoot()) {
    log('ioc-wall: Chromium not found; installing Debian\'s "chromium" package (apt-get)…');
    for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
      const result = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
      if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status})`);
    }
    const installed = findChromium();
    if (installed) return installed;
  }
  const how =
    process.platform === 'linux' && isDebianLike()
      ? 'sudo apt-get update && sudo apt-get install -y chromium'
      : 'install Chromium or Google Chrome, or set CHROME_PATH=/path/to/chrome';
  throw new Error(`Chromium was not found. Run: ${how}`);
}

export interface WindowSpec {
  windowId: string;
  url: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Wall displays run full screen; the console is an ordinary window. */
  kiosk: boolean;
  /** The host's certificate pin when it serves HTTPS (tls-files.ts spkiPin): trusted by this window alone. */
  trustedSpki?: string | null | undefined;
}

export interface ChromiumWindow {
  windowId: string;
  pid(): number | undefined;
  /** The window's DevTools socket (a unix socket, 0600), once its relay listens. */
  devtools(): string | null;
  close(): Promise<void>;
}

/** How headless windows composite (see chromiumArgs); a bad value is an error, not a silent default. */
export function headlessCompositing(): 'software' | 'gpu' {
  const value = process.env.IOC_WALL_HEADLESS_COMPOSITING ?? 'software';
  if (value !== 'software' && value !== 'gpu') throw new Error(`IOC_WALL_HEADLESS_COMPOSITING must be "software" or "gpu", not "${value}"`);
  return value;
}

/** A control room has no internet: no first-run pages, background connections, updates or sync. */
export const OFFLINE_CHROMIUM_ARGS: readonly string[] = [
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

function chromiumArgs(spec: WindowSpec, mode: WindowMode, profileDir: string): string[] {
  const args = [
    `--user-data-dir=${profileDir}`,
    '--remote-debugging-pipe',
    ...OFFLINE_CHROMIUM_ARGS,
    '--disable-features=Translate,MediaRouter,OptimizationHints',
    '--disable-background-timer-throttling',
    '--disable-renderer-backgrounding',
    '--disable-backgrounding-occluded-windows',
    '--autoplay-policy=no-user-gesture-required',
    '--force-device-scale-factor=1',
    `--window-position=${spec.x},${spec.y}`,
    `--window-size=${spec.width},${spec.height}`,
  ];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  // Site-specific switches (GPU workarounds, proxies for display PCs) without a code change.
  const siteArgs = (process.env.IOC_WALL_CHROMIUM_ARGS ?? '').split(/\s+/).filter(Boolean);
  if (mode === 'headless') {
    // A kiosk window on a virtual screen of the display's size: the viewport is exactly the display.
    args.push('--headless=new', '--kiosk', `--screen-info={${spec.width}x${spec.height}}`, '--hide-scrollbars', '--mute-audio');
    // SwiftShader WebGL, unless the site names a GL backend of its own (a headless run on a real GPU)
    if (!siteArgs.some((a) => /^--use-(angle|gl)=/.test(a))) args.push('--use-angle=swiftshader', '--enable-unsafe-swiftshader');
    // Without a GPU, software compositing is about 3× faster than compositing through SwiftShader
    // GL, but it reads every WebGL frame back on the page's main thread, which then waits for
    // SwiftShader (seconds per map frame). IOC_WALL_HEADLESS_COMPOSITING=gpu keeps the main thread
    // free, as on a real GPU: the map benches use it (README, Benchmarks).
    if (headlessCompositing() === 'software') args.push('--disable-gpu-compositing');
  } else if (spec.kiosk) {
    // Full screen, frameless, on the display that contains the window position.
    args.push('--kiosk');
  }
  // the host's own certificate, possibly self-signed: this key only, not "any certificate"
  if (spec.trustedSpki) args.push(`--ignore-certificate-errors-spki-list=${spec.trustedSpki}`);
  for (const arg of siteArgs) args.push(arg);
  args.push(`--app=${spec.url}`);
  return args;
}

/** Where a window's relay listens (devtools-relay.ts). */
export const devtoolsSocket = (profileDir: string): string => join(profileDir, 'devtools.sock');

/** The relay's command line: from source under tsx, or the built relay beside this bundle. */
function relayCommand(): string[] {
  const source = /\.[cm]?ts$/.test(new URL(import.meta.url).pathname);
  const relay = fileURLToPath(new URL(source ? './devtools-relay.ts' : './devtools-relay.js', import.meta.url));
  if (!existsSync(relay)) throw new Error(`the DevTools relay ${relay} is missing; the build must emit it beside ${fileURLToPath(import.meta.url)}`);
  return source ? ['--import', import.meta.resolve('tsx'), relay] : [relay];
}

/** A window's Chromium process: one this host spawned, or one a previous host left running. */
interface WindowProcess {
  pid: number | undefined;
  running(): boolean;
  kill(signal: NodeJS.Signals): void;
}

function spawned(proc: ChildProcess): WindowProcess {
  return { pid: proc.pid, running: () => proc.exitCode === null && proc.signalCode === null, kill: (signal) => void proc.kill(signal) };
}

/** Whether a process of this id is running (signal 0 asks without signalling). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A process that is not our child: its exit is seen by polling, as no 'exit' event comes. */
function adopted(pid: number, onExit: () => void): WindowProcess {
  const poll = setInterval(() => {
    if (processAlive(pid)) return;
    clearInterval(poll);
    onExit();
  }, 1000);
  poll.unref();
  return {
    pid,
    running: () => processAlive(pid),
    kill(signal) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    },
  };
}

/** The command line of every process on this machine (Linux /proc), by pid. */
function commandLines(): Map<number, string[]> {
  const lines = new Map<number, string[]>();
  if (process.platform !== 'linux') return lines;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      lines.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean));
    } catch {
      // ended meanwhile
    }
  }
  return lines;
}

/**
 * A window left running by a host that died, showing exactly what this host would open (same
 * profile, URL with port, geometry, mode): its relay, whose command line names the window's
 * DevTools socket and ends with our Chromium arguments.
 */
export function findRunningWindow(spec: WindowSpec, mode: WindowMode, profilesDir: string): number | null {
  const profileDir = join(profilesDir, spec.windowId);
  const wanted = chromiumArgs(spec, mode, profileDir);
  for (const [pid, args] of commandLines()) {
    if (args.length <= wanted.length || !args.includes(devtoolsSocket(profileDir))) continue;
    const tail = args.slice(args.length - wanted.length);
    if (tail.every((arg, i) => arg === wanted[i])) return pid;
  }
  return null;
}

/**
 * Runs one window as its own Chromium process and restarts it with backoff if it dies (a wall
 * window must come back by itself at 3 a.m.). With `adoptPid` it first keeps watching the window
 * a previous host left running (see findRunningWindow) instead of opening a new one.
 */
/** What the host is told about its windows: every line worth logging, and each unexpected exit (it restarts the window). */
export interface WindowEvents {
  log: (line: string) => void;
  exited?: (windowId: WindowSpec['windowId'], why: string, restartInMs: number) => void;
}

export function launchWindow(chromium: string, spec: WindowSpec, mode: WindowMode, profilesDir: string, { log, exited }: WindowEvents, adoptPid?: number): ChromiumWindow {
  const profileDir = join(profilesDir, spec.windowId);
  mkdirSync(profileDir, { recursive: true });
  let current: WindowProcess | null = null;
  let stopping = false;
  let backoff = 1000;
  const socket = devtoolsSocket(profileDir);

  const restartLater = (why: string, startedAt: number) => {
    current = null;
    if (stopping) return;
    if (Date.now() - startedAt > 30_000) backoff = 1000;
    log(`ioc-wall: window ${spec.windowId} exited (${why}); restarting in ${backoff} ms.`);
    exited?.(spec.windowId, why, backoff);
    setTimeout(() => !stopping && start(), backoff).unref();
    backoff = Math.min(backoff * 2, 30_000);
  };
  const start = () => {
    rmSync(socket, { force: true });
    const startedAt = Date.now();
    const proc = spawn(process.execPath, [...relayCommand(), socket, chromium, ...chromiumArgs(spec, mode, profileDir)], { stdio: ['ignore', 'ignore', 'pipe'] });
    const running = spawned(proc);
    current = running;
    let stderrTail = '';
    proc.stderr?.on('data', (chunk: Buffer) => {
      stderrTail = (stderrTail + chunk.toString()).slice(-2000);
    });
    proc.on('exit', (code, signal) => {
      if (current === running) restartLater(`${signal ?? code} ${stderrTail.split('\n').slice(-3).join(' ')}`, startedAt);
    });
  };
  if (adoptPid === undefined) start();
  else {
    const startedAt = Date.now();
    const running: WindowProcess = adopted(adoptPid, () => current === running && restartLater('kept from the previous host', startedAt));
    current = running;
  }

  return {
    windowId: spec.windowId,
    pid: () => current?.pid,
    devtools: () => (current?.running() && existsSync(socket) ? socket : null),
    async close() {
      stopping = true;
      const proc = current;
      if (!proc?.running()) return;
      proc.kill('SIGTERM');
      for (let i = 0; i < 50 && proc.running(); i++) await sleep(100);
      if (proc.running()) proc.kill('SIGKILL');
    },
  };
}

/** Waits until every window's relay listens for DevTools. */
export async function waitForDevTools(windows: readonly ChromiumWindow[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (windows.some((w) => !w.devtools())) {
    if (Date.now() > deadline) throw new Error(`Chromium windows did not start within ${timeoutMs} ms: ${windows.filter((w) => !w.devtools()).map((w) => w.windowId).join(', ')}`);
    await sleep(100);
  }
}

/**
 * Kills window processes left behind by a host that died without closing them (SIGKILL, power
 * cut of the host process only), except those of the profiles in `keep` (windows this host
 * adopts). Chromium would otherwise hand our new window to the old process holding the same
 * profile. Linux only: elsewhere the OS ends them with their session.
 */
export function killOrphanWindows(profilesDir: string, log: (line: string) => void, keep: ReadonlySet<string> = new Set()): number {
  const marker = `--user-data-dir=${profilesDir}/`;
  let killed = 0;
  for (const [pid, args] of commandLines()) {
    const profile = args.find((arg) => arg.startsWith(marker))?.slice(marker.length);
    if (profile === undefined || keep.has(profile)) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed++;
    } catch {
      // already gone
    }
  }
  if (killed > 0) log(`ioc-wall: ended ${killed} window processes left by a previous host`);
  return killed;
}

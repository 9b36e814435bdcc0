/**
 * The Chromium host's entry (run by launch/supervisor.ts, or in-process with --no-supervisor): runs
 * it until SIGINT/SIGTERM, printing where its console is. Under a supervisor it reports ready and
 * alive over Node IPC, and stops when the supervisor is gone.
 */
import { startChromiumHost, type ChromiumHost } from '../electron/node/chromium-host/host.js';
import { rendererDist } from '../electron/node/project-paths.js';
import { parseHostArgs, USAGE } from '../electron/node/runtime-options.js';
import { HOST_RESTART_ENV, hostRestart, type HostReport } from '../native-bridge/contract.js';
import { chromiumHostOptions } from './compose.js';

/** EX_SOFTWARE: the supervisor restarts a host that exits with anything but 0. */
export const CRASH_EXIT_CODE = 70;
/** How often a supervised host says it is alive (its event loop turns). */
export const ALIVE_EVERY_MS = 2000;

/**
 * An exception nobody caught leaves the host in an unknown state: log the cause where the
 * supervisor reads it (stderr) and exit at once, non-zero. The database is consistent at every
 * commit, and the windows are left running for the next host to keep.
 */
function exitOnCrash(): void {
  const crash = (kind: string) => (error: unknown) => {
    const cause = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`ioc-wall: host crashed (${kind}): ${cause}\n`);
    process.exit(CRASH_EXIT_CODE);
  };
  process.on('uncaughtException', crash('uncaught exception'));
  process.on('unhandledRejection', crash('unhandled rejection'));
}

/** What the supervisor handed over when it restarted a crashed host (a bad value starts afresh, saying so). */
function restartFromEnv(): { cause: string } | undefined {
  const raw = process.env[HOST_RESTART_ENV];
  if (raw === undefined) return undefined;
  delete process.env[HOST_RESTART_ENV]; // the windows' environment need not carry it
  try {
    return hostRestart.parse(JSON.parse(raw));
  } catch (error) {
    console.error(`ioc-wall: ignoring ${HOST_RESTART_ENV} from the supervisor: ${(error as Error).message}`);
    return undefined;
  }
}

function reportToSupervisor(host: ChromiumHost, stop: () => void): void {
  const send = process.send?.bind(process);
  if (!send) return;
  const report = (message: HostReport) => send(message);
  report({ type: 'ready', port: Number(new URL(host.baseUrl).port) });
  const alive = setInterval(() => process.connected && report({ type: 'alive' }), ALIVE_EVERY_MS);
  alive.unref();
  // A supervisor that died (SIGKILL, OOM) must not leave its host running unsupervised.
  process.once('disconnect', stop);
}

export async function runChromiumHost(argv: string[]): Promise<void> {
  exitOnCrash();
  let options;
  try {
    options = parseHostArgs(argv);
  } catch (error) {
    console.error(`ioc-wall: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const restart = restartFromEnv();
  const host = await startChromiumHost({ ...chromiumHostOptions(options, rendererDist), ...(restart ? { restart } : {}) });
  const info = host.runtime();
  const lines = [
    `ioc-wall: wall "${host.core.wall.id}" (${host.core.wall.rows}×${host.core.wall.columns}) is running on the Chromium host.`,
    `  console:  ${info.consoleUrl}`,
    `  windows:  ${options.windows === 'none' ? 'not opened (--windows none); open the URLs below on display PCs' : `${info.windows.length} Chromium ${options.windows} windows`}`,
    ...info.windows.filter((w) => w.windowId !== 'console').map((w) => `    ${w.windowId}: ${w.url}`),
    `  database: ${info.databaseFile}`,
  ];
  if (options.windows === 'headless') lines.push('  No display found (DISPLAY/WAYLAND_DISPLAY unset): the wall runs in headless Chromium. See it with: npm run snapshot');
  console.log(lines.join('\n'));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await host.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  reportToSupervisor(host, () => void stop());
}

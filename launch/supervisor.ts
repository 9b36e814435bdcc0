/**
 * `npm start`'s supervisor for the Chromium host: runs the host as a child process and restarts it
 * when it dies (exit code ≠ 0, a signal, or silent for too long), with exponential backoff. The
 * next host gets the same port and token, so the Chromium windows the dead host left running
 * reconnect by themselves and are kept (electron/node/chromium-host/host.ts), and the cause (exit
 * code or signal, last stderr lines) for its alert. SIGTERM/SIGINT stop the host and end here.
 * Under systemd it feeds the service's watchdog (resources/ioc-wall.service).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { hostReport, HOST_RESTART_ENV } from '../native-bridge/contract.js';

export interface Backoff {
  firstMs: number;
  maxMs: number;
  /** A host that ran this long before dying starts the backoff over. */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { firstMs: 1000, maxMs: 30_000, resetAfterMs: 60_000 };
/** A ready host that sends no `alive` for this long is hung: it is killed and restarted. */
export const HUNG_AFTER_MS = 30_000;
/** The stderr lines (and characters) of a dead host quoted in its restart alert. */
const CAUSE_LINES = 5;
const CAUSE_CHARS = 300;
const STDERR_TAIL_CHARS = 8192;

export interface SupervisorOptions {
  /** The host's command: executable and arguments. */
  command: string;
  args: readonly string[];
  backoff?: Backoff;
  log?: (line: string) => void;
}

/** The next wait after a crash: doubles up to the cap, from the start again after a long run. */
export function nextBackoff(previousMs: number | null, uptimeMs: number, backoff: Backoff = DEFAULT_BACKOFF): number {
  if (previousMs === null || uptimeMs >= backoff.resetAfterMs) return backoff.firstMs;
  return Math.min(previousMs * 2, backoff.maxMs);
}

const SECRET_LINE = /password|mật khẩu|setup code|mã thiết lập|token/i;

/** "exit code 70: <last stderr lines>", bounded for an alert; lines that may carry a secret are hidden. */
export function crashCause(code: number | null, signal: NodeJS.Signals | null, stderrTail: string, hung: boolean): string {
  const how = hung ? `no sign of life for ${HUNG_AFTER_MS / 1000} s, killed` : signal ? `signal ${signal}` : `exit code ${code}`;
  const lines = stderrTail
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    // the first run prints the demo administrator's password or the setup code: never into an alert on the wall
    .map((l) => (SECRET_LINE.test(l) ? '[dòng có mật khẩu đã ẩn / line with a secret hidden]' : l))
    .slice(-CAUSE_LINES);
  const cause = lines.length ? `${how}: ${lines.join(' | ')}` : how;
  return cause.length > CAUSE_CHARS ? `${cause.slice(0, CAUSE_CHARS - 1)}…` : cause;
}

/**
 * systemd's watchdog (WatchdogSec, seen as WATCHDOG_USEC): WATCHDOG=1 six times a period from the
 * supervisor's own event loop; a hung host is the supervisor's to catch (HUNG_AFTER_MS). Sent with
 * systemd-notify (Node has no datagram Unix sockets, and no native module is needed), so the unit
 * says NotifyAccess=all; a ping lost to systemd-notify's exit race is covered by the others.
 */
function startWatchdog(env: NodeJS.ProcessEnv = process.env): () => void {
  const usec = Number(env.WATCHDOG_USEC);
  if (!env.NOTIFY_SOCKET || !Number.isFinite(usec) || usec <= 0) return () => {};
  const ping = () =>
    spawn('systemd-notify', ['WATCHDOG=1'], { stdio: 'ignore' }).on('error', (error) => console.error(`ioc-wall: systemd-notify failed: ${error.message}`));
  ping();
  const timer = setInterval(ping, usec / 1000 / 6);
  return () => clearInterval(timer);
}

export interface Supervisor {
  /** Stops the host (SIGTERM, then SIGKILL after 20 s) and restarts nothing. */
  stop(): Promise<void>;
  /** Resolves when the supervisor has stopped. */
  stopped: Promise<void>;
}

export function superviseHost(options: SupervisorOptions): Supervisor {
  const log = options.log ?? ((line: string) => console.error(line));
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  let child: ChildProcess | null = null;
  let stopping = false;
  let waitMs: number | null = null;
  let restartTimer: NodeJS.Timeout | null = null;
  /** Handed to the next host: the port and token of the last ready one, and why it died. */
  let lastReady: { port: number; token: string } | null = null;
  let resolveStopped: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  void stopped.then(startWatchdog());

  const start = (cause: string | null) => {
    restartTimer = null;
    const args = [...options.args];
    const env = { ...process.env };
    delete env[HOST_RESTART_ENV];
    if (cause !== null) {
      // A host that died before it was ever ready has no URL to keep: the next one starts afresh.
      if (lastReady && !args.includes('--port')) args.push('--port', String(lastReady.port));
      env[HOST_RESTART_ENV] = JSON.stringify({ token: lastReady?.token, cause });
    }
    const startedAt = Date.now();
    const proc = spawn(options.command, args, { stdio: ['ignore', 'inherit', 'pipe', 'ipc'], env });
    child = proc;
    let stderrTail = '';
    proc.stderr?.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      stderrTail = (stderrTail + chunk.toString()).slice(-STDERR_TAIL_CHARS);
    });
    let lastSign = 0;
    let hung = false;
    const watch = setInterval(() => {
      if (lastSign === 0 || Date.now() - lastSign < HUNG_AFTER_MS) return;
      hung = true;
      log(`ioc-wall: the host (pid ${proc.pid}) sent no sign of life for ${HUNG_AFTER_MS / 1000} s; killing it`);
      proc.kill('SIGKILL');
    }, 1000);
    proc.on('message', (raw) => {
      const parsed = hostReport.safeParse(raw);
      if (!parsed.success) return log(`ioc-wall: ignored a malformed message from the host (pid ${proc.pid}): ${parsed.error.issues[0]?.message}`);
      lastSign = Date.now();
      if (parsed.data.type === 'ready') lastReady = { port: parsed.data.port, token: parsed.data.token };
    });
    proc.on('error', (error) => log(`ioc-wall: could not run the host: ${error.message}`));
    proc.on('exit', (code, signal) => {
      clearInterval(watch);
      child = null;
      if (stopping || (code === 0 && !hung)) {
        // A host that ended by itself with 0 was stopped on purpose (a signal to its process group).
        stopping = true;
        resolveStopped();
        return;
      }
      const cause = crashCause(code, signal, stderrTail, hung);
      waitMs = nextBackoff(waitMs, Date.now() - startedAt, backoff);
      log(`ioc-wall: the host died (${cause}); restarting it in ${waitMs / 1000} s`);
      restartTimer = setTimeout(() => start(cause), waitMs);
    });
  };
  start(null);

  return {
    stopped,
    async stop() {
      if (stopping && !child) return stopped;
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      const proc = child;
      if (!proc) {
        resolveStopped();
        return stopped;
      }
      proc.kill('SIGTERM');
      const force = setTimeout(() => proc.kill('SIGKILL'), 20_000);
      await stopped;
      clearTimeout(force);
    },
  };
}

/**
 * One wall window's Chromium, run with DevTools over a pipe (--remote-debugging-pipe, fds 3 and
 * 4) instead of a TCP port, so nothing on loopback answers /json/list. This small process owns the
 * pipe and relays it to a unix socket (mode 0600, in the window's private profile folder) for the
 * host, `npm run snapshot` and tests: one client at a time, and what a client attached is detached
 * when it leaves. It outlives a crashed host (the pipe, and so the window, stay open) and ends
 * with its Chromium. Node built-ins only: it runs from source (tsx) and from the build alike.
 *
 * Usage: node devtools-relay.js <socket> <chromium> <chromium args…>
 */
import { spawn } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';

/** A client's messages are bounded like the host's own: a DevTools screenshot fits, a flood does not. */
const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
/** Ids of the relay's own clean-up calls, far above any client's. */
let ownId = 2 ** 40;

const [socketPath, chromium, ...args] = process.argv.slice(2);
if (!socketPath || !chromium) {
  process.stderr.write('usage: devtools-relay <socket> <chromium> <args…>\n');
  process.exit(64);
}
process.stderr.on('error', () => {}); // the host that read our stderr may be gone

const browser = spawn(chromium, args, { stdio: ['ignore', 'ignore', 'inherit', 'pipe', 'pipe'] });
const toBrowser = browser.stdio[3] as Writable;
const fromBrowser = browser.stdio[4] as Readable;
toBrowser.on('error', () => {});
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => browser.kill(signal));
browser.on('exit', (code, signal) => {
  rmSync(socketPath, { force: true });
  process.exit(code ?? (signal ? 128 : 1));
});

/** Splits a stream of NUL-terminated messages (the pipe's and the socket's framing). */
function framed(onMessage: (message: string) => void, onTooLong: () => void): (chunk: Buffer) => void {
  let pending: Buffer[] = [];
  let size = 0;
  return (chunk) => {
    let start = 0;
    for (let end = chunk.indexOf(0); end !== -1; end = chunk.indexOf(0, start)) {
      pending.push(chunk.subarray(start, end));
      onMessage(Buffer.concat(pending).toString('utf8'));
      pending = [];
      size = 0;
      start = end + 1;
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      size += chunk.length - start;
      if (size > MAX_MESSAGE_BYTES) onTooLong();
    }
  };
}

let client: Socket | null = null;
/** Sessions the current client has (attachedToTarget seen): detached when it leaves. */
const sessions = new Set<string>();

fromBrowser.on(
  'data',
  framed(
    (message) => {
      let parsed: { id?: number; method?: string; params?: { sessionId?: string } };
      try {
        parsed = JSON.parse(message) as typeof parsed;
      } catch {
        return;
      }
      if (parsed.id !== undefined && parsed.id >= 2 ** 40) return; // a clean-up answer
      if (parsed.method === 'Target.attachedToTarget' && parsed.params?.sessionId) sessions.add(parsed.params.sessionId);
      if (parsed.method === 'Target.detachedFromTarget' && parsed.params?.sessionId) sessions.delete(parsed.params.sessionId);
      client?.write(message + '\0');
    },
    () => browser.kill('SIGTERM'),
  ),
);

const send = (method: string, params: object, sessionId?: string) => toBrowser.write(JSON.stringify({ id: ownId++, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');

/** What a client switched on stays on the pipe's one connection: switch it off for the next. */
function cleanUp(): void {
  for (const sessionId of sessions) send('Target.detachFromTarget', { sessionId });
  sessions.clear();
  send('Target.setAutoAttach', { autoAttach: false, waitForDebuggerOnStart: false });
  send('Target.setDiscoverTargets', { discover: false });
}

rmSync(socketPath, { force: true });
process.umask(0o077); // the socket is born private, before the chmod that says so
const server = createServer((socket) => {
  if (client) {
    socket.end();
    return;
  }
  client = socket;
  socket.on(
    'data',
    framed(
      (message) => toBrowser.write(message + '\0'),
      () => socket.destroy(),
    ),
  );
  socket.on('error', () => socket.destroy());
  socket.on('close', () => {
    if (client !== socket) return;
    client = null;
    cleanUp();
  });
});
server.listen(socketPath, () => chmodSync(socketPath, 0o600));

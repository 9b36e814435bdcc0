/**
 * Load from one connection must not cost the others: a request flood is refused past the rate
 * and the outstanding cap (per connection), a hello storm does not become a status-event storm,
 * the host caps its WebSocket connections, and refusals are logged summarised. Real host (in
 * process, so its log can be read), real WebSockets.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { connectionLimits, hostLimits } from '../../native-bridge/limits.js';
import { startChromiumHost, type ChromiumHost } from '../../electron/node/chromium-host/host.js';
import { rendererDist } from '../../electron/node/project-paths.js';
import { demoPresetsDir, demoWallFile, noGatewaysFile, tempDir } from '../support/fixtures.js';
import { countByOutcome, openRawSocket, type RawSocket } from '../support/raw-socket.js';
import { accountFor, issueDisplayCredential } from '../support/accounts.js';
import { waitFor } from '../support/page-wait.js';
import { testScenariosDir } from '../support/test-scenarios.js';

const { requestsPerSecond, requestBurst, maxOutstandingRequests } = connectionLimits;
const dataDir = tempDir('ioc-wall-limits-');

async function answered(socket: RawSocket, id: number): Promise<void> {
  await socket.until(() => socket.replies.has(id));
  assert.ok(socket.replies.get(id)!.ok, JSON.stringify(socket.replies.get(id)));
}

/** Says hello; as the console it then signs in as a real account (a viewer: no second factor). */
async function hello(socket: RawSocket, window: string): Promise<void> {
  const credential = window === 'console' ? undefined : { kind: 'display', token: issueDisplayCredential(dataDir, window) };
  await answered(socket, socket.request('session.hello', credential ? { window, credential } : { window }));
  if (window !== 'console') return;
  const viewer = await accountFor(dataDir, 'viewer');
  await answered(socket, socket.request('auth.signIn', { username: viewer.username, password: viewer.password }));
}

function upgradeStatus(url: string, origin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { origin });
    socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('error', (e) => (e.message.includes('Unexpected server response') ? undefined : reject(e)));
  });
}

describe('per-connection and per-host load limits (real host, real WebSockets)', () => {
  let host: ChromiumHost;
  const lines: string[] = [];
  const open: RawSocket[] = [];
  const connect = async () => {
    const socket = await openRawSocket(host.baseUrl);
    open.push(socket);
    return socket;
  };
  const closeAll = async () => {
    const sockets = open.splice(0);
    sockets.forEach((s) => s.socket.close());
    await Promise.all(sockets.map((s) => s.closed));
  };
  before(async () => {
    host = await startChromiumHost({ wallFile: demoWallFile, presetsDir: demoPresetsDir, scenariosDir: testScenariosDir(), gatewaysFile: noGatewaysFile, dataDir, rendererDir: rendererDist, windows: 'none', log: (line) => lines.push(line) });
  });
  after(async () => {
    await closeAll();
    await host.close();
  });

  it('refuses requests past the rate of one connection (burst included), and only that connection', async () => {
    const flooder = await connect();
    const other = await connect();
    await hello(flooder, 'r0c0');
    await hello(other, 'r0c1');
    const started = Date.now();
    const total = requestBurst * 4;
    // in batches below the outstanding cap, so only the rate limits them
    for (let sent = 0; sent < total; ) {
      const batch: number[] = [];
      for (let i = 0; i < maxOutstandingRequests / 2 && sent < total; i++, sent++) batch.push(flooder.request('presets.list', {}));
      await flooder.until(() => batch.every((id) => flooder.replies.has(id)));
    }
    const elapsedS = (Date.now() - started) / 1000;
    const counts = countByOutcome(flooder.replies.values());
    const answered = (counts.ok ?? 0) - 1; // the hello
    assert.ok((counts['rate-limited'] ?? 0) > 0, JSON.stringify(counts));
    assert.ok(answered <= requestBurst + requestsPerSecond * elapsedS + maxOutstandingRequests, `${answered} answered in ${elapsedS} s: ${JSON.stringify(counts)}`);
    const refusal = [...flooder.replies.values()].find((r) => r.code === 'rate-limited')!;
    assert.match(refusal.message!, new RegExp(`${requestsPerSecond}`), 'the refusal names the limit');
    const ids = Array.from({ length: 5 }, () => other.request('presets.list', {}));
    await other.until(() => ids.every((id) => other.replies.has(id)));
    assert.deepEqual(countByOutcome(ids.map((id) => other.replies.get(id)!)), { ok: 5 }, 'the other connection is not limited');
  });

  it('refuses requests past the outstanding cap with busy, and answers the rest', async () => {
    const consoleSocket = await connect();
    await hello(consoleSocket, 'console');
    const count = maxOutstandingRequests * 3;
    const ids = Array.from({ length: count }, () => consoleSocket.request('gis.query', { shape: { type: 'radius', lon: 106.7, lat: 10.8, radiusM: 5000 }, groupBy: [] }));
    await consoleSocket.until(() => ids.every((id) => consoleSocket.replies.has(id)));
    const counts = countByOutcome(ids.map((id) => consoleSocket.replies.get(id)!));
    assert.ok((counts.busy ?? 0) > 0 && (counts.ok ?? 0) >= 1, JSON.stringify(counts));
    assert.ok((counts.ok ?? 0) <= maxOutstandingRequests, JSON.stringify(counts));
    const busy = ids.map((id) => consoleSocket.replies.get(id)!).find((r) => r.code === 'busy')!;
    assert.match(busy.message!, new RegExp(`${maxOutstandingRequests}`));
  });

  it('closes a connection that keeps sending far past its refusals (1008), and only that one', { timeout: 30_000 }, async () => {
    const flooder = await connect();
    const other = await connect();
    await hello(flooder, 'r1c0');
    await hello(other, 'console');
    for (let i = 0; i < connectionLimits.maxRefusedPerSecond * 3; i++) flooder.request('presets.list', {});
    assert.equal(await flooder.closed, 1008);
    const id = other.request('presets.list', {});
    await other.until(() => other.replies.has(id));
    assert.ok(other.replies.get(id)!.ok);
  });

  it('closes a connection flooding it with frames that cannot be read, too', { timeout: 30_000 }, async () => {
    const flooder = await connect();
    for (let i = 0; i < connectionLimits.maxRefusedPerSecond * 3; i++) flooder.socket.send('not json at all');
    assert.equal(await flooder.closed, 1008);
  });

  it('does not turn a storm of session.hello into a storm of status events: one hello per connection, the next closes it', async () => {
    const watcher = await connect();
    await hello(watcher, 'console');
    const before = watcher.events.length;
    const started = Date.now();
    // the same window again and again, then switching between two: the first hello is answered, a second ends the connection
    const credentials = { r1c1: issueDisplayCredential(dataDir, 'r1c1'), r1c0: issueDisplayCredential(dataDir, 'r1c0') };
    for (let round = 0; round < 10; round++) {
      const stormer = await connect();
      const window = round % 2 ? 'r1c1' : 'r1c0';
      const ids = Array.from({ length: 50 }, () => stormer.request('session.hello', { window, credential: { kind: 'display', token: credentials[window] } }));
      await stormer.closed;
      assert.ok(stormer.replies.get(ids[0]!)?.ok, 'the first hello is answered');
      assert.ok([...stormer.replies.values()].filter((r) => r.ok).length === 1, 'and no other');
    }
    const stormer = await connect();
    await hello(stormer, 'r1c1');
    const stormMs = Date.now() - started;
    // A sleep, not a wait: the storm's changes end in an event folded at a period's end, and nothing
    // marks it as the last (its content matches earlier ones). Three quiet periods mean it came.
    await sleep(hostLimits.statusEventIntervalMs * 3);
    const statuses = watcher.events.slice(before).filter((e) => e.event === 'status.changed');
    const allowed = 2 + Math.ceil(stormMs / hostLimits.statusEventIntervalMs);
    assert.ok(statuses.length >= 1 && statuses.length <= allowed, `${statuses.length} status events for 500 hellos in ${stormMs} ms`);
    const last = statuses.at(-1)!.payload as { windows: { windowId: string; connected: boolean }[] };
    assert.ok(last.windows.find((w) => w.windowId === 'r1c1')?.connected, 'the last status event shows the real change');
  });

  it(`refuses a WebSocket past ${hostLimits.maxConnections} connections with 503, and takes one again once a slot is free`, async () => {
    await closeAll();
    // the host lets go of a closed connection when its end of the socket closes, which may come
    // just after ours: each slot is taken as soon as the host answers 101 for it
    for (let i = 0; i < hostLimits.maxConnections; i++) await waitFor(`connection ${i + 1}`, 5_000, () => connect().catch(() => null), 25);
    const url = `${host.baseUrl.replace('http', 'ws')}/ws`;
    assert.equal(await upgradeStatus(url, host.baseUrl), 503);
    assert.equal(await upgradeStatus(url, host.baseUrl), 503);
    const leaving = open.pop()!;
    leaving.socket.close();
    await leaving.closed;
    // a refused upgrade takes no slot: ask until the freed one is given
    await waitFor('the freed slot', 5_000, async () => (await upgradeStatus(url, host.baseUrl)) === 101, 25);
    await closeAll();
  });

  it('logs refusals summarised: one line per reason and period, with a count', () => {
    const rateLines = lines.filter((l) => l.includes('"message-rejected"') && l.includes(`${requestsPerSecond} requests/s`));
    assert.ok(rateLines.length >= 1 && rateLines.length <= 2, rateLines.join('\n'));
    const busyLines = lines.filter((l) => l.includes('"message-rejected"') && l.includes('outstanding'));
    assert.ok(busyLines.length >= 1 && busyLines.length <= 2, busyLines.join('\n'));
    const floodLines = lines.filter((l) => l.includes('"message-rejected"') && l.includes('flood'));
    // the first refusal is logged at once, later ones in one summary per period (a slow machine may span two)
    assert.ok(floodLines.length >= 1 && floodLines.length <= 2, floodLines.join('\n'));
    const capLines = lines.filter((l) => l.includes('"connection-refused"') && l.includes(`${hostLimits.maxConnections}`));
    assert.ok(capLines.length === 1, capLines.join('\n'));
    assert.ok(host.refusedCount() > requestBurst, `every refusal is still counted: ${host.refusedCount()}\n${lines.join('\n')}`);
  });
});

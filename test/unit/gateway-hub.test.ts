/**
 * The host side of the edge-gateway protocol over REAL ZeroMQ (CURVE + ZAP) on 127.0.0.1 random
 * ports, against the simulated gateway (sim/gateway.ts) and raw sockets for hostile cases.
 */
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import Database from 'better-sqlite3-multiple-ciphers';
import fc from 'fast-check';
import * as zmq from 'zeromq';
import { decodeGatewayMessage, GATEWAY_PROTOCOL_VERSION, type FieldCommand } from '../../native-bridge/gateway-protocol.js';
import type { GatewayLink } from '../../native-bridge/contract.js';
import { SqliteCommandOutbox } from '../../electron/node/gateway/command-outbox.js';
import { GatewayHub, stateHashOf, type GatewayHubLimits } from '../../electron/node/gateway/gateway-hub.js';
import { loadOrCreateKeyPair, type CurveKeyPair } from '../../electron/node/gateway/keys.js';
import type { GatewayLogEntry } from '../../electron/node/gateway/log.js';
import { messageMac, messageMacKey, z85Encode } from '../../native-bridge/gateway-auth/message-mac.js';
import { SimGateway } from '../../sim/gateway.js';
import { tempDir } from '../support/fixtures.js';

const dir = tempDir('ioc-wall-gateway-');
const hostKeys = loadOrCreateKeyPair(join(dir, 'keys', 'host-key.json'));
const keysA = zmq.curveKeyPair();
const keysB = zmq.curveKeyPair();
const gateways = [
  { id: 'gw-a', name: 'Cổng A', publicKey: keysA.publicKey },
  { id: 'gw-b', name: 'Cổng B', publicKey: keysB.publicKey },
];

// ------------------------------------------------------------------------------------------------
// Harness: everything opened is closed after each test so the process can exit.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});
after(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function openDb(file = join(dir, `outbox-${Math.random().toString(36).slice(2)}.sqlite`)) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  cleanups.push(() => {
    db.close();
  });
  return { db, file };
}

async function startHub(options: { dbFile?: string; log?: GatewayLogEntry[]; limits?: Partial<GatewayHubLimits> } = {}) {
  const { db } = openDb(options.dbFile);
  const outbox = new SqliteCommandOutbox(db);
  const logs = options.log ?? [];
  const hub = new GatewayHub({
    endpoints: { updates: 'tcp://127.0.0.1:*', control: 'tcp://127.0.0.1:*' },
    keyPair: hostKeys,
    gateways,
    outbox,
    log: (entry) => logs.push(entry),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  cleanups.push(() => hub.close());
  const endpoints = await hub.start();
  return { hub, outbox, endpoints, logs, db };
}

function startSim(endpoints: { updates: string; control: string }, options: { id?: string; keyPair?: CurveKeyPair; onCommand?: SimGateway['onCommand'] } = {}) {
  const sim = new SimGateway({
    id: options.id ?? 'gw-a',
    name: 'Cổng A',
    endpoints,
    hostPublicKey: hostKeys.publicKey,
    keyPair: options.keyPair ?? keysA,
    helloRepeatMs: 500,
    ...(options.onCommand ? { onCommand: options.onCommand } : {}),
  });
  cleanups.push(() => sim.stop());
  return sim;
}

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<number> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - start;
}

/** The socket, sending the MAC of `keys` after every [kind, body], as a real gateway does (native-bridge/gateway-auth). */
function signing<S extends zmq.Dealer | zmq.Publisher>(socket: S, keys: CurveKeyPair): S {
  const macKey = messageMacKey(keys, hostKeys.publicKey);
  const signedSend = (frames: unknown) =>
    socket.send((Array.isArray(frames) && frames.length === 2 ? [...(frames as Buffer[]), messageMac(macKey, frames[0] as Buffer, frames[1] as Buffer)] : frames) as Buffer[]);
  // zeromq.js sockets are sealed: a proxy stands in, everything but send goes to the socket itself
  return new Proxy(socket, {
    get(target, property) {
      if (property === 'send') return signedSend;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const link = (hub: GatewayHub, id = 'gw-a'): GatewayLink => hub.links().find((l) => l.gateway === id)!;
const simHash = (sim: SimGateway) => stateHashOf(sim.state.values());
const inSync = (hub: GatewayHub, sim: SimGateway) => link(hub).state === 'live' && link(hub).epoch === sim.epoch && hub.stateHash(sim.id) === simHash(sim);

let sensorCount = 0;
function sensor(id = `s-${++sensorCount}`) {
  return {
    type: 'sensor' as const,
    id,
    kind: 'rain' as const,
    name: `Trạm mưa ${id}`,
    commune: 'Phường 1',
    location: { lat: 10.3 + Math.random() * 0.1, lon: 106.3 + Math.random() * 0.1 },
    unit: 'mm/h',
    thresholds: { warning: 50 },
  };
}

function command(id: string): FieldCommand {
  return { id, type: 'siren', target: 'siren-7', params: { on: true, minutes: 5 }, issuedAt: Date.now(), issuedBy: 'operator-1' };
}

/** Records every (epoch, seq) the hub shows for a gateway, to check seq never goes down within an epoch. */
function watchSeq(hub: GatewayHub, id = 'gw-a') {
  const seen: { epoch: string | null; seq: number }[] = [];
  const record = () => {
    const l = link(hub, id);
    seen.push({ epoch: l.epoch, seq: l.seq });
  };
  hub.onChange((gw) => gw === id && record());
  hub.onLink((l) => l.gateway === id && record());
  return () => {
    for (let i = 1; i < seen.length; i++) {
      if (seen[i]!.epoch === seen[i - 1]!.epoch) assert.ok(seen[i]!.seq >= seen[i - 1]!.seq, `seq went down: ${JSON.stringify(seen.slice(i - 1, i + 1))}`);
    }
    return seen.length;
  };
}

// ------------------------------------------------------------------------------------------------

describe('gateway keys', () => {
  it('creates a Z85 key pair with mode 0600 once, then reloads it', () => {
    const file = join(dir, 'keys', 'host-key.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(hostKeys.publicKey, /^.{40}$/);
    assert.deepEqual(loadOrCreateKeyPair(file), hostKeys);
  });

  it('z85Encode matches the RFC 32 test vector', () => {
    assert.equal(z85Encode(Uint8Array.from([0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b])), 'HelloWorld');
  });
});

describe('gateway hub: Clone sync', () => {
  it('snapshots (multi-chunk), then applies live updates; hashes match through interleavings', async () => {
    const { hub } = await startHub();
    const checkSeq = watchSeq(hub);
    const sim = startSim(hub.endpoints);
    for (let i = 0; i < 1200; i++) sim.set(sensor()); // before start: only in snapshots (3 chunks)
    const replaced: number[] = [];
    hub.onChange((_gw, changes, replacedAll) => replacedAll && replaced.push(changes.length));
    await sim.start();
    // Updates racing the first snapshot: some land before the request, some are buffered.
    for (let round = 0; round < 20; round++) {
      sim.burst(50);
      sim.delete('sensor', `s-${round * 7 + 1}`);
      await sleep(5); // pacing the bursts, not waiting for anything
    }
    await waitFor(() => inSync(hub, sim), 'first sync');
    assert.ok(replaced.length >= 1 && replaced[0]! >= 1000, `snapshot replaced all items (${replaced.join(',')})`);
    assert.equal(hub.items('gw-a').length, sim.state.size);
    // Live only.
    sim.set(sensor('late'));
    sim.delete('sensor', 's-500');
    await waitFor(() => hub.stateHash('gw-a') === simHash(sim) && link(hub).seq === sim.seq, 'live updates');
    assert.equal(link(hub).gaps, 0);
    assert.equal(link(hub).rejected, 0);
    assert.ok(checkSeq() > 0);
  });

  it('raw gateway, exact interleaving: buffered updates ≤ snapshot seq are dropped, later ones applied; a gap re-requests', async () => {
    const { hub } = await startHub();
    const { dealer, pub } = await rawGateway(hub);
    const header = { v: 1 as const, gw: 'gw-b', epoch: 'E1' };
    const reading = (n: number) => ({ type: 'reading' as const, id: `r${n}`, at: n, value: n, extra: {} });
    const update = (seq: number) => ['UPDATE', JSON.stringify({ ...header, seq, at: seq, op: 'set', item: reading(seq) })];
    const changes: { replacedAll: boolean; n: number }[] = [];
    hub.onChange((gw, c, replacedAll) => gw === 'gw-b' && changes.push({ replacedAll, n: c.length }));

    await dealer.send(['HELLO', JSON.stringify({ ...header, seq: 0, name: 'raw' })]);
    const [kind, body] = await dealer.receive();
    assert.equal(String(kind), 'SNAPSHOT');
    const { requestId } = JSON.parse(String(body)) as { requestId: string };
    assert.equal(link(hub, 'gw-b').state, 'syncing');
    for (let seq = 1; seq <= 5; seq++) await pub.send(update(seq));
    await sleep(150); // all five are buffered by now
    assert.equal(hub.items('gw-b').length, 0, 'nothing applied before SNAPEND');
    // The snapshot already reflects updates 1..3.
    await dealer.send(['SNAP', JSON.stringify({ ...header, requestId, items: [reading(1), reading(2), reading(3)] })]);
    await dealer.send(['SNAPEND', JSON.stringify({ ...header, requestId, seq: 3, count: 3 })]);
    await waitFor(() => link(hub, 'gw-b').state === 'live', 'live');
    assert.equal(link(hub, 'gw-b').seq, 5);
    assert.deepEqual(
      hub.items('gw-b').map((i) => i.id).sort(),
      ['r1', 'r2', 'r3', 'r4', 'r5'],
    );
    assert.deepEqual(changes, [{ replacedAll: true, n: 5 }]);
    // A duplicate (seq 5 again) is ignored; a gap (7 after 5) makes it stale and asks again.
    await pub.send(update(5));
    await pub.send(update(7));
    const [kind2] = await dealer.receive();
    assert.equal(String(kind2), 'SNAPSHOT');
    assert.equal(link(hub, 'gw-b').state, 'stale');
    assert.equal(link(hub, 'gw-b').gaps, 1);
    assert.equal(link(hub, 'gw-b').seq, 5);
    // A SNAPEND for the abandoned request is ignored.
    await dealer.send(['SNAPEND', JSON.stringify({ ...header, requestId, seq: 9, count: 0 })]);
    await sleep(100); // a sleep, not a wait: an ignored SNAPEND changes nothing to wait on
    assert.equal(link(hub, 'gw-b').state, 'stale');
    assert.equal(hub.items('gw-b').length, 5);
  });

  it('raw gateway, live: a duplicate is ignored and the next applied; an update of another epoch, a new-epoch HELLO and a re-HELLO each re-snapshot, only the first two as gaps', async () => {
    const logs: GatewayLogEntry[] = [];
    const { hub } = await startHub({ log: logs });
    const { dealer, pub } = await rawGateway(hub);
    const answerSnapshot = (epoch: string, seq: number, items: ReturnType<typeof rawReading>[]) => answerRawSnapshot(hub, dealer, epoch, seq, items);
    const reading = rawReading;
    await dealer.send(['HELLO', JSON.stringify({ v: 1, gw: 'gw-b', epoch: 'E1', seq: 0, name: 'raw' })]);
    await answerSnapshot('E1', 5, [reading(1), reading(5)]);

    // seq 5 again: ignored, so seq 6 follows and is applied, with no gap
    await pub.send(rawUpdate('E1', 5));
    await pub.send(rawUpdate('E1', 6));
    await waitFor(() => link(hub, 'gw-b').seq === 6, 'seq 6 applied');
    assert.equal(link(hub, 'gw-b').gaps, 0);
    assert.equal(link(hub, 'gw-b').state, 'live');

    // the next seq, but of another epoch (the gateway restarted, its HELLO not seen yet): a gap, not applied
    await pub.send(rawUpdate('E2', 7));
    await waitFor(() => link(hub, 'gw-b').gaps === 1, 'a gap on the new epoch');
    assert.equal(link(hub, 'gw-b').state, 'stale');
    assert.equal(hub.items('gw-b').some((i) => i.id === 'r7'), false, 'an update of another epoch is not applied');
    assert.ok(logs.some((l) => l.msg === 'gateway: gap, re-snapshotting' && (l as { reason?: string }).reason === 'new epoch'), 'the gap says why');
    await answerSnapshot('E2', 7, [reading(7)]);
    assert.deepEqual(hub.items('gw-b').map((i) => i.id), ['r7'], 'the new epoch\'s snapshot replaces the old picture');

    // a HELLO of yet another epoch: a gap and a new snapshot
    await dealer.send(['HELLO', JSON.stringify({ v: 1, gw: 'gw-b', epoch: 'E3', seq: 0, name: 'raw' })]);
    await waitFor(() => link(hub, 'gw-b').gaps === 2, 'a gap on the HELLO of a new epoch');
    assert.equal(link(hub, 'gw-b').state, 'stale');
    await answerSnapshot('E3', 1, [reading(1)]);

    // the same epoch's HELLO again (a reconnect): a new snapshot, not a gap; the link is syncing, not stale
    await sleep(150); // past the 100 ms in which a HELLO counts as the answer to the request it caused
    await dealer.send(['HELLO', JSON.stringify({ v: 1, gw: 'gw-b', epoch: 'E3', seq: 1, name: 'raw' })]);
    await waitFor(() => link(hub, 'gw-b').state !== 'live', 're-HELLO re-snapshots');
    assert.equal(link(hub, 'gw-b').state, 'syncing');
    assert.equal(link(hub, 'gw-b').gaps, 2);
    await answerSnapshot('E3', 1, [reading(1)]);
  });

  it('raw gateway, snapshots and heartbeats: a wrong SNAPEND count, a heartbeat ahead or of another epoch, a buffered gap and live traffic of a newer epoch each ask again', async () => {
    const { hub } = await startHub();
    const { dealer, pub } = await rawGateway(hub);
    const gaps = () => link(hub, 'gw-b').gaps;
    await dealer.send(['HELLO', JSON.stringify({ v: 1, gw: 'gw-b', epoch: 'E1', seq: 0, name: 'raw' })]);
    // SNAPEND says 3 items, 2 came: refused and asked again, never live on a short picture
    await answerRawSnapshot(hub, dealer, 'E1', 4, [rawReading(1), rawReading(4)], { count: 3, live: false });
    await waitFor(() => link(hub, 'gw-b').rejected === 1, 'the short snapshot refused');
    await answerRawSnapshot(hub, dealer, 'E1', 4, [rawReading(1), rawReading(4)]);
    assert.equal(link(hub, 'gw-b').snapshots, 1);

    // a heartbeat at the seq held is fine; one ahead of it means updates were lost
    await pub.send(rawHugz('E1', 4));
    await pub.send(rawHugz('E1', 6));
    await waitFor(() => gaps() === 1, 'a gap on a heartbeat ahead');
    assert.equal(link(hub, 'gw-b').state, 'stale');
    await answerRawSnapshot(hub, dealer, 'E1', 6, [rawReading(6)]);
    await pub.send(rawHugz('E2', 6));
    await waitFor(() => gaps() === 2, 'a gap on a heartbeat of another epoch');

    // while syncing: a heartbeat past the snapshot's seq makes the snapshot too old
    const { requestId } = await nextKind(dealer, 'SNAPSHOT');
    await pub.send(rawHugz('E2', 9));
    await sleep(250); // the heartbeat reaches the hub before the answer on the other socket (as the interleaving test above)
    await dealer.send(['SNAPEND', JSON.stringify({ v: 1, gw: 'gw-b', epoch: 'E2', requestId, seq: 8, count: 0 })]);
    await waitFor(() => gaps() === 3, 'a gap on a snapshot older than the heartbeat');

    // buffered updates that skip one after the snapshot's seq: a gap, not a picture with a hole
    const second = await nextKind(dealer, 'SNAPSHOT');
    for (const seq of [10, 11, 13]) await pub.send(rawUpdate('E2', seq));
    await sleep(250);
    await dealer.send(['SNAPEND', JSON.stringify({ v: 1, gw: 'gw-b', epoch: 'E2', requestId: second.requestId, seq: 9, count: 0 })]);
    await waitFor(() => gaps() === 4, 'a gap in the buffered updates');
    assert.notEqual(link(hub, 'gw-b').state, 'live');

    // live traffic already on a newer epoch than the snapshot: asked again as stale, not counted as a gap
    const third = await nextKind(dealer, 'SNAPSHOT');
    await pub.send(rawUpdate('E3', 1));
    await sleep(250);
    const states: string[] = [];
    hub.onLink((l) => l.gateway === 'gw-b' && states.push(l.state));
    await dealer.send(['SNAPEND', JSON.stringify({ v: 1, gw: 'gw-b', epoch: 'E2', requestId: third.requestId, seq: 13, count: 0 })]);
    await answerRawSnapshot(hub, dealer, 'E3', 1, [rawReading(1)]);
    assert.equal(states[0], 'stale', 'a gateway that was synced before is stale while it syncs again');
    assert.equal(gaps(), 4);
    assert.deepEqual(hub.items('gw-b').map((i) => i.id), ['r1']);
  });

  it('a gap (skipped seq) marks the gateway stale, counts it and re-snapshots', async () => {
    const { hub } = await startHub();
    const sim = startSim(hub.endpoints);
    sim.set(sensor());
    await sim.start();
    await waitFor(() => inSync(hub, sim), 'first sync');
    const before = link(hub);
    const states: string[] = [];
    hub.onLink((l) => states.push(l.state));
    sim.skipSeq(3);
    sim.set(sensor());
    await waitFor(() => link(hub).gaps === before.gaps + 1, 'gap counted');
    await waitFor(() => inSync(hub, sim) && link(hub).snapshots > before.snapshots, 're-snapshot');
    assert.ok(states.includes('stale'), `went stale on the gap (${states.join(',')})`);
    assert.equal(link(hub).seq, sim.seq);
  });

  it('a gateway restart (new epoch) leads to a re-snapshot; seq only goes up within an epoch', async () => {
    const { hub } = await startHub();
    const checkSeq = watchSeq(hub);
    const sim = startSim(hub.endpoints);
    sim.set(sensor());
    await sim.start();
    sim.burst(30);
    await waitFor(() => inSync(hub, sim), 'first sync');
    const oldEpoch = sim.epoch;
    const snapshots = link(hub).snapshots;
    sim.restart();
    sim.set(sensor('after-restart'));
    await waitFor(() => inSync(hub, sim) && link(hub).snapshots > snapshots, 're-snapshot on the new epoch');
    assert.notEqual(link(hub).epoch, oldEpoch);
    assert.ok(hub.items('gw-a').some((i) => i.id === 'after-restart'));
    checkSeq();
  });

  it('a frozen gateway is stale within 4 s and live again after it recovers', async () => {
    const { hub } = await startHub();
    const sim = startSim(hub.endpoints);
    sim.set(sensor());
    await sim.start();
    await waitFor(() => inSync(hub, sim), 'first sync');
    sim.freeze();
    const frozenAt = Date.now();
    await waitFor(() => link(hub).state === 'stale', 'stale', 4000);
    const elapsed = Date.now() - frozenAt;
    assert.ok(elapsed <= 4000, `stale after ${elapsed} ms`);
    const snapshots = link(hub).snapshots;
    sim.unfreeze();
    sim.set(sensor('after-freeze'));
    await waitFor(() => inSync(hub, sim) && link(hub).snapshots > snapshots, 'live again');
  });
});

describe('gateway hub: authentication (CURVE + ZAP)', () => {
  it('refuses an unknown CURVE key: no data arrives, the refusal is counted and logged', async () => {
    const logs: GatewayLogEntry[] = [];
    const { hub } = await startHub({ log: logs });
    const intruder = zmq.curveKeyPair();
    const sim = startSim(hub.endpoints, { keyPair: intruder }); // claims to be gw-a
    sim.set(sensor());
    await sim.start();
    sim.burst(10);
    await waitFor(() => hub.stats().zapRefusals >= 2 && sim.stats.authFailures >= 1, 'refusals');
    await sleep(300); // a sleep, not a wait: a refused gateway staying offline is nothing happening
    assert.equal(link(hub).state, 'offline');
    assert.equal(link(hub).lastHeard, null);
    assert.equal(hub.items('gw-a').length, 0);
    assert.ok(logs.some((l) => l.msg === 'zap: refused' && l.reason === 'unknown-key' && l.address === '127.0.0.1' && l.publicKey === intruder.publicKey));
  });

  it('refuses plain (NULL mechanism) clients on both sockets', async () => {
    const { hub } = await startHub();
    const pub = new zmq.Publisher({ linger: 0 });
    const dealer = new zmq.Dealer({ routingId: 'gw-a', linger: 0, sendTimeout: 0 });
    cleanups.push(() => {
      pub.close();
      dealer.close();
    });
    pub.connect(hub.endpoints.updates);
    dealer.connect(hub.endpoints.control);
    const epoch = 'plain-1';
    const body = (seq: number) => JSON.stringify({ v: GATEWAY_PROTOCOL_VERSION, gw: 'gw-a', epoch, seq, at: Date.now() });
    for (let i = 0; i < 10; i++) {
      await pub.send(['HUGZ', body(0)]);
      await dealer.send(['HELLO', JSON.stringify({ v: GATEWAY_PROTOCOL_VERSION, gw: 'gw-a', epoch, seq: 0, name: 'plain' })]).catch(() => undefined);
      await sleep(50); // pacing the attempts
    }
    await waitFor(() => hub.stats().handshakeFailures >= 2, 'handshake failures on both sockets');
    assert.equal(link(hub).lastHeard, null);
    assert.equal(link(hub).state, 'offline');
  });

  it('drops messages naming another gateway (routing id ≠ gw) and non-allow-listed gateway ids', async () => {
    const { hub } = await startHub();
    const dealer = signing(new zmq.Dealer({ routingId: 'gw-b', linger: 0, curveServerKey: hostKeys.publicKey, curvePublicKey: keysB.publicKey, curveSecretKey: keysB.secretKey }), keysB);
    cleanups.push(() => dealer.close());
    dealer.connect(hub.endpoints.control);
    await dealer.send(['HELLO', JSON.stringify({ v: 1, gw: 'gw-a', epoch: 'e', seq: 0, name: 'spoof' })]);
    await dealer.send(['HELLO', JSON.stringify({ v: 1, gw: 'gw-zzz', epoch: 'e', seq: 0, name: 'stranger' })]);
    await waitFor(() => hub.stats().foreign >= 2, 'foreign messages counted');
    assert.equal(link(hub, 'gw-a').lastHeard, null);
    assert.equal(link(hub, 'gw-b').lastHeard, null);
  });
});

describe('gateway hub: hostile input', () => {
  it('malformed messages from the simulator never crash the hub nor change its state', async () => {
    const { hub } = await startHub();
    const sim = startSim(hub.endpoints);
    sim.set(sensor());
    await sim.start();
    await waitFor(() => inSync(hub, sim), 'first sync');
    const hash = hub.stateHash('gw-a');
    const seq = link(hub).seq;
    const kinds = ['not-json', 'wrong-frames', 'schema', 'unknown-kind', 'wrong-version'] as const;
    for (const kind of kinds) {
      sim.sendMalformed(kind, 'updates');
      sim.sendMalformed(kind, 'control');
    }
    sim.sendMalformed('oversized', 'updates'); // libzmq drops the connection; the PUB reconnects
    sim.sendMalformed('oversized', 'control');
    const counted = () => link(hub).rejected + hub.stats().rejected;
    await waitFor(() => counted() >= kinds.length * 2, `all ${kinds.length * 2} rejected (got ${counted()})`);
    assert.equal(hub.stateHash('gw-a'), hash);
    assert.equal(link(hub).seq, seq);
    assert.equal(link(hub).gaps, 0);
    // Still working afterwards.
    sim.set(sensor('after-garbage'));
    await waitFor(() => inSync(hub, sim) && hub.items('gw-a').some((i) => i.id === 'after-garbage'), 'still in sync');
  });

  it('fuzz: random frames on both sockets are counted and change nothing', async () => {
    const { hub } = await startHub();
    const sim = startSim(hub.endpoints);
    sim.set(sensor());
    await sim.start();
    await waitFor(() => inSync(hub, sim), 'first sync');
    const hash = hub.stateHash('gw-a');
    const curve = { curveServerKey: hostKeys.publicKey, curvePublicKey: keysB.publicKey, curveSecretKey: keysB.secretKey, linger: 0 };
    const dealer = signing(new zmq.Dealer({ ...curve, routingId: 'gw-b' }), keysB);
    const pub = signing(new zmq.Publisher(curve), keysB);
    cleanups.push(() => {
      dealer.close();
      pub.close();
    });
    const pubReady = new Promise<void>((resolve) => pub.events.on('handshake', () => resolve()));
    dealer.connect(hub.endpoints.control);
    pub.connect(hub.endpoints.updates);
    await pubReady;
    await sleep(200); // the SUB's subscription reaches the PUB

    const kinds = ['UPDATE', 'HUGZ', 'HELLO', 'SNAPSHOT', 'SNAP', 'SNAPEND', 'COMMAND', 'ACK', 'GOSSIP', ''];
    const valid = { v: 1, gw: 'gw-b', epoch: 'e1', seq: 1, at: 1, name: 'x', requestId: 'r', items: [], count: 0 };
    const frame = fc.oneof(
      fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
      fc.json().map((j) => Buffer.from(j)),
      // near-misses: a valid-looking header with one field replaced or removed
      fc.record({ key: fc.constantFrom(...Object.keys(valid)), value: fc.jsonValue() }).map(({ key, value }) => Buffer.from(JSON.stringify({ ...valid, [key]: value }))),
    );
    const message = fc.oneof(
      fc.tuple(fc.constantFrom(...kinds), frame).map(([k, b]) => [Buffer.from(k), b]),
      fc.array(frame, { minLength: 1, maxLength: 4 }),
    );
    // Only messages decodeGatewayMessage refuses: the point is that refused input has no effect.
    const samples = fc.sample(message, 300).filter((frames) => {
      try {
        decodeGatewayMessage(frames);
        return false;
      } catch {
        return true;
      }
    });
    for (const frames of samples) {
      await dealer.send(frames);
      await pub.send(frames);
    }
    const counted = () => link(hub, 'gw-b').rejected + hub.stats().rejected;
    // On the ROUTER one empty frame is what ZMQ_ROUTER_NOTIFY delivers for a (re)connection: the hub
    // reads it as one (the sender can only make itself prove its key again), so it is not counted.
    const notices = samples.filter((frames) => frames.length === 1 && frames[0]!.length === 0).length;
    const expected = samples.length * 2 - notices;
    // PUB messages whose first frame matches no subscription prefix are still delivered (subscribe all),
    // except an empty first frame — still a message; every one is counted.
    await waitFor(() => counted() >= expected, `${expected} rejected`);
    assert.equal(link(hub, 'gw-b').state, 'offline', 'refused input never starts a sync');
    assert.equal(hub.stateHash('gw-a'), hash);
    assert.equal(link(hub).state, 'live');
    sim.set(sensor('after-fuzz'));
    await waitFor(() => inSync(hub, sim) && hub.items('gw-a').some((i) => i.id === 'after-fuzz'), 'still in sync');
  });
});

describe('gateway hub: field commands (Titanic)', () => {
  it('a command is persisted, acked once, and a repeat resolves with the first ack', async () => {
    const { hub, outbox } = await startHub();
    const sim = startSim(hub.endpoints);
    await sim.start();
    await waitFor(() => inSync(hub, sim), 'first sync');
    const acks: string[] = [];
    hub.onAck((_gw, ack) => acks.push(ack.id));
    const ack = await hub.sendCommand('gw-a', command('cmd-00000001'));
    assert.equal(ack.status, 'done');
    assert.equal(ack.id, 'cmd-00000001');
    assert.deepEqual(outbox.get('cmd-00000001')?.ack, ack);
    assert.equal(outbox.pendingCount('gw-a'), 0);
    const again = await hub.sendCommand('gw-a', command('cmd-00000001'));
    assert.deepEqual(again, ack);
    await sleep(100); // a sleep, not a wait: the command not acted on twice is nothing happening
    assert.equal(sim.effects.get('cmd-00000001'), 1);
    assert.deepEqual(acks, ['cmd-00000001']);
    // A second ACK for an acked id is ignored.
    assert.equal(outbox.markAcked('cmd-00000001', { ...ack, status: 'rejected' }), false);
    assert.equal(outbox.get('cmd-00000001')?.ack?.status, 'done');
  });

  it('is retried until the gateway comes back; the outbox survives a new hub on the same DB file', async () => {
    const dbFile = join(dir, 'outbox-restart.sqlite');
    const first = await startHub({ dbFile });
    const pending = first.hub.sendCommand('gw-a', command('cmd-retry-1')).catch((error: Error) => error);
    assert.equal(first.outbox.pendingCount('gw-a'), 1, 'persisted before any gateway is there');
    await sleep(100); // the command is on its way to no gateway: nothing to wait on
    await first.hub.close(); // host restarts while the command is unacknowledged
    assert.ok((await pending) instanceof Error);
    first.db.close();

    const second = await startHub({ dbFile });
    assert.equal(second.outbox.pendingCount('gw-a'), 1);
    assert.equal(second.outbox.get('cmd-retry-1')?.state, 'pending');
    const acked = new Promise<string>((resolve) => second.hub.onAck((_gw, ack) => resolve(ack.id)));
    const late = second.hub.sendCommand('gw-a', command('cmd-retry-2')); // sent while the gateway is away
    await sleep(300); // the gateway stays away a while: the scenario, not a wait
    const sim = startSim(second.endpoints);
    await sim.start(); // the gateway comes back: the 2 s retry delivers both
    assert.equal(await acked, 'cmd-retry-1');
    assert.equal((await late).status, 'done');
    await waitFor(() => second.outbox.pendingCount('gw-a') === 0, 'both acked');
    await sleep(2200); // a further retry round must not apply anything twice
    assert.equal(sim.effects.get('cmd-retry-1'), 1);
    assert.equal(sim.effects.get('cmd-retry-2'), 1);
  });
});

// ------------------------------------------------------------------------------------------------
// Raw CURVE gateway sockets, for the protocol's edges.

async function rawGateway(hub: GatewayHub, options: { id?: string; keys?: { publicKey: string; secretKey: string }; pub?: boolean } = {}) {
  const id = options.id ?? 'gw-b';
  const keys = options.keys ?? keysB;
  const curve = { curveServerKey: hostKeys.publicKey, curvePublicKey: keys.publicKey, curveSecretKey: keys.secretKey, linger: 0 };
  const dealer = signing(new zmq.Dealer({ ...curve, routingId: id, receiveTimeout: 15_000 }), keys);
  const pub = signing(new zmq.Publisher(curve), keys);
  cleanups.push(() => {
    if (!dealer.closed) dealer.close();
    if (!pub.closed) pub.close();
  });
  const pubReady = new Promise<void>((resolve) => pub.events.on('handshake', () => resolve()));
  dealer.connect(hub.endpoints.control);
  pub.connect(hub.endpoints.updates);
  await pubReady;
  await sleep(200); // the SUB's subscription reaches the PUB
  return { id, dealer, pub, header: { v: 1 as const, gw: id, epoch: 'E1' } };
}

const rawReading = (n: number) => ({ type: 'reading' as const, id: `r${n}`, at: n, value: n, extra: {} });
const rawUpdate = (epoch: string, seq: number) => ['UPDATE', JSON.stringify({ v: 1, gw: 'gw-b', epoch, seq, at: seq, op: 'set', item: rawReading(seq) })];
const rawHugz = (epoch: string, seq: number) => ['HUGZ', JSON.stringify({ v: 1, gw: 'gw-b', epoch, seq, at: Date.now() })];

/** Answers the hub's next SNAPSHOT request to gw-b with `items` as of `seq` in `epoch` (`count` if given, else the true one) and, unless told otherwise, waits for the link to be live on it. */
async function answerRawSnapshot(hub: GatewayHub, dealer: zmq.Dealer, epoch: string, seq: number, items: ReturnType<typeof rawReading>[], options: { count?: number; live?: boolean } = {}) {
  const { requestId } = await nextKind(dealer, 'SNAPSHOT');
  await dealer.send(['SNAP', JSON.stringify({ v: 1, gw: 'gw-b', epoch, requestId, items })]);
  await dealer.send(['SNAPEND', JSON.stringify({ v: 1, gw: 'gw-b', epoch, requestId, seq, count: options.count ?? items.length })]);
  if (options.live === false) return;
  await waitFor(() => link(hub, 'gw-b').state === 'live' && link(hub, 'gw-b').epoch === epoch && link(hub, 'gw-b').seq === seq, `live in ${epoch} at ${seq}`);
}

async function nextKind(dealer: zmq.Dealer, kind: string): Promise<{ requestId: string }> {
  for (;;) {
    const [k, body] = await dealer.receive();
    if (String(k) === kind) return JSON.parse(String(body)) as { requestId: string };
  }
}

describe('gateway hub: snapshot timing', () => {
  it('a gateway that takes 3 s to start answering a snapshot (heartbeating meanwhile) syncs on the first request', { timeout: 30_000 }, async () => {
    const { hub } = await startHub();
    const gw = await rawGateway(hub);
    const requests: string[] = [];
    const heartbeat = setInterval(() => void gw.pub.send(['HUGZ', JSON.stringify({ ...gw.header, seq: 0, at: Date.now() })]).catch(() => {}), 500);
    cleanups.push(() => clearInterval(heartbeat));
    await gw.dealer.send(['HELLO', JSON.stringify({ ...gw.header, seq: 0, name: 'slow' })]);
    const { requestId } = await nextKind(gw.dealer, 'SNAPSHOT');
    requests.push(requestId);
    // count any further requests while we "prepare" the answer
    const counting = (async () => {
      try {
        for (;;) requests.push((await nextKind(gw.dealer, 'SNAPSHOT')).requestId);
      } catch {
        // socket closed or receive timeout
      }
    })();
    await sleep(3000); // the gateway takes 3 s to answer: the scenario, not a wait
    const item = { type: 'reading' as const, id: 'r1', at: 1, value: 1, extra: {} };
    await gw.dealer.send(['SNAP', JSON.stringify({ ...gw.header, requestId, items: [item] })]);
    await sleep(1500); // a SNAP resets the timer: SNAPEND may follow later
    await gw.dealer.send(['SNAPEND', JSON.stringify({ ...gw.header, requestId, seq: 0, count: 1 })]);
    await waitFor(() => link(hub, 'gw-b').state === 'live', 'live');
    assert.deepEqual(requests, [requestId], 'one request only');
    gw.dealer.close();
    await counting;
  });
});

describe('gateway hub: reconnect with the same routing id (ROUTER handover)', () => {
  it('a second connection with the routing id of a half-dead one is served', { timeout: 30_000 }, async () => {
    const { hub } = await startHub();
    const first = await rawGateway(hub);
    await first.dealer.send(['HELLO', JSON.stringify({ ...first.header, seq: 0, name: 'first' })]);
    await nextKind(first.dealer, 'SNAPSHOT');
    // The first connection stays open but answers nothing (a frozen process); a new one takes over.
    const curve = { curveServerKey: hostKeys.publicKey, curvePublicKey: keysB.publicKey, curveSecretKey: keysB.secretKey, linger: 0 };
    const second = signing(new zmq.Dealer({ ...curve, routingId: 'gw-b', receiveTimeout: 8000 }), keysB);
    cleanups.push(() => second.close());
    const handshake = new Promise<void>((resolve) => second.events.on('handshake', () => resolve()));
    second.connect(hub.endpoints.control);
    await handshake;
    const header = { v: 1 as const, gw: 'gw-b', epoch: 'E2' };
    await second.send(['HELLO', JSON.stringify({ ...header, seq: 0, name: 'second' })]);
    const { requestId } = await nextKind(second, 'SNAPSHOT');
    await second.send(['SNAPEND', JSON.stringify({ ...header, requestId, seq: 0, count: 0 })]);
    await waitFor(() => link(hub, 'gw-b').state === 'live' && link(hub, 'gw-b').epoch === 'E2', 'live on the new connection');
  });
});

describe('gateway hub: bytes the protocol forbids', () => {
  const hello = '{"v":1,"gw":"gw-b","epoch":"E1","seq":0,"name":"x"}';
  it('refuses a body with a UTF-8 BOM, and integer fields written with a fraction or an exponent', () => {
    assert.throws(() => decodeGatewayMessage([Buffer.from('HELLO'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(hello)])]), /BOM/);
    assert.throws(() => decodeGatewayMessage([Buffer.from('HELLO'), Buffer.from(hello.replace('"seq":0', '"seq":0.0'))]), /seq.*integer/);
    const update = (seq: string) => `{"v":1,"gw":"gw-b","epoch":"E1","seq":${seq},"at":5,"op":"set","item":{"type":"reading","id":"r","at":1,"value":1.5e0,"extra":{}}}`;
    assert.throws(() => decodeGatewayMessage([Buffer.from('UPDATE'), Buffer.from(update('12.0'))]), /seq.*integer/);
    assert.throws(() => decodeGatewayMessage([Buffer.from('UPDATE'), Buffer.from(update('1.2e1'))]), /seq.*integer/);
    assert.throws(() => decodeGatewayMessage([Buffer.from('UPDATE'), Buffer.from(update('12').replace('"at":1,', '"at":1.0,'))]), /at.*integer/);
    // numbers that are not integers by schema keep their fractions and exponents
    assert.equal(decodeGatewayMessage([Buffer.from('UPDATE'), Buffer.from(update('12'))]).kind, 'UPDATE');
    // a name that merely contains digits and dots is text, not a number
    assert.equal(decodeGatewayMessage([Buffer.from('HELLO'), Buffer.from(hello.replace('"name":"x"', '"name":"\\"seq\\":1.0"'))]).kind, 'HELLO');
  });

  it('one-frame, non-UTF-8 and BOM messages from an allowed gateway count on its link and start nothing', async () => {
    const { hub } = await startHub();
    const gw = await rawGateway(hub);
    const bodyWithBadByte = Buffer.concat([Buffer.from('{"v":1,"gw":"gw-b","epoch":"E1","seq":0,"at":1,"x":"'), Buffer.from([0xff]), Buffer.from('"}')]);
    await gw.dealer.send(['HELLO']);
    await gw.dealer.send([Buffer.from('HELLO'), Buffer.from([0xc3, 0x28])]);
    await gw.dealer.send([Buffer.from('HELLO'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(hello)])]);
    await gw.pub.send([Buffer.from('HUGZ'), bodyWithBadByte]);
    await gw.pub.send([Buffer.from('HUGZ'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"v":1,"gw":"gw-b","epoch":"E1","seq":0,"at":1}')])]);
    await waitFor(() => link(hub, 'gw-b').rejected + hub.stats().rejected >= 5, 'all 5 refused');
    assert.equal(link(hub, 'gw-b').rejected, 5);
    assert.equal(hub.stats().rejected, 0);
    assert.equal(link(hub, 'gw-b').state, 'offline');
  });
});

describe('gateway hub: per-gateway bounds', () => {
  it('abandons a snapshot over maxItems and asks again; refuses a live set of a new key once the state is full', { timeout: 30_000 }, async () => {
    const { hub } = await startHub({ limits: { maxItems: 3 } });
    const gw = await rawGateway(hub);
    const reading = (n: number) => ({ type: 'reading' as const, id: `r${n}`, at: n, value: n, extra: {} });
    await gw.dealer.send(['HELLO', JSON.stringify({ ...gw.header, seq: 0, name: 'big' })]);
    const first = await nextKind(gw.dealer, 'SNAPSHOT');
    await gw.dealer.send(['SNAP', JSON.stringify({ ...gw.header, requestId: first.requestId, items: [1, 2, 3, 4].map(reading) })]);
    const second = await nextKind(gw.dealer, 'SNAPSHOT');
    assert.notEqual(second.requestId, first.requestId);
    assert.equal(link(hub, 'gw-b').rejected, 1);
    await gw.dealer.send(['SNAP', JSON.stringify({ ...gw.header, requestId: second.requestId, items: [1, 2, 3].map(reading) })]);
    await gw.dealer.send(['SNAPEND', JSON.stringify({ ...gw.header, requestId: second.requestId, seq: 0, count: 3 })]);
    await waitFor(() => link(hub, 'gw-b').state === 'live', 'live');
    const update = (seq: number, item: ReturnType<typeof reading>) => ['UPDATE', JSON.stringify({ ...gw.header, seq, at: seq, op: 'set', item })];
    await gw.pub.send(update(1, reading(4))); // a fourth key: refused
    await gw.pub.send(update(2, { ...reading(2), value: 20 })); // an existing key: applied
    await waitFor(() => link(hub, 'gw-b').seq === 2, 'both updates taken in sequence');
    assert.equal(link(hub, 'gw-b').rejected, 2);
    assert.equal(link(hub, 'gw-b').gaps, 0);
    assert.deepEqual(hub.items('gw-b').map((i) => `${i.id}=${(i as { value: number }).value}`).sort(), ['r1=1', 'r2=20', 'r3=3']);
  });
});

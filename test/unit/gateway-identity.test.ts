/**
 * A gateway's identity is its key (docs/gateway-protocol.md §2): over REAL ZeroMQ CURVE sockets,
 * gateway A — allow-listed with its own key — tries to speak for gateway B on the SUB (forged
 * readings, a critical event, heartbeats that would make B re-snapshot forever) and on the ROUTER
 * (taking B's routing id while B is away, to receive B's siren command and acknowledge it). None
 * of it may reach B's live state, the alerts it would raise, or the command outbox. Then keys are
 * rotated and the allow-list reloaded without restarting the hub.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import Database from 'better-sqlite3-multiple-ciphers';
import * as zmq from 'zeromq';
import { SqliteCommandOutbox } from '../../electron/node/gateway/command-outbox.js';
import { GatewayHub, type GatewayConfig, type ItemChange } from '../../electron/node/gateway/gateway-hub.js';
import { loadOrCreateKeyPair, type CurveKeyPair } from '../../electron/node/gateway/keys.js';
import { messageMac, messageMacKey, z85Decode, z85Encode } from '../../native-bridge/gateway-auth/message-mac.js';
import type { FieldCommand } from '../../native-bridge/gateway-protocol.js';
import { SimGateway } from '../../sim/gateway.js';
import { tempDir } from '../support/fixtures.js';

const dir = tempDir('ioc-wall-gateway-identity-');
const hostKeys = loadOrCreateKeyPair(join(dir, 'host.json'));
const keysA = zmq.curveKeyPair();
const keysB = zmq.curveKeyPair();
const allowList: GatewayConfig[] = [
  { id: 'gw-a', name: 'Trạm Tân An', publicKey: keysA.publicKey },
  { id: 'gw-b', name: 'Trạm Bến Lức', publicKey: keysB.publicKey },
];

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});
after(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function hubWith(gateways: GatewayConfig[] = allowList) {
  const db = new Database(join(dir, `outbox-${Math.random().toString(36).slice(2)}.sqlite`));
  cleanups.push(() => void db.close());
  const outbox = new SqliteCommandOutbox(db);
  const hub = new GatewayHub({ endpoints: { updates: 'tcp://127.0.0.1:*', control: 'tcp://127.0.0.1:*' }, keyPair: hostKeys, gateways, outbox, log: (entry) => process.env.HUB_LOG && console.log(JSON.stringify(entry)) });
  cleanups.push(() => hub.close());
  await hub.start();
  const delivered: { gateway: string; change: ItemChange }[] = [];
  hub.onChange((gateway, changes) => changes.forEach((change) => delivered.push({ gateway, change })));
  return { hub, outbox, delivered };
}

function simulated(hub: GatewayHub, id: string, keyPair: CurveKeyPair, name = id) {
  const sim = new SimGateway({ id, name, endpoints: hub.endpoints, hostPublicKey: hostKeys.publicKey, keyPair, helloRepeatMs: 300 });
  cleanups.push(() => sim.stop());
  return sim;
}

/** The attacker's raw sockets: CURVE with its own (allow-listed) key, a routing id of its choosing. */
async function impostor(hub: GatewayHub, keys: CurveKeyPair, routingId: string) {
  const curve = { curveServerKey: hostKeys.publicKey, curvePublicKey: keys.publicKey, curveSecretKey: keys.secretKey, linger: 0 };
  const pub = new zmq.Publisher(curve);
  const dealer = new zmq.Dealer({ ...curve, routingId, receiveTimeout: 200 });
  cleanups.push(() => {
    pub.close();
    dealer.close();
  });
  const ready = Promise.all([pub, dealer].map((s) => new Promise<void>((resolve) => s.events.on('handshake', () => resolve()))));
  pub.connect(hub.endpoints.updates);
  dealer.connect(hub.endpoints.control);
  await ready;
  await sleep(200); // the SUB's subscription reaches the PUB
  const macKey = messageMacKey(keys, hostKeys.publicKey);
  /** Both ways an impostor can try: without a MAC, and with the MAC its own key makes. */
  const forms = (kind: string, body: object) => {
    const json = JSON.stringify(body);
    return [[kind, json], [kind, json, messageMac(macKey, kind, json)]];
  };
  const received: string[] = [];
  const drain = async () => {
    for (;;) {
      try {
        const [kind, body] = await dealer.receive();
        received.push(`${String(kind)} ${String(body)}`);
      } catch {
        return;
      }
    }
  };
  return { pub, dealer, forms, received, drain };
}

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) assert.fail(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const linkOf = (hub: GatewayHub, id: string) => hub.links().find((l) => l.gateway === id)!;
const rainGauge = { type: 'sensor' as const, id: 'ben-luc-rain', kind: 'rain' as const, name: 'Trạm mưa Bến Lức', commune: 'Bến Lức', location: { lat: 10.64, lon: 106.49 }, unit: 'mm/h', thresholds: { warning: 50 } };
const siren = (id: string): FieldCommand => ({ id, type: 'siren', target: 'siren-ben-luc', params: { on: true, minutes: 5 }, issuedAt: Date.now(), issuedBy: 'commander-1' });

describe('gateway message MAC', () => {
  it('both ends derive the same key; Z85 decodes what it encodes (RFC 32 vector)', () => {
    assert.deepEqual(messageMacKey(hostKeys, keysA.publicKey), messageMacKey(keysA, hostKeys.publicKey));
    assert.notDeepEqual(messageMacKey(hostKeys, keysA.publicKey), messageMacKey(hostKeys, keysB.publicKey));
    assert.equal(z85Encode(z85Decode('HelloWorld')), 'HelloWorld');
    assert.deepEqual([...z85Decode('HelloWorld')], [0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b]);
    assert.throws(() => z85Decode('Hello~orld'), /Z85/);
  });
});

describe('gateway identity is bound to its key', () => {
  it("on the SUB: A's key claiming B's id changes nothing of B (no reading, no critical event, no re-snapshot)", async () => {
    const { hub, delivered } = await hubWith();
    const b = simulated(hub, 'gw-b', keysB, 'Trạm Bến Lức');
    b.set(rainGauge);
    await b.start();
    await waitFor(() => linkOf(hub, 'gw-b').state === 'live', 'B live');
    const before = { ...linkOf(hub, 'gw-b') };
    const items = JSON.stringify(hub.items('gw-b'));
    delivered.length = 0;
    const a = await impostor(hub, keysA, 'gw-a');
    const header = { v: 1, gw: 'gw-b', epoch: b.epoch };
    const forgedReading = { ...header, seq: b.seq + 1, at: Date.now(), op: 'set', item: { type: 'reading', id: 'ben-luc-rain', at: Date.now(), value: 999, extra: {} } };
    const forgedEvent = { ...header, seq: b.seq + 2, at: Date.now(), op: 'set', item: { type: 'event', id: 'lu-gia', at: Date.now(), severity: 'critical', category: 'flood', title: { vi: 'Lũ khẩn cấp', en: 'Flash flood' }, cleared: false } };
    const forgedHeartbeat = { ...header, seq: b.seq + 1_000, at: Date.now() };
    for (const frames of [...a.forms('UPDATE', forgedReading), ...a.forms('UPDATE', forgedEvent), ...a.forms('HUGZ', forgedHeartbeat)]) await a.pub.send(frames);
    await waitFor(() => hub.stats().forged + hub.stats().rejected >= 6, 'the six forged messages refused');
    assert.equal(delivered.length, 0, 'nothing reached the listeners (live state, cache, alerts)');
    assert.equal(hub.stats().forged, 3, 'the three signed with A’s key are forged');
    assert.equal(JSON.stringify(hub.items('gw-b')), items);
    const after = linkOf(hub, 'gw-b');
    assert.equal(after.gaps, before.gaps, 'no gap: B is not re-snapshotted');
    assert.equal(after.snapshots, before.snapshots);
    assert.equal(after.rejected, 0, "B's counters are not the impostor's to raise");
    // B's own next update is applied as usual: the forged seq numbers took nothing from it
    b.set({ type: 'reading', id: 'ben-luc-rain', at: Date.now(), value: 12.5, extra: {} });
    await waitFor(() => delivered.some((d) => d.gateway === 'gw-b' && d.change.item.type === 'reading' && d.change.item.value === 12.5), "B's own reading");
    assert.equal(linkOf(hub, 'gw-b').gaps, before.gaps);
  });

  it("on the ROUTER: A holding B's routing id while B is away gets no command and cannot acknowledge it", { timeout: 60_000 }, async () => {
    const { hub, outbox } = await hubWith();
    const b = simulated(hub, 'gw-b', keysB, 'Trạm Bến Lức');
    await b.start();
    await waitFor(() => linkOf(hub, 'gw-b').state === 'live', 'B live');
    await b.stop(); // B goes away; it was heard a moment ago, so the hub would still send to it
    const a = await impostor(hub, keysA, 'gw-b');
    const header = { v: 1, gw: 'gw-b', epoch: b.epoch };
    for (const frames of a.forms('HELLO', { ...header, seq: b.seq, name: 'Trạm Bến Lức' })) await a.dealer.send(frames);
    const acks: string[] = [];
    hub.onAck((_gw, ack) => acks.push(ack.id));
    const delivery = hub.sendCommand('gw-b', siren('siren-cmd-1'));
    delivery.catch(() => {});
    await sleep(300); // a sleep, not a wait: the command is not to reach the impostor, which leaves nothing to wait on
    // a fake "done", however A learned the id
    const ack = { ...header, id: 'siren-cmd-1', status: 'done', at: Date.now() };
    for (const frames of a.forms('ACK', ack)) await a.dealer.send(frames);
    await sleep(2600); // past one command retry round
    await a.drain();
    a.dealer.close(); // (else its reconnects would keep taking the routing id back from B)
    assert.deepEqual(
      a.received.filter((r) => r.startsWith('COMMAND')),
      [],
      'the impostor received no command',
    );
    assert.deepEqual(acks, [], 'no acknowledgement accepted');
    assert.equal(outbox.get('siren-cmd-1')?.ack ?? null, null, 'the outbox still waits for the real acknowledgement');
    assert.ok(hub.stats().forged >= 2, `forged counted (${hub.stats().forged})`);
    // B comes back (its connection takes the routing id back), proves its key, and gets the command once
    const back = simulated(hub, 'gw-b', keysB, 'Trạm Bến Lức');
    await back.start();
    assert.equal((await delivery).status, 'done');
    assert.equal(back.effects.get('siren-cmd-1'), 1);
  });
});

describe('key rotation without a restart', () => {
  it('next key accepted alongside the current one, then the old key dropped; a bad list keeps the old one', { timeout: 60_000 }, async () => {
    const { hub } = await hubWith();
    const next = zmq.curveKeyPair();
    // before the reload, the next key is a stranger
    const early = simulated(hub, 'gw-a', next, 'Trạm Tân An');
    await early.start();
    await waitFor(() => hub.stats().zapRefusals >= 1, 'the next key refused before the reload');
    await early.stop();
    assert.throws(() => hub.reload([...allowList, { id: 'gw-a', name: 'Trùng', publicKey: next.publicKey }]), /listed twice/);
    assert.throws(() => hub.reload([{ ...allowList[0]!, nextPublicKey: keysB.publicKey }, allowList[1]!]), /already used/);
    assert.deepEqual(
      hub.registeredKeys().map((g) => g.keys),
      [[keysA.publicKey], [keysB.publicKey]],
      'a refused list changes nothing',
    );
    const result = hub.reload([{ ...allowList[0]!, nextPublicKey: next.publicKey }, allowList[1]!]);
    assert.deepEqual(result, { added: [], removed: [], changed: ['gw-a'] });
    const rotated = simulated(hub, 'gw-a', next, 'Trạm Tân An');
    rotated.set(rainGauge);
    await rotated.start();
    await waitFor(() => linkOf(hub, 'gw-a').state === 'live' && hub.items('gw-a').length === 1, 'the gateway on its next key is live');
    // rotation done: only the new key is registered; the old key is refused
    hub.reload([{ id: 'gw-a', name: 'Trạm Tân An', publicKey: next.publicKey }, allowList[1]!]);
    const refusals = hub.stats().zapRefusals;
    const old = simulated(hub, 'gw-b-old', keysA, 'cũ');
    await old.start();
    await waitFor(() => hub.stats().zapRefusals > refusals, 'the old key refused after the rotation');
    // the rotated gateway goes on without a reconnect
    rotated.set({ type: 'reading', id: 'ben-luc-rain', at: Date.now(), value: 3, extra: {} });
    await waitFor(() => hub.items('gw-a').length === 2, 'still live on the new key');
    // a gateway added by a reload is served too; one removed is forgotten
    const added = hub.reload([{ id: 'gw-a', name: 'Trạm Tân An', publicKey: next.publicKey }, { id: 'gw-c', name: 'Trạm Cần Giuộc', publicKey: keysA.publicKey }]);
    assert.deepEqual(added, { added: ['gw-c'], removed: ['gw-b'], changed: [] });
    assert.deepEqual(
      hub.links().map((l) => l.name),
      ['Trạm Tân An', 'Trạm Cần Giuộc'],
    );
  });
});

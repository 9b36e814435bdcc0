/**
 * The simulated gateway against a tiny host written here (SUB + ROUTER, CURVE server, a ZAP
 * allow-list), over real ZeroMQ sockets on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as zmq from 'zeromq';
import { unsigned } from '../../native-bridge/gateway-auth/message-mac.js';
import {
  GATEWAY_MAX_MESSAGE_BYTES,
  GATEWAY_PROTOCOL_VERSION,
  decodeGatewayMessage,
  encodeGatewayMessage,
  itemKey,
  type MessageKind,
  type MessageOf,
} from '../../native-bridge/gateway-protocol.js';
import { SimGateway, type CurveKeyPair } from '../../sim/gateway.js';
import { until } from '../support/page-wait.js';

// ------------------------------------------------------------------ a tiny host

const Z85 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#';
function z85(bytes: Buffer): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4) {
    let value = bytes.readUInt32BE(i);
    let chunk = '';
    for (let j = 0; j < 5; j++) {
      chunk = Z85[value % 85]! + chunk;
      value = Math.floor(value / 85);
    }
    out += chunk;
  }
  return out;
}

const ZAP_DOMAIN = 'sim-test';
const allowed = new Set<string>();
let zap: zmq.Router;
let zapLoop: Promise<void>;

before(async () => {
  zap = new zmq.Router({ linger: 0 });
  await zap.bind('inproc://zeromq.zap.01');
  zapLoop = (async () => {
    try {
      for await (const [peer, empty, _version, requestId, domain, _address, _identity, mechanism, key] of zap) {
        const ok = domain?.toString() === ZAP_DOMAIN && mechanism?.toString() === 'CURVE' && key?.length === 32 && allowed.has(z85(key));
        await zap.send([peer!, empty!, '1.0', requestId!, ok ? '200' : '400', ok ? 'OK' : 'key not allowed', '', '']);
      }
    } catch {
      // closed
    }
  })();
});

after(async () => {
  zap.close();
  await zapLoop;
});

type Received = { channel: 'sub' | 'router'; kind: string; body: unknown; raw: string; from?: string };

class Host {
  readonly keys = zmq.curveKeyPair();
  readonly sub: zmq.Subscriber;
  readonly router: zmq.Router;
  readonly received: Received[] = [];
  malformed = 0;
  private loops: Promise<void>[] = [];
  private waiters: (() => void)[] = [];

  constructor() {
    const options = {
      curveServer: true,
      curveSecretKey: this.keys.secretKey,
      zapDomain: ZAP_DOMAIN,
      maxMessageSize: GATEWAY_MAX_MESSAGE_BYTES,
      heartbeatInterval: 1000,
      heartbeatTimeout: 3000,
      linger: 0,
    };
    this.sub = new zmq.Subscriber(options);
    this.router = new zmq.Router({ ...options, handover: true, mandatory: true });
  }

  endpoints = { updates: '', control: '' };

  async open(): Promise<this> {
    await this.sub.bind('tcp://127.0.0.1:*');
    await this.router.bind('tcp://127.0.0.1:*');
    this.sub.subscribe();
    this.endpoints = { updates: this.sub.lastEndpoint!, control: this.router.lastEndpoint! };
    this.loops.push(this.loop('sub'), this.loop('router'));
    return this;
  }

  private async loop(channel: 'sub' | 'router'): Promise<void> {
    const socket = channel === 'sub' ? this.sub : this.router;
    try {
      for await (const all of socket) {
        const from = channel === 'router' ? all[0]!.toString() : undefined;
        const frames = channel === 'router' ? all.slice(1) : all;
        try {
          // the MAC itself is the hub's to check (gateway-identity.test.ts)
          const message = decodeGatewayMessage(unsigned(frames));
          this.received.push({ channel, kind: message.kind, body: message.body, raw: frames[1]!.toString(), from });
        } catch {
          this.malformed++;
        }
        for (const waiter of this.waiters.splice(0)) waiter();
      }
    } catch {
      // closed
    }
  }

  of<K extends MessageKind>(kind: K): MessageOf<K>[] {
    return this.received.filter((r) => r.kind === kind).map((r) => r.body as MessageOf<K>);
  }

  /** Resolves when `predicate` holds (checked on every message), rejects after `ms`. */
  async until(predicate: () => boolean, ms = 3000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + ms;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async send<K extends MessageKind>(gatewayId: string, kind: K, body: MessageOf<K>): Promise<void> {
    await this.router.send([gatewayId, ...encodeGatewayMessage(kind, body)]);
  }

  async close(): Promise<void> {
    this.sub.close();
    this.router.close();
    await Promise.all(this.loops);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function newKeys(): CurveKeyPair {
  const pair = zmq.curveKeyPair();
  return { publicKey: pair.publicKey, secretKey: pair.secretKey };
}

/** A host and one allow-listed gateway; the gateway is started and its HELLO received. */
async function setup(id = 'gw-test', configure?: (gw: SimGateway) => void) {
  const host = await new Host().open();
  const keyPair = newKeys();
  allowed.add(keyPair.publicKey);
  const gw = new SimGateway({ id, name: 'Cổng thử nghiệm', endpoints: host.endpoints, hostPublicKey: host.keys.publicKey, keyPair });
  configure?.(gw);
  await gw.start();
  await host.until(() => host.of('HELLO').length > 0, 3000, 'HELLO');
  return {
    host,
    gw,
    async close() {
      await gw.stop();
      await host.close();
      allowed.delete(keyPair.publicKey);
    },
  };
}

/** Waits for the first HUGZ: proof that the SUB's subscription has reached the gateway's PUB. */
async function subscribed(host: Host): Promise<void> {
  await host.until(() => host.of('HUGZ').length > 0, 2500, 'first HUGZ');
}

const reading = (id: string, value: number) => ({ type: 'reading' as const, id, at: Date.now(), value, extra: {} });

// ------------------------------------------------------------------ tests

test('HELLO arrives on the ROUTER with routing id = gateway id', async () => {
  const { host, gw, close } = await setup('gw-hello');
  try {
    const hello = host.of('HELLO')[0]!;
    const raw = host.received.find((r) => r.kind === 'HELLO')!;
    assert.equal(raw.from, 'gw-hello');
    assert.deepEqual(hello, { v: GATEWAY_PROTOCOL_VERSION, gw: 'gw-hello', epoch: gw.epoch, seq: 0, name: 'Cổng thử nghiệm' });
  } finally {
    await close();
  }
});

test('SNAPSHOT is answered with SNAP chunks of ≤ 500 items and a SNAPEND whose count is the state size', async () => {
  const { host, gw, close } = await setup('gw-snap');
  try {
    for (let i = 0; i < 1203; i++) gw.set(reading(`s-${i}`, i));
    gw.set({ type: 'event', id: 'ev-1', at: Date.now(), severity: 'warning', category: 'flood', title: { vi: 'Ngập', en: 'Flood' } });
    await host.send('gw-snap', 'SNAPSHOT', { v: 1, requestId: 'req-1' });
    await host.until(() => host.of('SNAPEND').length > 0, 3000, 'SNAPEND');
    const chunks = host.of('SNAP');
    const end = host.of('SNAPEND')[0]!;
    assert.equal(chunks.length, 3);
    assert.ok(chunks.every((c) => c.requestId === 'req-1' && c.items.length <= 500 && c.epoch === gw.epoch));
    const items = chunks.flatMap((c) => c.items);
    assert.equal(end.count, gw.state.size);
    assert.equal(items.length, 1204);
    assert.equal(end.seq, gw.seq);
    assert.equal(end.requestId, 'req-1');
    assert.deepEqual(new Set(items.map(itemKey)), new Set(gw.state.keys()));
  } finally {
    await close();
  }
});

test('UPDATE seq increases by exactly 1, also in a burst', async () => {
  const { host, gw, close } = await setup('gw-seq');
  try {
    await subscribed(host);
    gw.set({ type: 'sensor', id: 'rain-1', kind: 'rain', name: 'Trạm mưa', commune: 'Demo', location: { lat: 10.95, lon: 106.82 }, unit: 'mm/h' });
    gw.delete('sensor', 'rain-1');
    assert.equal(gw.delete('sensor', 'rain-1'), false);
    const last = gw.burst(300, 'rain-1');
    assert.equal(last, 302);
    await host.until(() => host.of('UPDATE').length >= 302, 3000, '302 UPDATEs');
    const updates = host.of('UPDATE');
    assert.deepEqual(
      updates.map((u) => u.seq),
      Array.from({ length: 302 }, (_, i) => i + 1),
    );
    assert.equal(updates[0]!.op, 'set');
    assert.equal(updates[1]!.op, 'delete');
    assert.ok(updates.every((u) => u.epoch === gw.epoch && u.gw === 'gw-seq'));
  } finally {
    await close();
  }
});

test('HUGZ every second when idle, carrying the last seq', async () => {
  const { host, gw, close } = await setup('gw-hugz');
  try {
    await subscribed(host);
    gw.set(reading('r-1', 1));
    const start = Date.now();
    await host.until(() => host.of('HUGZ').some((h) => h.seq === 1) && host.of('HUGZ').filter((h) => h.seq === 1).length >= 2, 3500, 'two HUGZ');
    const elapsed = Date.now() - start;
    assert.ok(elapsed >= 1500 && elapsed < 3200, `two idle HUGZ after ${elapsed} ms`);
    const hugz = host.of('HUGZ').filter((h) => h.seq === 1);
    assert.ok(hugz[1]!.at - hugz[0]!.at >= 900, 'HUGZ at most once a second');
  } finally {
    await close();
  }
});

test('restart changes the epoch, says HELLO again and restarts seq at 1', async () => {
  const { host, gw, close } = await setup('gw-restart');
  try {
    await subscribed(host);
    gw.set(reading('r-1', 1));
    gw.set(reading('r-1', 2));
    const oldEpoch = gw.epoch;
    gw.restart();
    assert.notEqual(gw.epoch, oldEpoch);
    assert.equal(gw.seq, 0);
    gw.set(reading('r-1', 3));
    await host.until(() => host.of('HELLO').some((h) => h.epoch === gw.epoch) && host.of('UPDATE').length >= 3, 3000, 'HELLO and UPDATE of the new epoch');
    const hello = host.of('HELLO').find((h) => h.epoch === gw.epoch)!;
    assert.equal(hello.seq, 0);
    const updates = host.of('UPDATE').map((u) => [u.epoch, u.seq]);
    assert.deepEqual(updates, [
      [oldEpoch, 1],
      [oldEpoch, 2],
      [gw.epoch, 1],
    ]);
    assert.equal(gw.state.size, 1, 'state kept across restart');
  } finally {
    await close();
  }
});

test('the same COMMAND id twice: one effect, two identical ACKs', async () => {
  const { host, gw, close } = await setup('gw-cmd', (g) => {
    g.onCommand = (command, gateway) => {
      gateway.set({ type: 'event', id: `ev-${command.id}`, at: Date.now(), severity: 'info', category: 'other', title: { vi: 'Còi đã bật', en: 'Siren on' } });
      return { status: 'done', detail: 'siren on' };
    };
  });
  try {
    const command = { id: 'cmd-0001-abcd', type: 'siren' as const, target: 'siren-1', params: { durationS: 60 }, issuedAt: Date.now(), issuedBy: 'operator-1' };
    await host.send('gw-cmd', 'COMMAND', { v: 1, command });
    await host.until(() => host.of('ACK').length >= 1, 3000, 'first ACK');
    await host.send('gw-cmd', 'COMMAND', { v: 1, command });
    await host.until(() => host.of('ACK').length >= 2, 3000, 'second ACK');
    const acks = host.received.filter((r) => r.kind === 'ACK');
    assert.equal(acks[0]!.raw, acks[1]!.raw, 'byte-identical ACKs');
    assert.equal(host.of('ACK')[0]!.status, 'done');
    assert.equal(gw.effects.get(command.id), 1);
    assert.equal(gw.stats.duplicateCommands, 1);
    assert.equal([...gw.state.keys()].filter((k) => k.startsWith('event/')).length, 1);
  } finally {
    await close();
  }
});

test('freeze silences everything; unfreeze delivers what was held, in order', async () => {
  const { host, gw, close } = await setup('gw-freeze');
  try {
    await subscribed(host);
    gw.freeze();
    await sleep(50); // a HUGZ already in flight
    const before = host.received.length;
    gw.set(reading('r-1', 1));
    await host.send('gw-freeze', 'SNAPSHOT', { v: 1, requestId: 'req-frozen' });
    await sleep(2200); // a sleep, not a wait: a frozen gateway sends nothing; two heartbeat periods pass
    assert.equal(host.received.length, before, 'nothing at all while frozen');
    gw.unfreeze();
    await host.until(() => host.of('SNAPEND').length > 0 && host.of('UPDATE').length > 0, 2000, 'held messages');
    assert.equal(host.of('UPDATE')[0]!.seq, 1);
    assert.equal(host.of('SNAPEND')[0]!.seq, 1);
  } finally {
    await close();
  }
});

test('a gateway with a key not on the allow-list is refused', async () => {
  const host = await new Host().open();
  const gw = new SimGateway({ id: 'gw-stranger', name: 'Lạ', endpoints: host.endpoints, hostPublicKey: host.keys.publicKey, keyPair: newKeys() });
  try {
    await gw.start();
    await until(() => gw.stats.authFailures >= 1, 'the gateway to see the authentication failure', 10_000);
    assert.equal(host.received.length, 0);
  } finally {
    await gw.stop();
    await host.close();
  }
});

test('malformed messages fail validation on the host; oversized ones are dropped by libzmq', async () => {
  const { host, gw, close } = await setup('gw-bad');
  try {
    await subscribed(host);
    for (const kind of ['not-json', 'wrong-frames', 'schema', 'unknown-kind', 'wrong-version'] as const) {
      gw.sendMalformed(kind);
      gw.sendMalformed(kind, 'control');
    }
    await host.until(() => host.malformed >= 10, 2000, '10 malformed');
    gw.sendMalformed('oversized');
    gw.set(reading('r-1', 1));
    // The SUB drops the connection that carried the oversized message; the PUB reconnects and the stream goes on.
    await host.until(() => host.of('HUGZ').some((h) => h.seq === 1) || host.of('UPDATE').length > 0, 4000, 'traffic after the oversized message');
    assert.equal(host.malformed, 10);
  } finally {
    await close();
  }
});

/**
 * The demo province over real ZeroMQ sockets: every gateway says HELLO, the state is valid and
 * marked demo, incidents raise and clear events, commands are applied and acknowledged.
 * (No ZAP handler in this process: libzmq then admits any CURVE client, which is all we need here.)
 */
import { unsigned } from '../../native-bridge/gateway-auth/message-mac.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as zmq from 'zeromq';
import { GATEWAY_MAX_MESSAGE_BYTES, decodeGatewayMessage, encodeGatewayMessage, stateItem, type MessageKind, type MessageOf } from '../../native-bridge/gateway-protocol.js';
import { DEMO_PROVINCE, demoCommunes, demoGatewayDefinitions, demoInventory, provinceGatewayIds, startProvince } from '../../sim/province.js';

type Got = { from?: string; kind: string; body: unknown };

async function openHost() {
  const keys = zmq.curveKeyPair();
  const options = { curveServer: true, curveSecretKey: keys.secretKey, maxMessageSize: GATEWAY_MAX_MESSAGE_BYTES, linger: 0 };
  const sub = new zmq.Subscriber(options);
  const router = new zmq.Router({ ...options, handover: true });
  await sub.bind('tcp://127.0.0.1:*');
  await router.bind('tcp://127.0.0.1:*');
  sub.subscribe();
  const got: Got[] = [];
  let malformed = 0;
  const loop = async (socket: zmq.Subscriber | zmq.Router, routed: boolean) => {
    try {
      for await (const all of socket) {
        try {
          const frames = routed ? all.slice(1) : all;
          const message = decodeGatewayMessage(unsigned(frames)); // the MAC is the hub's to check
          got.push({ from: routed ? all[0]!.toString() : undefined, kind: message.kind, body: message.body });
        } catch {
          malformed++;
        }
      }
    } catch {
      // closed
    }
  };
  const loops = [loop(sub, false), loop(router, true)];
  const until = async (predicate: () => boolean, ms: number, what: string) => {
    const deadline = Date.now() + ms;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  return {
    keys,
    got,
    get malformed() {
      return malformed;
    },
    endpoints: { updates: sub.lastEndpoint!, control: router.lastEndpoint! },
    of<K extends MessageKind>(kind: K, gw?: string): MessageOf<K>[] {
      return got.filter((g) => g.kind === kind && (!gw || (g.body as { gw?: string }).gw === gw)).map((g) => g.body as MessageOf<K>);
    },
    until,
    send<K extends MessageKind>(to: string, kind: K, body: MessageOf<K>) {
      return router.send([to, ...encodeGatewayMessage(kind, body)]);
    },
    async close() {
      sub.close();
      router.close();
      await Promise.all(loops);
    },
  };
}

function gatewayKeys() {
  return Object.fromEntries(provinceGatewayIds.map((id) => [id, zmq.curveKeyPair()]));
}

test('the demo province is labelled as demo data', () => {
  assert.match(DEMO_PROVINCE.name, /mô phỏng/);
  assert.ok(demoCommunes.length >= 8 && demoCommunes.every((c) => c.demo && c.name.includes('(mô phỏng)')));
  assert.deepEqual(
    demoGatewayDefinitions().map((d) => d.id),
    [...provinceGatewayIds],
  );
  const inventory = demoInventory();
  assert.ok(inventory.cameras >= 12);
});

test('every gateway says HELLO and its snapshot holds valid items; cameras use the base URL', async () => {
  const host = await openHost();
  const province = await startProvince({ endpoints: host.endpoints, hostPublicKey: host.keys.publicKey, gatewayKeys: gatewayKeys(), cameraBaseUrl: 'http://127.0.0.1:9999/', reportEverySeconds: 0 });
  try {
    await host.until(() => new Set(host.of('HELLO').map((h) => h.gw)).size === provinceGatewayIds.length, 3000, 'HELLO from every gateway');
    await host.send('gw-giao-thong', 'SNAPSHOT', { v: 1, requestId: 'snap-1' });
    await host.until(() => host.of('SNAPEND', 'gw-giao-thong').length > 0, 3000, 'SNAPEND');
    const items = host.of('SNAP', 'gw-giao-thong').flatMap((s) => s.items);
    assert.equal(items.length, host.of('SNAPEND', 'gw-giao-thong')[0]!.count);
    for (const item of items) stateItem.parse(item);
    const cameras = items.filter((i) => i.type === 'camera');
    assert.ok(cameras.length >= 12);
    for (const cam of cameras) {
      assert.equal(cam.streams.main.url, `http://127.0.0.1:9999/cameras/${cam.id}/main.m3u8`);
      assert.equal(cam.streams.sub.url, `http://127.0.0.1:9999/cameras/${cam.id}/sub.m3u8`);
      assert.deepEqual([cam.streams.main.width, cam.streams.main.height, cam.streams.sub.width, cam.streams.sub.height], [1920, 1080, 640, 360]);
    }
    const sensors = items.filter((i) => i.type === 'sensor');
    const readings = new Set(items.filter((i) => i.type === 'reading').map((r) => r.id));
    assert.ok(sensors.length >= 12 && sensors.every((s) => readings.has(s.id)), 'every traffic sensor has a reading');
    assert.equal(host.malformed, 0);
  } finally {
    await province.stop();
    await host.close();
  }
});

test('fire incident: alarm, event, trucks dispatched, then cleared (script at 60× speed)', async () => {
  const host = await openHost();
  const steps: string[] = [];
  const province = await startProvince({
    endpoints: host.endpoints,
    hostPublicKey: host.keys.publicKey,
    gatewayKeys: gatewayKeys(),
    only: ['gw-pccc'],
    incidentTimeScale: 1 / 60,
    reportEverySeconds: 0,
    onStep: (s) => steps.push(s.vi),
  });
  try {
    await host.until(() => host.of('HUGZ', 'gw-pccc').length > 0 || host.of('UPDATE', 'gw-pccc').length > 0, 3000, 'traffic on SUB');
    await province.trigger('fire');
    const updates = host.of('UPDATE', 'gw-pccc');
    const events = updates.map((u) => u.item).filter((i) => i.type === 'event' && i.category === 'fire');
    assert.ok(events.some((e) => e.type === 'event' && e.severity === 'critical' && !e.cleared), 'a critical fire event');
    assert.ok(events.some((e) => e.type === 'event' && e.cleared), 'the fire event is cleared');
    assert.ok(updates.some((u) => u.item.type === 'reading' && u.item.id === 'bc-kho-amata' && u.item.value === 1), 'the alarm went to 1');
    assert.ok(updates.some((u) => u.item.type === 'object' && u.item.kind === 'fire-truck' && (u.item.speedKmh ?? 0) > 0), 'a truck moved');
    assert.ok(steps.length >= 5);
    const seqs = updates.map((u) => u.seq);
    assert.deepEqual(seqs, seqs.map((_, i) => seqs[0]! + i), 'consecutive seq');
  } finally {
    await province.stop();
    await host.close();
  }
});

test('commands: a siren is turned on (event, then ACK done); an unknown target is rejected', async () => {
  const host = await openHost();
  const province = await startProvince({ endpoints: host.endpoints, hostPublicKey: host.keys.publicKey, gatewayKeys: gatewayKeys(), only: ['gw-thuy-van'], reportEverySeconds: 0 });
  try {
    await host.until(() => host.of('HUGZ', 'gw-thuy-van').length > 0 || host.of('UPDATE', 'gw-thuy-van').length > 0, 3000, 'traffic on SUB');
    const command = (id: string, target: string) => ({ v: 1 as const, command: { id, type: 'siren' as const, target, params: { durationS: 60 }, issuedAt: Date.now(), issuedBy: 'truc-ban-1' } });
    await host.send('gw-thuy-van', 'COMMAND', command('cmd-siren-0001', 'coi-bien-hoa'));
    await host.send('gw-thuy-van', 'COMMAND', command('cmd-siren-0002', 'coi-khong-co'));
    await host.until(() => host.of('ACK').length >= 2, 3000, 'two ACKs');
    const [done, rejected] = ['cmd-siren-0001', 'cmd-siren-0002'].map((id) => host.of('ACK').find((a) => a.id === id)!);
    assert.equal(done!.status, 'done');
    assert.equal(rejected!.status, 'rejected');
    await host.until(() => host.of('UPDATE', 'gw-thuy-van').some((u) => u.item.type === 'event' && u.item.id === 'ev-siren-cmd-siren-0001'), 2000, 'siren event');
    assert.equal(province.gateway('gw-thuy-van').effects.get('cmd-siren-0001'), 1);
  } finally {
    await province.stop();
    await host.close();
  }
});

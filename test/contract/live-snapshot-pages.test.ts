/**
 * A live picture with thousands of moving objects (trails included) and a province of 10,000
 * sensors is far over one 1 MiB frame: over the real WebSocket gateway a window still gets all of
 * it, as of the snapshot's seq, in pages.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LIVE_OBJECTS_PER_FRAME, LIVE_SENSORS_PER_FRAME, MAX_MESSAGE_BYTES } from '../../native-bridge/contract.js';
import { startChromiumHost, type ChromiumHost } from '../../electron/node/chromium-host/host.js';
import { rendererDist } from '../../electron/node/project-paths.js';
import { fetchLiveSnapshot } from '../../renderer/session/live-store.js';
import { demoPresetsDir, demoWallFile, noGatewaysFile, tempDir } from '../support/fixtures.js';
import { connectNodeClient } from '../support/ws-client.js';
import { helloAsDisplay } from '../support/accounts.js';
import { testScenariosDir } from '../support/test-scenarios.js';

const OBJECTS = 3000;
const SENSORS = 10_000;

describe('live snapshot pages', () => {
  const dataDir = tempDir();
  let host: ChromiumHost;
  before(async () => {
    host = await startChromiumHost({ wallFile: demoWallFile, presetsDir: demoPresetsDir, scenariosDir: testScenariosDir(), gatewaysFile: noGatewaysFile, dataDir, rendererDir: rendererDist, windows: 'none', log: () => {} });
    // each object moves 13 times so that it carries a full trail: the heaviest objects there are
    for (let step = 0; step < 13; step++) {
      host.core.live.apply(
        'gw-bench',
        Array.from({ length: OBJECTS }, (_, i) => ({
          op: 'set' as const,
          item: { type: 'object' as const, id: `tau-ca-${i}`, kind: 'vessel' as const, name: `Tàu cá Đồng Nai số hiệu ĐN-${90000 + i}-TS`, at: 1_700_000_000_000 + step * 1000, location: { lon: 106.8 + i * 1e-4 + step * 1e-5, lat: 10.9 + step * 1e-5 }, headingDeg: 45, speedKmh: 12 },
        })),
      );
      host.core.live.flush();
    }
    host.core.live.apply('gw-bench', [
      ...Array.from({ length: SENSORS }, (_, i) => ({
        op: 'set' as const,
        item: { type: 'sensor' as const, id: `tram-${i}`, kind: 'water-level' as const, name: `Trạm đo mực nước sông Đồng Nai số ${i}`, commune: `Phường ${i % 95}`, location: { lon: 106.8 + i * 1e-5, lat: 10.9 }, unit: 'm', thresholds: { warning: 2, critical: 3 } },
      })),
      // every sensor but the last has a reading
      ...Array.from({ length: SENSORS - 1 }, (_, i) => ({ op: 'set' as const, item: { type: 'reading' as const, id: `tram-${i}`, value: i / 100, at: 1_700_000_100_000 + i, extra: {} } })),
    ]);
    host.core.live.flush();
  });
  after(async () => host.close());

  it('delivers every object of a picture larger than one frame, as of the snapshot', async () => {
    const { client, socket } = await connectNodeClient(host.baseUrl);
    await helloAsDisplay(client, dataDir, 'r0c0');
    const whole = host.core.live.snapshot();
    assert.ok(Buffer.byteLength(JSON.stringify(whole)) > MAX_MESSAGE_BYTES, 'the picture must not fit one frame, or this test proves nothing');

    const first = await client.call('live.snapshot', {});
    assert.equal(first.objects.length, LIVE_OBJECTS_PER_FRAME);
    assert.equal(first.objectPages?.total, OBJECTS);
    assert.equal(first.sensors.length, LIVE_SENSORS_PER_FRAME);
    assert.equal(first.sensorPages?.total, SENSORS);
    assert.deepEqual(first.readings.id, first.sensors.map((s) => s.id), 'the first frame carries the readings of its own sensors');

    const fetched = await fetchLiveSnapshot(client);
    assert.equal(fetched.objectPages, undefined);
    assert.equal(fetched.sensorPages, undefined);
    assert.equal(fetched.seq, whole.seq);
    assert.equal(new Set(fetched.objects.map((o) => o.id)).size, OBJECTS);
    assert.deepEqual(fetched.objects.find((o) => o.id === 'tau-ca-2999'), whole.objects.find((o) => o.id === 'tau-ca-2999'));
    assert.deepEqual(fetched.sensors, whole.sensors, 'every sensor, in the host\'s order');
    assert.equal(fetched.readings.id.length, SENSORS - 1);
    const readingOf = (snapshot: typeof whole, id: string) => snapshot.readings.value[snapshot.readings.id.indexOf(id)];
    assert.equal(readingOf(fetched, 'tram-9998'), readingOf(whole, 'tram-9998'));
    assert.equal(readingOf(fetched, 'tram-9999'), undefined);
    socket.close();
  });

  it('serves pages frozen at the snapshot even while objects move', async () => {
    const { client, socket } = await connectNodeClient(host.baseUrl);
    await helloAsDisplay(client, dataDir, 'r0c1');
    const first = await client.call('live.snapshot', {});
    const pages = first.objectPages!;
    host.core.live.apply('gw-bench', [{ op: 'delete', item: { type: 'object', id: 'tau-ca-0', kind: 'vessel', name: 'x', at: 0, location: { lon: 0, lat: 0 } } }]);
    host.core.live.flush();
    const last = await client.call('live.objects', { cursor: pages.cursor, offset: pages.total - 100 });
    assert.deepEqual(
      last.objects.map((o) => o.id),
      Array.from({ length: 100 }, (_, i) => `tau-ca-${OBJECTS - 100 + i}`),
      'the removal after the snapshot does not shift its pages',
    );
    socket.close();
  });
});

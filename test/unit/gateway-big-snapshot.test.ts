/**
 * A quarter of a million items in one gateway snapshot, over real ZeroMQ + CURVE into the runtime
 * as the hosts compose it (hub → live state → spatial index's field points, telemetry cache): the
 * host takes them all, and a restart that draws the same items from the cache survives too.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Runtime } from '../../electron/node/runtime.js';
import { tempDir } from '../support/fixtures.js';
import { gatewayWith, manySensors, oneGatewayHost } from '../support/one-gateway-runtime.js';
import { waitFor } from '../support/page-wait.js';

const N = 250_000;

/** Sensors the spatial index holds around the box manySensors fills. */
async function indexedSensors(runtime: Runtime): Promise<number> {
  const result = await runtime.gis.spatial.query({ shape: { type: 'radius', lon: 106.8, lat: 10.9, radiusM: 40_000 }, filter: { layers: ['sensor'] }, groupBy: [], limit: 0 });
  return result.total;
}

describe('a 250,000-item gateway snapshot', () => {
  it('is ingested through real sockets, and the restart from the cache holding it survives', { timeout: 600_000 }, async () => {
    const host = oneGatewayHost(tempDir('ioc-wall-big-snapshot-'));
    const items = manySensors(N);
    let runtime = await host.start();
    const sim = gatewayWith(host, runtime, items);
    try {
      await sim.start();
      const link = () => runtime.field.hub.links().find((l) => l.gateway === host.gateway.id)!;
      await waitFor('the snapshot applied', 180_000, async () => link().state === 'live' && runtime.core.live.sensorList().length === N);
      assert.equal(runtime.field.hub.items(host.gateway.id).length, N);
      assert.equal(link().rejected, 0);
      await waitFor('every sensor in the spatial index', 180_000, async () => (await indexedSensors(runtime)) === N);
      // live updates after the snapshot still arrive, in order
      sim.set({ ...items[7]!, name: 'Trạm mưa đổi tên' });
      await waitFor('a live update after the snapshot', 180_000, async () => runtime.core.live.sensor('s-7')?.name === 'Trạm mưa đổi tên');
      await runtime.field.cache.flush();
      assert.equal((await runtime.field.cache.stats()).rows.latest, N);
    } finally {
      await sim.stop();
      await runtime.close();
    }
    // Restart on the same data folder: the cache draws the 250,000 items before any gateway answers.
    runtime = await host.start();
    try {
      assert.equal(runtime.core.live.sensorList().length, N);
      await waitFor('the cached sensors in the spatial index', 180_000, async () => (await indexedSensors(runtime)) === N);
    } finally {
      await runtime.close();
    }
  });
});

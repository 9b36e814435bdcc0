/**
 * Per-window live filtering against a real host (startRuntime serving /ws, a real gateway socket):
 * a display window whose tiles show one sensor kind gets only that kind's readings in its
 * live.batch, a window with a map gets every reading, and a window whose new layout shows more is
 * made to resync (a batch that does not follow its picture).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LiveBatch, Tile } from '../../native-bridge/contract.js';
import { rendererDist } from '../../electron/node/project-paths.js';
import type { Runtime } from '../../electron/node/runtime.js';
import type { SimGateway } from '../../sim/gateway.js';
import { connectConsole, connectDisplay } from '../support/accounts.js';
import { tempDir } from '../support/fixtures.js';
import { gatewayWith, oneGatewayHost } from '../support/one-gateway-runtime.js';
import { until } from '../support/page-wait.js';

const AT = { lat: 10.951, lon: 106.823 };
const sensor = (id: string, kind: 'rain' | 'air-quality') => ({ type: 'sensor' as const, id, kind, name: `Trạm ${id}`, commune: 'Phường Trấn Biên', location: AT, unit: 'u' });
const rainTile: Tile = { id: 'rain', kind: 'sensor-readings', rect: { x: 0, y: 0, w: 12, h: 12 }, props: { kinds: ['rain'], layout: 'table', maxRows: 20, sparkline: true } };
const airTile: Tile = { id: 'air', kind: 'sensor-readings', rect: { x: 0, y: 12, w: 12, h: 12 }, props: { kinds: ['air-quality'], layout: 'table', maxRows: 20, sparkline: true } };
const mapTile = { id: 'map', kind: 'map', rect: { x: 12, y: 0, w: 12, h: 24 }, props: {} } as Tile;

describe('live batches per wall window', () => {
  const dataDir = tempDir('ioc-wall-window-live-');
  const host = oneGatewayHost(dataDir);
  let runtime: Runtime;
  let gateway: SimGateway;
  const closers: (() => void)[] = [];
  const seen = new Map<string, LiveBatch[]>();
  let operator: Awaited<ReturnType<typeof connectConsole>>;

  before(async () => {
    runtime = await host.start({ serve: { listenHost: '127.0.0.1', port: 0, rendererDir: rendererDist } });
    gateway = gatewayWith(host, runtime, [sensor('rain-1', 'rain'), sensor('air-1', 'air-quality')] as never);
    await gateway.start();
    operator = await connectConsole(runtime.server!, dataDir, 'operator');
    closers.push(() => operator.transport.close());
    // r0c0 shows rain only; r0c1 (and r1c1) a map; r1c0 air quality
    await operator.client.call('wall.execute', { command: { type: 'apply-layout', tiles: [rainTile, mapTile], preset: null } });
    for (const windowId of ['r0c0', 'r0c1']) {
      const display = await connectDisplay(runtime.server!, dataDir, windowId);
      closers.push(() => display.transport.close());
      const batches: LiveBatch[] = [];
      seen.set(windowId, batches);
      display.client.on('live.batch', (batch) => batches.push(batch));
    }
  });
  after(async () => {
    closers.forEach((close) => close());
    await gateway?.stop();
    await runtime?.close();
  });

  const idsAt = (windowId: string, from = 0) => seen.get(windowId)!.slice(from).flatMap((b) => b.readings.id);

  it('a window showing rain gets rain readings only; a window with a map gets all', async () => {
    gateway.set({ type: 'reading', id: 'air-1', at: Date.now(), value: 40 });
    gateway.set({ type: 'reading', id: 'rain-1', at: Date.now(), value: 2 });
    await until(() => idsAt('r0c1').includes('air-1') && idsAt('r0c1').includes('rain-1'), 'both readings at the map window');
    await until(() => idsAt('r0c0').includes('rain-1'), 'the rain reading at the rain window');
    await until(() => seen.get('r0c0')!.length >= seen.get('r0c1')!.length, 'as many batches at both windows');
    assert.deepEqual(idsAt('r0c0').filter((id) => id !== 'rain-1'), []);
    const batches = seen.get('r0c0')!;
    for (const [i, b] of batches.entries()) if (i > 0) assert.equal(b.baseSeq, batches[i - 1]!.seq, 'consecutive batches');
  });

  it('a layout that shows more on a window makes it resync; then it gets the new kind too', async () => {
    const from = seen.get('r0c0')!.length;
    const wider: Tile = { ...rainTile, props: { ...rainTile.props, kinds: ['rain', 'air-quality'] } } as Tile;
    await operator.client.call('wall.execute', { command: { type: 'apply-layout', tiles: [wider, airTile, mapTile], preset: null } });
    // the next batch, whatever it carries, is the resync (its readings reach the window in the snapshot it fetches)
    gateway.set({ type: 'reading', id: 'rain-1', at: Date.now(), value: 3 });
    await until(() => seen.get('r0c0')!.slice(from).find((b) => b.baseSeq === b.seq), 'a batch that does not follow (the window fetches a snapshot)');
    assert.equal(seen.get('r0c0')!.slice(from).find((b) => b.baseSeq === b.seq)!.readings.id.length, 0);
    const resynced = seen.get('r0c0')!.length;
    gateway.set({ type: 'reading', id: 'air-1', at: Date.now(), value: 41 });
    await until(() => idsAt('r0c0', resynced).includes('air-1'), 'the air reading at the widened window');
    const later = seen.get('r0c0')!.slice(resynced);
    for (const [i, b] of later.entries()) if (i > 0) assert.equal(b.baseSeq, later[i - 1]!.seq, 'consecutive batches after the resync');
  });
});

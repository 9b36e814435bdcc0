/**
 * Data scope per commune, over WebSocket against a real host (startRuntime serving /ws, a real
 * gateway socket feeding it, the demo communes imported as GIS data): a commune-scoped account
 * gets only its commune's alerts, live items and batches, GIS answers and indicator figures, and
 * is refused acknowledging an alert outside it; a province account sees everything.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Alert, IndicatorsChangedEvent, LiveBatch } from '../../native-bridge/contract.js';
import { projectRoot, rendererDist } from '../../electron/node/project-paths.js';
import type { Runtime } from '../../electron/node/runtime.js';
import type { SimGateway } from '../../sim/gateway.js';
import { createAccount, helloAsConsole } from '../support/accounts.js';
import { tempDir } from '../support/fixtures.js';
import { rejectsWith } from '../support/harness.js';
import { gatewayWith, oneGatewayHost } from '../support/one-gateway-runtime.js';
import { until, waitFor } from '../support/page-wait.js';
import { connectNodeClient } from '../support/ws-client.js';

const TRAN_BIEN = 'Phường Trấn Biên (mô phỏng)';
const TRI_AN = 'Xã Trị An (mô phỏng)';
const AT_TRAN_BIEN = { lat: 10.951, lon: 106.823 };
const AT_TRI_AN = { lat: 11.098, lon: 106.975 };

/** One of each field item per commune: a water-level station with a reading, a camera, an incident of that station, a citizen report. */
function communeItems(tag: string, commune: string, at: { lat: number; lon: number }) {
  const stream = { url: `http://127.0.0.1:9/${tag}.m3u8`, width: 640, height: 360 };
  return [
    { type: 'sensor' as const, id: `wl-${tag}`, kind: 'water-level' as const, name: `Trạm mực nước ${tag}`, commune, location: at, unit: 'm', thresholds: { warning: 3, critical: 4 } },
    { type: 'reading' as const, id: `wl-${tag}`, at: Date.now(), value: 1.5, extra: {} },
    { type: 'camera' as const, id: `cam-${tag}`, name: `Camera ${tag}`, commune, location: at, streams: { main: stream, sub: stream } },
    { type: 'event' as const, id: `ev-${tag}`, at: Date.now(), severity: 'warning' as const, category: 'flood' as const, title: { vi: `Ngập cục bộ ${tag}`, en: `Local flooding ${tag}` }, sensor: `wl-${tag}` },
    { type: 'report' as const, id: `rp-${tag}`, at: Date.now(), category: 'ngap', text: `Nước lên ở ${tag}`, location: at, commune, reporter: { name: 'Người dân', phone: '0900000000' } },
  ];
}

describe('data scope per commune', () => {
  const dataDir = tempDir('ioc-wall-scope-');
  const host = oneGatewayHost(dataDir);
  let runtime: Runtime;
  let gateway: SimGateway;
  const sockets: { transport: { close(): void } }[] = [];

  /** A console over WebSocket signed in as a new account of this scope, recording the events it is sent. */
  async function signedIn(role: 'operator' | 'technician', scope: { kind: 'province' } | { kind: 'communes'; communes: string[] }) {
    const connection = await connectNodeClient(runtime.server!.baseUrl);
    sockets.push(connection);
    const seen = { alerts: [] as Alert[][], batches: [] as LiveBatch[], indicators: [] as IndicatorsChangedEvent[] };
    connection.client.on('alerts.changed', (event) => seen.alerts.push(event.alerts));
    connection.client.on('live.batch', (batch) => seen.batches.push(batch));
    connection.client.on('indicators.changed', (event) => seen.indicators.push(event));
    await helloAsConsole(connection.client, await createAccount(dataDir, role, { scope }));
    return { client: connection.client, seen };
  }
  let commune: Awaited<ReturnType<typeof signedIn>>;
  let province: Awaited<ReturnType<typeof signedIn>>;

  before(async () => {
    runtime = await host.start({ serve: { listenHost: '127.0.0.1', port: 0, rendererDir: rendererDist } });
    gateway = gatewayWith(host, runtime, [...communeItems('tb', TRAN_BIEN, AT_TRAN_BIEN), ...communeItems('ta', TRI_AN, AT_TRI_AN)] as never);
    gateway.set({ type: 'object', id: 'patrol-1', kind: 'patrol', name: 'Xe tuần tra 1', at: Date.now(), location: AT_TRI_AN });
    // an incident the gateway places in a commune itself, with no station
    gateway.set({ type: 'event', id: 'ev-ta-fire', at: Date.now(), severity: 'critical', category: 'fire', title: { vi: 'Cháy rừng Trị An', en: 'Forest fire at Tri An' }, location: AT_TRI_AN, commune: TRI_AN });
    await gateway.start();
    // the demo communes as the province's GIS data, imported by a technician from the import folder
    mkdirSync(join(dataDir, 'imports'), { recursive: true });
    copyFileSync(join(projectRoot, 'resources', 'gis', 'demo-communes.geojson'), join(dataDir, 'imports', 'communes.geojson'));
    const technician = await signedIn('technician', { kind: 'province' });
    await technician.client.call('gis.import', { file: join(dataDir, 'imports', 'communes.geojson'), dataset: 'communes' });
    runtime.core.alerts.raise('warning', 'weather', { vi: 'Cảnh báo bão toàn tỉnh', en: 'Storm warning for the whole province' });
    province = await signedIn('operator', { kind: 'province' });
    commune = await signedIn('operator', { kind: 'communes', communes: [TRAN_BIEN] });
    await waitFor('both communes in the live picture and the spatial index', 30_000, async () => {
      const { total } = await province.client.call('gis.query', { shape: { type: 'radius', ...AT_TRAN_BIEN, radiusM: 50_000 }, filter: { layers: ['sensor'] }, groupBy: [] });
      return total === 2 && (await province.client.call('alerts.list', {})).alerts.filter((a) => a.source === `gateway:${host.gateway.id}`).length === 3;
    });
  });
  after(async () => {
    sockets.forEach((s) => s.transport.close());
    await gateway?.stop();
    await runtime?.close();
  });

  it('alerts carry their commune; a commune account gets its communes\' and the province-wide ones, a province account all', async () => {
    const everything = (await province.client.call('alerts.list', {})).alerts;
    const byId = new Map(everything.map((a) => [a.id, a]));
    assert.equal(byId.get(`${host.gateway.id}/ev-tb`)?.commune, TRAN_BIEN, 'an incident alert carries its station\'s commune');
    assert.equal(byId.get(`${host.gateway.id}/ev-ta`)?.commune, TRI_AN);
    assert.equal(byId.get(`${host.gateway.id}/ev-ta-fire`)?.commune, TRI_AN, 'the commune the gateway declared');
    const storm = everything.find((a) => a.source === 'weather')!;
    assert.equal(storm.commune, null, 'a host alert is province-wide');
    const mine = (await commune.client.call('alerts.list', {})).alerts;
    assert.ok(mine.some((a) => a.id === `${host.gateway.id}/ev-tb`));
    assert.ok(mine.some((a) => a.id === storm.id), 'a province-wide alert concerns every commune');
    assert.deepEqual(mine.filter((a) => a.commune !== null && a.commune !== TRAN_BIEN), []);
    assert.ok(mine.length < everything.length);
  });

  it('refuses acknowledging an alert outside the account\'s communes, naming the commune; acknowledges one inside', async () => {
    await assert.rejects(commune.client.call('alerts.ack', { id: `${host.gateway.id}/ev-ta` }), (e: Error & { code?: string }) => e.code === 'forbidden' && e.message.includes(TRI_AN));
    const storm = (await commune.client.call('alerts.list', {})).alerts.find((a) => a.source === 'weather')!;
    await rejectsWith(commune.client.call('alerts.ack', { id: storm.id }), 'forbidden', 'scope');
    await commune.client.call('alerts.ack', { id: `${host.gateway.id}/ev-tb` });
    const after = (await province.client.call('alerts.list', {})).alerts;
    assert.equal(after.find((a) => a.id === `${host.gateway.id}/ev-ta`)?.ackedBy, null, 'the refused acknowledgement changed nothing');
    assert.equal(after.find((a) => a.id === storm.id)?.ackedBy, null);
    assert.ok(after.find((a) => a.id === `${host.gateway.id}/ev-tb`)?.ackedBy);
    await province.client.call('alerts.ack', { id: `${host.gateway.id}/ev-ta` });
  });

  it('sends alerts.changed to a commune account without the other communes\' alerts', async () => {
    gateway.set({ type: 'event', id: 'ev-ta-2', at: Date.now(), severity: 'critical', category: 'flood', title: { vi: 'Ngập sâu Trị An', en: 'Deep flooding at Tri An' }, sensor: 'wl-ta' });
    gateway.set({ type: 'event', id: 'ev-tb-2', at: Date.now(), severity: 'critical', category: 'flood', title: { vi: 'Ngập sâu Trấn Biên', en: 'Deep flooding at Tran Bien' }, sensor: 'wl-tb' });
    await until(() => commune.seen.alerts.some((list) => list.some((a) => a.id === `${host.gateway.id}/ev-tb-2`)), 'the new Trấn Biên alert at the commune console');
    await until(() => province.seen.alerts.some((list) => list.some((a) => a.id === `${host.gateway.id}/ev-ta-2`)), 'the new Trị An alert at the province console');
    assert.deepEqual([...new Set(commune.seen.alerts.flat().filter((a) => a.id.startsWith(`${host.gateway.id}/ev-ta`)).map((a) => a.id))], []);
  });

  it('live.snapshot gives a commune account only its commune\'s sensors, readings, cameras, incidents and reports, and no moving objects', async () => {
    const all = await province.client.call('live.snapshot', {});
    assert.deepEqual(all.sensors.map((s) => s.id).sort(), ['wl-ta', 'wl-tb']);
    assert.ok(all.objects.some((o) => o.id === 'patrol-1'));
    const mine = await commune.client.call('live.snapshot', {});
    assert.deepEqual(mine.sensors.map((s) => s.id), ['wl-tb']);
    assert.deepEqual(mine.readings.id, ['wl-tb']);
    assert.deepEqual(mine.cameras.map((c) => c.id), ['cam-tb']);
    assert.deepEqual(mine.events.map((e) => e.id).sort(), ['ev-tb', 'ev-tb-2']);
    assert.deepEqual(mine.reports.map((r) => r.id), ['rp-tb']);
    assert.deepEqual(mine.objects, []);
    assert.equal(mine.objectPages, undefined);
    assert.ok(mine.seq >= all.seq, 'the live sequence, not one of its own: the batches after it apply on top');
  });

  it('live batches to a commune account carry only its commune\'s items', async () => {
    const from = { commune: commune.seen.batches.length, province: province.seen.batches.length };
    gateway.set({ type: 'reading', id: 'wl-ta', at: Date.now(), value: 2.1, extra: {} });
    gateway.set({ type: 'reading', id: 'wl-tb', at: Date.now(), value: 2.2, extra: {} });
    gateway.set({ type: 'camera', id: 'cam-ta-2', name: 'Camera Trị An 2', commune: TRI_AN, location: AT_TRI_AN, streams: { main: { url: 'http://127.0.0.1:9/x.m3u8', width: 640, height: 360 }, sub: { url: 'http://127.0.0.1:9/y.m3u8', width: 320, height: 180 } } });
    gateway.set({ type: 'object', id: 'patrol-1', kind: 'patrol', name: 'Xe tuần tra 1', at: Date.now(), location: AT_TRAN_BIEN });
    await until(() => province.seen.batches.slice(from.province).some((b) => b.cameras?.some((c) => c.id === 'cam-ta-2')) && province.seen.batches.slice(from.province).some((b) => b.objects?.length), 'the changes at the province console');
    await until(() => commune.seen.batches.slice(from.commune).some((b) => b.readings.id.includes('wl-tb')), 'the Trấn Biên reading at the commune console');
    await until(() => commune.seen.batches.length - from.commune >= province.seen.batches.length - from.province, 'as many batches at the commune console (no gap in seq)');
    const batches = commune.seen.batches;
    for (const [i, b] of batches.entries()) if (i > 0) assert.equal(b.baseSeq, batches[i - 1]!.seq, 'consecutive batches');
    assert.deepEqual(batches.flatMap((b) => b.readings.id).filter((id) => id !== 'wl-tb'), []);
    assert.deepEqual(batches.flatMap((b) => b.sensors ?? []).filter((s) => s.commune !== TRAN_BIEN), []);
    assert.deepEqual(batches.flatMap((b) => b.cameras ?? []).filter((c) => c.commune !== TRAN_BIEN), []);
    assert.deepEqual(batches.flatMap((b) => b.events ?? []).filter((e) => e.sensor !== 'wl-tb'), []);
    assert.deepEqual(batches.flatMap((b) => b.reports ?? []).filter((r) => r.commune !== TRAN_BIEN), []);
    assert.deepEqual(batches.flatMap((b) => b.objects ?? []), []);
  });

  it('GIS answers to a commune account cover only its commune: query items, totals, groups and the aggregate', async () => {
    const query = { shape: { type: 'radius' as const, ...AT_TRAN_BIEN, radiusM: 50_000 }, groupBy: ['area' as const, 'layer' as const] };
    const all = await province.client.call('gis.query', query);
    const mine = await commune.client.call('gis.query', query);
    assert.ok(all.items.some((i) => i.areaId === 'xa-tri-an'), JSON.stringify(all.items));
    assert.ok(mine.items.length > 0);
    assert.deepEqual(mine.items.filter((i) => i.areaId !== 'phuong-tran-bien'), []);
    assert.equal(mine.total, mine.items.length);
    assert.deepEqual(mine.groups.filter((g) => g.key.area !== 'phuong-tran-bien'), []);
    // an area query outside the scope finds nothing, not the other commune's items
    assert.equal((await commune.client.call('gis.query', { shape: { type: 'area', areaId: 'xa-tri-an' } })).total, 0);
    assert.ok((await province.client.call('gis.query', { shape: { type: 'area', areaId: 'xa-tri-an' } })).total > 0);
    const { areas } = await commune.client.call('gis.aggregate', {});
    assert.deepEqual(areas.map((a) => a.name), [TRAN_BIEN]);
    assert.ok((await province.client.call('gis.aggregate', {})).areas.length >= 9);
    const cameras = await commune.client.call('cameras.nearest', { location: AT_TRI_AN, radiusKm: 50, limit: 10 });
    assert.deepEqual(cameras.cameras.map((c) => c.id), ['cam-tb']);
  });

  it('replay gives a commune account its communes\' and the province-wide alerts, at a moment and on the timeline', async () => {
    const now = Date.now();
    const titles = async (client: typeof commune.client) => {
      const at = await client.call('replay.at', { time: now });
      const timeline = await client.call('replay.timeline', { from: now - 600_000, to: now });
      const marks = timeline.marks.filter((m) => m.kind === 'alert').map((m) => (typeof m.subject === 'string' || m.subject === null ? m.subject : m.subject.vi));
      return { at: at.alerts.map((a) => a.title.vi), marks };
    };
    const all = await titles(province.client);
    assert.ok(all.at.includes('Ngập cục bộ ta') && all.marks.includes('Ngập cục bộ ta'), JSON.stringify(all));
    const mine = await titles(commune.client);
    for (const seen of [mine.at, mine.marks]) {
      assert.ok(seen.includes('Ngập cục bộ tb') && seen.includes('Cảnh báo bão toàn tỉnh'), JSON.stringify(seen));
      assert.deepEqual(seen.filter((title) => title !== null && /Trị An| ta$/.test(title)), [], 'no alert of Trị An');
    }
  });

  it('indicators give a commune account its communes\' figures only, in the list and in indicators.changed', async () => {
    const pick = (list: { id: string; communes: { area: string }[] }[]) => list.find((i) => i.id === 'water-level-stations-safe')!.communes.map((c) => c.area);
    // the indicators are evaluated every few seconds: wait for the stations to be counted
    await waitFor('both communes in the indicator', 30_000, async () => pick((await province.client.call('indicators.list', {})).indicators).length === 2);
    assert.deepEqual(pick((await province.client.call('indicators.list', {})).indicators), [TRAN_BIEN, TRI_AN]);
    assert.deepEqual(pick((await commune.client.call('indicators.list', {})).indicators), [TRAN_BIEN]);
    // a station of each commune over its warning level: the indicator changes for both
    gateway.set({ type: 'reading', id: 'wl-ta', at: Date.now(), value: 3.5, extra: {} });
    gateway.set({ type: 'reading', id: 'wl-tb', at: Date.now(), value: 3.6, extra: {} });
    const changed = (seen: IndicatorsChangedEvent[]) => seen.flatMap((e) => e.indicators).filter((i) => i.id === 'water-level-stations-safe' && i.value !== 100);
    await until(() => changed(province.seen.indicators).some((i) => i.communes.length === 2 && i.communes.every((c) => c.value === 0)), 'the change at the province console');
    await until(() => changed(commune.seen.indicators).length > 0, 'the change at the commune console');
    assert.deepEqual([...new Set(commune.seen.indicators.flatMap((e) => e.indicators).flatMap((i) => i.communes.map((c) => c.area)))].filter((a) => a !== TRAN_BIEN), []);
  });
});

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { LiveCamera } from '../../native-bridge/contract.js';
import { AlertService } from '../../electron/node/alert-service.js';
import { openDatabase } from '../../electron/node/database.js';
import { distanceM } from '../../native-bridge/geo.js';
import { CameraHealthBoard, nearestCameras } from '../../electron/node/live/cameras.js';
import { tempDir } from '../support/fixtures.js';
import { keyBeside } from '../support/storage.js';

const camera = (id: string, lat: number, lon: number): LiveCamera => ({
  id,
  gateway: 'gw',
  name: `Camera ${id}`,
  commune: 'Biên Hòa',
  location: { lat, lon },
  streams: { main: { url: `http://x/${id}/main.m3u8`, width: 1280, height: 720 }, sub: { url: `http://x/${id}/sub.m3u8`, width: 640, height: 360 } },
});

describe('cameras near an incident', () => {
  it('returns the N nearest cameras within the radius, nearest first, and agrees with a brute-force scan', () => {
    const incident = { lat: 10.95, lon: 106.82 };
    const cameras = Array.from({ length: 100 }, (_, i) => camera(`c${i}`, 10.9 + ((i * 37) % 100) / 1000, 106.77 + ((i * 61) % 100) / 1000));
    const found = nearestCameras(cameras, incident, 3, 9);
    const brute = cameras
      .map((c) => ({ id: c.id, d: Math.round(distanceM(incident.lon, incident.lat, c.location.lon, c.location.lat)) }))
      .filter((c) => c.d <= 3000)
      .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id)) // equidistant cameras: by id
      .slice(0, 9)
      .map((c) => c.id);
    assert.deepEqual(found.map((c) => c.id), brute);
    assert.ok(found.every((c, i) => i === 0 || found[i - 1]!.distanceM <= c.distanceM));
    assert.deepEqual(nearestCameras(cameras, { lat: 20, lon: 105 }, 1, 5), [], 'none within 1 km of Hà Nội');
  });

  it('alerts once when a camera tile stays dark longer than the limit, in the camera\'s commune', () => {
    const file = join(tempDir(), 'a.sqlite');
    const db = openDatabase(file, keyBeside(file));
    const alerts = new AlertService(db);
    let now = 1_000_000;
    const board = new CameraHealthBoard(alerts, (id) => (id === 'cam-1' ? 'Phường Trấn Biên' : null), (id) => (id === 'cam-1' ? 'Camera cầu Hóa An' : null), 30_000, () => now);
    const report = (state: 'playing' | 'stalled', since: number) => board.report('r0c0', [{ tileId: 'grid', cameraId: 'cam-1', state, stream: 'sub', since, lastFrameAt: since }]);
    report('stalled', now);
    now += 10_000;
    report('stalled', now - 10_000);
    assert.equal(alerts.list().length, 0, 'not before the limit');
    now += 25_000;
    report('stalled', now - 35_000);
    report('stalled', now - 35_000);
    assert.equal(alerts.list().filter((a) => a.source === 'camera:cam-1').length, 1);
    assert.equal(alerts.list()[0]!.title.vi, `Camera cầu Hóa An mất tín hiệu từ ${new Date(now - 35_000).toLocaleTimeString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour12: false })} (màn hình hàng 1, cột 1)`);
    assert.equal(alerts.list()[0]!.commune, 'Phường Trấn Biên');
    db.close();
  });

  it('counts a camera lost only when no window that shows it plays it', () => {
    const file = join(tempDir(), 'a.sqlite');
    const db = openDatabase(file, keyBeside(file));
    const alerts = new AlertService(db);
    let now = 1_000_000;
    const board = new CameraHealthBoard(alerts, () => null, (id) => `Camera ${id.slice(4)}`, 30_000, () => now);
    const health = (cameraId: string, state: 'playing' | 'stalled' | 'starting', since: number) => ({ tileId: 'grid', cameraId, state, stream: 'sub' as const, since, lastFrameAt: since });
    const lost = () => alerts.list().filter((a) => a.source.startsWith('camera:')).map((a) => a.source);
    // a grid across the horizontal bezel: cam-2 plays on the top display, the bottom one shows it dark
    board.report('r0c1', [health('cam-2', 'playing', now), health('cam-3', 'stalled', now)]);
    board.report('r1c1', [health('cam-2', 'stalled', now), health('cam-3', 'stalled', now)]);
    now += 40_000;
    board.report('r1c1', [health('cam-2', 'stalled', now - 40_000), health('cam-3', 'stalled', now - 40_000)]);
    assert.deepEqual(lost(), ['camera:cam-3'], 'cam-3 is dark everywhere; cam-2 plays on one display');
    assert.match(alerts.list().find((a) => a.source === 'camera:cam-3')!.title.vi, /^Camera 3 mất tín hiệu từ .* \(màn hình hàng 1, cột 2; hàng 2, cột 2\)$/);
    assert.doesNotMatch(alerts.list()[0]!.title.vi, /r\dc\d|cam-/, 'no raw ids in the alert');
    // now the top display loses it too: the outage counts from then
    board.report('r0c1', [health('cam-2', 'stalled', now)]);
    now += 20_000;
    board.report('r0c1', [health('cam-2', 'stalled', now - 20_000)]);
    assert.deepEqual(lost(), ['camera:cam-3'], 'not yet 30 s since the last window lost it');
    now += 15_000;
    board.report('r0c1', [health('cam-2', 'stalled', now - 35_000)]);
    assert.deepEqual(lost().sort(), ['camera:cam-2', 'camera:cam-3']);
    db.close();
  });
});

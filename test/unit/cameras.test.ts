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
    const board = new CameraHealthBoard(alerts, (id) => (id === 'cam-1' ? 'Phường Trấn Biên' : null), 30_000, () => now);
    const report = (state: 'playing' | 'stalled', since: number) => board.report('r0c0', [{ tileId: 'grid', cameraId: 'cam-1', state, stream: 'sub', since, lastFrameAt: since }]);
    report('stalled', now);
    now += 10_000;
    report('stalled', now - 10_000);
    assert.equal(alerts.list().length, 0, 'not before the limit');
    now += 25_000;
    report('stalled', now - 35_000);
    report('stalled', now - 35_000);
    assert.equal(alerts.list().filter((a) => a.source === 'camera:cam-1').length, 1);
    assert.match(alerts.list()[0]!.title.vi, /mất tín hiệu trên màn hình r0c0/);
    assert.equal(alerts.list()[0]!.commune, 'Phường Trấn Biên');
    db.close();
  });
});

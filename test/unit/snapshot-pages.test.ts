/**
 * The host's snapshot pages alone: who may read a cursor, which snapshots share one, how long it
 * lives, and that the first frame and the pages come from one held picture.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ContractError, LIVE_OBJECTS_PER_FRAME, LIVE_SENSORS_PER_FRAME, type LiveSensor, type LiveSnapshot } from '../../native-bridge/contract.js';
import { SnapshotPages } from '../../electron/node/live/snapshot-pages.js';

const sensor = (i: number): LiveSensor => ({ id: `s-${i}`, gateway: 'gw', kind: 'rain', name: `Trạm đo mưa ${i}`, commune: 'Xã Trảng Bom', location: { lon: 107, lat: 10.9 }, unit: 'mm/h', thresholds: {} });
const snapshotOf = (seq: number, sensors: number, withReading: (i: number) => boolean = () => true, objects = 0): LiveSnapshot => {
  const read = Array.from({ length: sensors }, (_, i) => i).filter(withReading);
  return {
    seq,
    sensors: Array.from({ length: sensors }, (_, i) => sensor(i)),
    cameras: [],
    // a reading of a sensor no registry holds comes last
    readings: { id: [...read.map((i) => `s-${i}`), 'orphan'], value: [...read.map((i) => i / 10), 7], at: [...read.map((i) => 1000 + i), 1000] },
    links: [],
    events: [],
    objects: Array.from({ length: objects }, (_, i) => ({ id: `o-${i}`, gateway: 'gw', kind: 'vessel' as const, name: `Tàu ${i}`, at: 1, location: { lon: 107, lat: 10.9 }, trail: [] })),
    reports: [],
  };
};
const notFound = (error: unknown) => error instanceof ContractError && error.code === 'not-found';

describe('snapshot pages', () => {
  it('leaves a snapshot that fits one frame as it is', () => {
    const small = snapshotOf(1, LIVE_SENSORS_PER_FRAME, undefined, LIVE_OBJECTS_PER_FRAME);
    assert.equal(new SnapshotPages().split(small, 'province'), small);
  });

  it('pages sensors with their own readings, in order, a reading of no sensor left out', () => {
    const pages = new SnapshotPages();
    const total = LIVE_SENSORS_PER_FRAME * 2 + 3;
    const frame = pages.split(snapshotOf(5, total, (i) => i % 2 === 0), 'province');
    assert.equal(frame.sensors.length, LIVE_SENSORS_PER_FRAME);
    assert.deepEqual(frame.sensorPages?.total, total);
    assert.deepEqual(frame.readings.id, frame.sensors.filter((_, i) => i % 2 === 0).map((s) => s.id));
    const second = pages.sensorPage(frame.sensorPages!.cursor, LIVE_SENSORS_PER_FRAME, 'province');
    assert.equal(second.sensors[0]?.id, `s-${LIVE_SENSORS_PER_FRAME}`);
    assert.deepEqual(second.readings.value.slice(0, 2), [LIVE_SENSORS_PER_FRAME / 10, (LIVE_SENSORS_PER_FRAME + 2) / 10]);
    const last = pages.sensorPage(frame.sensorPages!.cursor, LIVE_SENSORS_PER_FRAME * 2, 'province');
    assert.deepEqual(last.sensors.map((s) => s.id), [0, 1, 2].map((i) => `s-${LIVE_SENSORS_PER_FRAME * 2 + i}`));
    assert.equal(last.readings.id.includes('orphan'), false);
  });

  it('gives readers of one scope at one seq one cursor and one picture, and another scope nothing', () => {
    const pages = new SnapshotPages();
    const first = pages.split(snapshotOf(5, LIVE_SENSORS_PER_FRAME + 1, undefined, LIVE_OBJECTS_PER_FRAME + 1), 'province');
    // a later snapshot at the same seq (a change not yet flushed): the held picture serves it whole
    const later = snapshotOf(5, LIVE_SENSORS_PER_FRAME + 1, undefined, LIVE_OBJECTS_PER_FRAME + 1);
    later.sensors[0] = { ...later.sensors[0]!, name: 'đổi tên' };
    const again = pages.split(later, 'province');
    assert.equal(again.sensorPages?.cursor, first.sensorPages?.cursor);
    assert.equal(again.objectPages?.cursor, first.objectPages?.cursor);
    assert.equal(again.sensors[0]?.name, 'Trạm đo mưa 0', 'the first frame comes from the held picture too');
    const next = pages.split(snapshotOf(6, LIVE_SENSORS_PER_FRAME + 1), 'province');
    assert.notEqual(next.sensorPages?.cursor, first.sensorPages?.cursor, 'a new seq is a new picture');
    const commune = pages.split(snapshotOf(5, LIVE_SENSORS_PER_FRAME + 1), 'communes:Xã Trảng Bom');
    assert.notEqual(commune.sensorPages?.cursor, first.sensorPages?.cursor);
    assert.throws(() => pages.sensorPage(first.sensorPages!.cursor, LIVE_SENSORS_PER_FRAME, 'communes:Xã Trảng Bom'), notFound);
    assert.throws(() => pages.objectPage(first.objectPages!.cursor, LIVE_OBJECTS_PER_FRAME, 'communes:Xã Trảng Bom'), notFound);
    assert.equal(pages.sensorPage(first.sensorPages!.cursor, LIVE_SENSORS_PER_FRAME, 'province').sensors.length, 1, 'a page may be read again by every window sharing it');
    assert.equal(pages.sensorPage(first.sensorPages!.cursor, LIVE_SENSORS_PER_FRAME, 'province').sensors.length, 1);
  });

  it('forgets a cursor after a minute, and the oldest past 32 snapshots', () => {
    let now = 0;
    const pages = new SnapshotPages(() => now);
    const big = (seq: number) => pages.split(snapshotOf(seq, LIVE_SENSORS_PER_FRAME + 1), 'province').sensorPages!.cursor;
    const first = big(1);
    now = 59_999;
    assert.equal(pages.sensorPage(first, 0, 'province').sensors.length, LIVE_SENSORS_PER_FRAME);
    now = 60_000;
    assert.throws(() => pages.sensorPage(first, 0, 'province'), notFound);
    assert.notEqual(big(1), first, 'an expired picture is not shared any more');
    const cursors = Array.from({ length: 33 }, (_, i) => big(100 + i));
    assert.throws(() => pages.sensorPage(cursors[0]!, 0, 'province'), notFound);
    assert.equal(pages.sensorPage(cursors[1]!, 0, 'province').sensors.length, LIVE_SENSORS_PER_FRAME);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as turf from '@turf/turf';
import { distanceM, flattenPolygons, insidePolygons } from '../../native-bridge/geo.js';

describe('geo', () => {
  it('measures great-circle distances, rounding exactly as turf.distance', () => {
    // One degree of latitude is about 111.2 km everywhere.
    assert.ok(Math.abs(distanceM(106, 10, 106, 11) - 111_195) < 50);
    assert.equal(distanceM(106.82, 10.95, 106.82, 10.95), 0);
    const pairs: [number, number, number, number][] = [
      [106.82, 10.95, 106.9, 11.01],
      [179.9, -33.2, -179.8, -33.1],
      [-0.1, 51.5, 2.35, 48.86],
    ];
    for (const [lon1, lat1, lon2, lat2] of pairs) {
      assert.equal(distanceM(lon1, lat1, lon2, lat2), turf.distance([lon1, lat1], [lon2, lat2], { units: 'meters' }));
    }
  });

  // A 4 × 4 square with a 2 × 2 hole, and a unit square beside it.
  const holed = [
    [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]],
    [[1, 1], [3, 1], [3, 3], [1, 3], [1, 1]],
  ];
  const beside = [[[5, 0], [6, 0], [6, 1], [5, 1], [5, 0]]];

  it('tells inside from outside with even-odd rings: a hole is outside, any polygon counts', () => {
    const shape = flattenPolygons([holed, beside]);
    assert.deepEqual(shape.bbox, [0, 0, 6, 4]);
    const cases: [number, number, boolean][] = [
      [0.5, 0.5, true],
      [3.5, 2, true],
      [2, 2, false], // in the hole
      [4.5, 0.5, false], // between the polygons
      [5.5, 0.5, true],
      [-1, 2, false],
      [2, 5, false],
    ];
    for (const [lon, lat, inside] of cases) assert.equal(insidePolygons(shape, lon, lat), inside, `(${lon}, ${lat})`);
  });

  it('gives the same answer for a ring that does not repeat its first position', () => {
    const open = [holed.map((ring) => ring.slice(0, -1))];
    const closed = flattenPolygons([holed]);
    const unclosed = flattenPolygons(open);
    for (let lon = -0.25; lon <= 4.5; lon += 0.5) {
      for (let lat = -0.25; lat <= 4.5; lat += 0.5) assert.equal(insidePolygons(unclosed, lon, lat), insidePolygons(closed, lon, lat), `(${lon}, ${lat})`);
    }
  });
});

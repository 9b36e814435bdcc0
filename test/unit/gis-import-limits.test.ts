/**
 * Hostile and sloppy GIS files: nesting deep enough to overflow a recursive parser, files too big
 * to read, open rings and self-intersecting polygons.
 */
import assert from 'node:assert/strict';
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import type { Polygon } from 'geojson';
import { GIS_DATABASE_FILE, openDatasetStore } from '../../electron/node/gis/dataset-store.js';
import { GisImportError, importGisFile } from '../../electron/node/gis/import/import-gis-file.js';
import { MAX_GIS_FILE_BYTES, MAX_JSON_DEPTH } from '../../electron/node/gis/import/raw-layer.js';
import { tempDir } from '../support/fixtures.js';
import { keyBeside } from '../support/storage.js';

const store = () => {
  const file = join(tempDir('ioc-wall-gis-'), GIS_DATABASE_FILE);
  return openDatasetStore(file, keyBeside(file));
};

function write(name: string, text: string): string {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return file;
}

const collection = (...geometries: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features: geometries.map((geometry, i) => ({ type: 'Feature', properties: { i }, geometry })) });

async function rejectsNaming(file: string, reason: RegExp): Promise<void> {
  await assert.rejects(importGisFile(file, { store: store() }), (error: unknown) => {
    assert.ok(error instanceof GisImportError, `not a GisImportError: ${String(error)}`);
    assert.ok(error.message.startsWith(`${basename(file)}: `), error.message);
    assert.match(error.message, reason);
    return true;
  });
}

describe('GIS import limits', () => {
  it('refuses 200,000-deep properties naming the file and the depth, with no stack overflow', async () => {
    const depth = 200_000;
    const deep = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const file = write('sau.geojson', `{"type":"Feature","geometry":{"type":"Point","coordinates":[106,16]},"properties":${deep}}`);
    await rejectsNaming(file, new RegExp(`nested deeper than ${MAX_JSON_DEPTH} levels`));
  });

  it('counts brackets inside strings as text, not nesting', async () => {
    const text = '[{'.repeat(5000) + '\\"';
    const file = write('chuoi.geojson', JSON.stringify({ type: 'Feature', geometry: { type: 'Point', coordinates: [106, 16] }, properties: { note: text } }));
    const summary = await importGisFile(file, { store: store() });
    assert.equal(summary.features, 1);
  });

  it('refuses a file larger than the import limit before reading it', async () => {
    const file = write('lon.geojson', '');
    truncateSync(file, MAX_GIS_FILE_BYTES + 1);
    await rejectsNaming(file, new RegExp(`larger than ${MAX_GIS_FILE_BYTES / 1024 / 1024} MB`));
  });

  it('refuses a directory named like a GIS file', async () => {
    const dir = join(tempDir(), 'thu-muc.geojson');
    mkdirSync(dir);
    await rejectsNaming(dir, /not a regular file/);
  });

  it('closes an open ring and says so in the import result', async () => {
    const open = { type: 'Polygon', coordinates: [[[106, 16], [107, 16], [107, 17]]] };
    const closed = { type: 'Polygon', coordinates: [[[106, 16], [108, 16], [108, 18], [106, 18], [106, 16]]] };
    const datasets = store();
    const summary = await importGisFile(write('vong-ho.geojson', collection(closed, open)), { store: datasets });
    assert.deepEqual(summary.geometryNotes, { ringsClosed: 1, selfIntersecting: 0, selfIntersectingFeatures: [], crossingsUnchecked: 0 });
    const stored = datasets.features('vong-ho')[1]!.geometry as Polygon;
    assert.deepEqual(stored.coordinates[0], [[106, 16], [107, 16], [107, 17], [106, 16]]);
  });

  it('imports self-intersecting polygons unchanged and counts them in the import result', async () => {
    const bowtie = { type: 'Polygon', coordinates: [[[106, 16], [107, 17], [107, 16], [106, 17], [106, 16]]] };
    const square = { type: 'Polygon', coordinates: [[[106, 16], [107, 16], [107, 17], [106, 17], [106, 16]]] };
    const datasets = store();
    const summary = await importGisFile(write('no.geojson', collection(square, bowtie, { type: 'MultiPolygon', coordinates: [bowtie.coordinates] })), { store: datasets });
    assert.equal(summary.features, 3);
    assert.deepEqual(summary.geometryNotes, { ringsClosed: 0, selfIntersecting: 2, selfIntersectingFeatures: [1, 2], crossingsUnchecked: 0 });
    assert.deepEqual((datasets.features('no')[1]!.geometry as Polygon).coordinates, bowtie.coordinates);
    // the list shows what is stored; the notes belong to the import's answer
    assert.equal(datasets.get('no')!.geometryNotes, undefined);
  });

  it('counts a hole crossing its outline, and leaves a polygon too tangled to check within the work bound as unchecked', async () => {
    const crossingHole = { type: 'Polygon', coordinates: [[[106, 16], [108, 16], [108, 18], [106, 18], [106, 16]], [[107, 17], [109, 17], [109, 17.5], [107, 17.5], [107, 17]]] };
    // a star of 2000 thin spikes: simple, but every spike's box meets those of a quarter of the others
    const spikes = 2000;
    const star = Array.from({ length: spikes * 2 }, (_, i) => {
      const angle = (Math.PI * i) / spikes;
      const radius = i % 2 === 0 ? 1 : 0.001;
      return [106 + radius * Math.cos(angle), 16 + radius * Math.sin(angle)];
    });
    star.push(star[0]!);
    const summary = await importGisFile(write('sao.geojson', collection(crossingHole, { type: 'Polygon', coordinates: [star] })), { store: store() });
    assert.deepEqual(summary.geometryNotes, { ringsClosed: 0, selfIntersecting: 1, selfIntersectingFeatures: [0], crossingsUnchecked: 1 });
  });
});

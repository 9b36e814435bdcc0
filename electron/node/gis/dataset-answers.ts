/**
 * The bodies of /gis/datasets/<name>.geojson and .points.bin. A dataset may hold a million
 * features: built in one go (parse every row, stringify, gzip) that froze the host for seconds per
 * request, and three windows asking at once for tens of seconds. So an answer is built a page of
 * rows at a time, yielding to the event loop between pages; the GeoJSON is spliced from the JSON
 * text the store already holds (no parse, no stringify) and gzipped by zlib off the main thread.
 * A finished answer is kept until its dataset is re-imported (bounded in total bytes), and parallel
 * requests for one dataset share one build.
 */
import { once } from 'node:events';
import type { Geometry } from 'geojson';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createGzip } from 'node:zlib';
import type { DatasetStore } from './dataset-store.js';

export interface DatasetAnswers {
  /** The dataset as a gzipped GeoJSON FeatureCollection; null when there is no such dataset. */
  geojson(name: string): Promise<Buffer | null>;
  /** Its Point and MultiPoint coordinates as little-endian Float32 lon, lat pairs; null when there is no such dataset. */
  points(name: string): Promise<Buffer | null>;
}

export interface DatasetAnswerOptions {
  /** Rows per page: a page is read and spliced without yielding. */
  pageSize?: number;
  /** Finished answers kept, in total; the oldest go first, an answer larger than this is not kept. */
  cacheBytes?: number;
}

/** A re-import replaced the dataset while its answer was being built: build again from the new one. */
class Superseded extends Error {}
/** Re-imports in a row before a build gives up (each replaces the dataset in one transaction). */
const MAX_ATTEMPTS = 3;

type Kind = 'geojson' | 'points';
interface Entry {
  importedAt: number;
  body: Promise<Buffer>;
  bytes: number;
}

export function createDatasetAnswers(store: DatasetStore, options: DatasetAnswerOptions = {}): DatasetAnswers {
  const pageSize = options.pageSize ?? 2_000;
  const cacheBytes = options.cacheBytes ?? 256 * 1024 * 1024;
  /** Answers by kind and name, oldest first; `bytes` is 0 until the build finished and was counted. */
  const kept = new Map<string, Entry>();
  let keptBytes = 0;

  /** Pages of the dataset as it was at `importedAt`; throws Superseded once it changed. */
  async function* pages(name: string, importedAt: number) {
    let after = -1;
    for (;;) {
      // checked in the same synchronous step as the read: a re-import cannot land between them
      if (store.get(name)?.importedAt !== importedAt) throw new Superseded();
      const rows = store.featurePage(name, after, pageSize);
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1]!.idx;
    }
  }

  async function buildGeojson(name: string, importedAt: number): Promise<Buffer> {
    const gzip = createGzip();
    const chunks: Buffer[] = [];
    gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = once(gzip, 'end');
    let separator = '';
    try {
      gzip.write('{"type":"FeatureCollection","features":[');
      for await (const rows of pages(name, importedAt)) {
        let text = '';
        for (const row of rows) {
          text += `${separator}{"type":"Feature","properties":${row.properties},"geometry":${row.geometry}}`;
          separator = ',';
        }
        if (!gzip.write(text)) await once(gzip, 'drain');
        else await nextTurn();
      }
      gzip.end(']}');
      await ended;
    } catch (error) {
      gzip.destroy();
      throw error;
    }
    return Buffer.concat(chunks);
  }

  async function buildPoints(name: string, importedAt: number): Promise<Buffer> {
    const positions = new GrowingFloats();
    for await (const rows of pages(name, importedAt)) {
      for (const row of rows) {
        const g = JSON.parse(row.geometry) as Geometry;
        if (g.type === 'Point') positions.pair(g.coordinates[0]!, g.coordinates[1]!);
        else if (g.type === 'MultiPoint') for (const c of g.coordinates) positions.pair(c[0]!, c[1]!);
      }
      await nextTurn();
    }
    return Buffer.from(positions.done().buffer);
  }

  const builders: Record<Kind, (name: string, importedAt: number) => Promise<Buffer>> = { geojson: buildGeojson, points: buildPoints };

  /** Drops an answer from the cache, and its bytes from the total. */
  const drop = (key: string) => {
    const entry = kept.get(key);
    if (!entry) return;
    keptBytes -= entry.bytes;
    kept.delete(key);
  };

  /** Counts a finished answer in, then drops the oldest finished ones until the total fits. */
  const keep = (key: string, entry: Entry, body: Buffer) => {
    if (kept.get(key) !== entry) return; // superseded meanwhile
    if (body.length > cacheBytes) return drop(key);
    entry.bytes = body.length;
    keptBytes += body.length;
    for (const [oldKey, old] of kept) {
      if (keptBytes <= cacheBytes) break;
      if (oldKey !== key && old.bytes > 0) drop(oldKey);
    }
  };

  async function answer(kind: Kind, name: string): Promise<Buffer | null> {
    for (let attempt = 1; ; attempt++) {
      const summary = store.get(name);
      if (!summary) return null;
      const key = `${kind}:${name}`;
      let entry = kept.get(key);
      if (entry?.importedAt !== summary.importedAt) {
        drop(key);
        const started: Entry = { importedAt: summary.importedAt, body: builders[kind](name, summary.importedAt), bytes: 0 };
        kept.set(key, started);
        started.body.then(
          (body) => keep(key, started, body),
          () => kept.get(key) === started && drop(key),
        );
        entry = started;
      }
      try {
        return await entry.body;
      } catch (error) {
        if (!(error instanceof Superseded) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  return { geojson: (name) => answer('geojson', name), points: (name) => answer('points', name) };
}

/** A Float32Array that doubles as it fills (a point dataset's size is known only once read). */
class GrowingFloats {
  private values = new Float32Array(1 << 16);
  private length = 0;

  pair(a: number, b: number): void {
    if (this.length + 2 > this.values.length) {
      const grown = new Float32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = a;
    this.values[this.length++] = b;
  }

  done(): Float32Array {
    return this.values.slice(0, this.length);
  }
}

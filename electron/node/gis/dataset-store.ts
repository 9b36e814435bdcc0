/**
 * Imported GIS datasets in their own SQLite file (<dataDir>/gis.sqlite, better-sqlite3, WAL), apart
 * from the wall database: a re-import writes megabytes in one transaction and must never stall
 * the command journal. Geometries are stored as WGS 84 GeoJSON text with a per-feature bbox so a
 * later spatial query can pre-filter in SQL. Schema changes are numbered migrations tracked in
 * PRAGMA user_version, applied in one transaction at open (as in ../database.ts).
 */
import type { Feature, Geometry } from 'geojson';
import { datasetSummary, type DatasetSummary, type GisFileFormat } from '../../../native-bridge/gis-datasets.js';
import { migrate } from '../database.js';
import { openSqliteFile } from '../sqlite-files.js';
import type { StorageKey } from '../storage-key.js';

export const GIS_DATABASE_FILE = 'gis.sqlite';

const MIGRATIONS: readonly string[] = [
  // 1: datasets and their features
  `
  CREATE TABLE dataset (
    name TEXT PRIMARY KEY,
    features INTEGER NOT NULL,
    min_lon REAL NOT NULL,
    min_lat REAL NOT NULL,
    max_lon REAL NOT NULL,
    max_lat REAL NOT NULL,
    source_crs TEXT NOT NULL,
    source_file TEXT NOT NULL,
    format TEXT NOT NULL,
    imported_at INTEGER NOT NULL
  );
  CREATE TABLE dataset_feature (
    dataset TEXT NOT NULL REFERENCES dataset(name) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    properties TEXT NOT NULL,
    geometry TEXT NOT NULL,
    min_lon REAL NOT NULL,
    min_lat REAL NOT NULL,
    max_lon REAL NOT NULL,
    max_lat REAL NOT NULL,
    PRIMARY KEY (dataset, idx)
  ) WITHOUT ROWID;
  `,
];

/** A feature ready to store: WGS 84 geometry, and its bbox [minLon, minLat, maxLon, maxLat]. */
export interface StoredFeatureInput {
  properties: Record<string, unknown>;
  geometry: Geometry;
  bbox: [number, number, number, number];
}

export interface DatasetStore {
  list(): DatasetSummary[];
  get(name: string): DatasetSummary | undefined;
  /** The dataset's features in import order, properties as imported; [] for an unknown name. */
  features(name: string): Feature[];
  /**
   * Up to `limit` features after index `afterIdx` (-1: from the first), as the JSON text they are
   * stored as: a large answer is built a page at a time, the event loop running in between.
   */
  featurePage(name: string, afterIdx: number, limit: number): StoredFeatureText[];
  /** Replaces the dataset in one transaction: if anything fails, the previous version stays. */
  replace(summary: DatasetSummary, features: readonly StoredFeatureInput[]): void;
  /** Where a damaged file was moved before this empty store was started (the datasets can be imported again), else null. */
  readonly movedAside: string | null;
  close(): void;
}

/** A stored feature as its JSON texts, and its index in import order. */
export interface StoredFeatureText {
  idx: number;
  properties: string;
  geometry: string;
}

interface DatasetRow {
  name: string;
  features: number;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  source_crs: string;
  source_file: string;
  format: string;
  imported_at: number;
}

function toSummary(row: DatasetRow): DatasetSummary {
  return {
    name: row.name,
    features: row.features,
    bbox: [row.min_lon, row.min_lat, row.max_lon, row.max_lat],
    sourceCrs: row.source_crs,
    sourceFile: row.source_file,
    format: row.format as GisFileFormat,
    importedAt: row.imported_at,
  };
}

export function openDatasetStore(file: string, key: StorageKey): DatasetStore {
  const { db, movedAside } = openSqliteFile(file, {
    kind: 'GIS datasets',
    key,
    setup: (db) => {
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      migrate(db, file, MIGRATIONS);
    },
    onDamage: { rebuild: true },
  });

  const listRows = db.prepare<[], DatasetRow>('SELECT * FROM dataset ORDER BY name');
  const getRow = db.prepare<[string], DatasetRow>('SELECT * FROM dataset WHERE name = ?');
  const featureRows = db.prepare<[string], { properties: string; geometry: string }>(
    'SELECT properties, geometry FROM dataset_feature WHERE dataset = ? ORDER BY idx',
  );
  const pageRows = db.prepare<[string, number, number], StoredFeatureText>(
    'SELECT idx, properties, geometry FROM dataset_feature WHERE dataset = ? AND idx > ? ORDER BY idx LIMIT ?',
  );
  const deleteDataset = db.prepare<[string]>('DELETE FROM dataset WHERE name = ?');
  const insertDataset = db.prepare(
    `INSERT INTO dataset (name, features, min_lon, min_lat, max_lon, max_lat, source_crs, source_file, format, imported_at)
     VALUES (@name, @features, @minLon, @minLat, @maxLon, @maxLat, @sourceCrs, @sourceFile, @format, @importedAt)`,
  );
  const insertFeature = db.prepare(
    `INSERT INTO dataset_feature (dataset, idx, properties, geometry, min_lon, min_lat, max_lon, max_lat)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  const replace = db.transaction((summary: DatasetSummary, features: readonly StoredFeatureInput[]) => {
    deleteDataset.run(summary.name);
    const [minLon, minLat, maxLon, maxLat] = summary.bbox;
    insertDataset.run({ ...summary, minLon, minLat, maxLon, maxLat });
    features.forEach((feature, idx) => {
      const [fMinLon, fMinLat, fMaxLon, fMaxLat] = feature.bbox;
      insertFeature.run(summary.name, idx, JSON.stringify(feature.properties), JSON.stringify(feature.geometry), fMinLon, fMinLat, fMaxLon, fMaxLat);
    });
  });

  return {
    list: () => listRows.all().map(toSummary),
    get: (name) => {
      const row = getRow.get(name);
      return row && toSummary(row);
    },
    features: (name) =>
      featureRows.all(name).map((row) => ({
        type: 'Feature',
        properties: JSON.parse(row.properties) as Record<string, unknown>,
        geometry: JSON.parse(row.geometry) as Geometry,
      })),
    featurePage: (name, afterIdx, limit) => pageRows.all(name, afterIdx, limit),
    replace: (summary, features) => {
      const valid = datasetSummary.parse(summary);
      if (valid.features !== features.length) throw new Error(`dataset ${valid.name}: summary says ${valid.features} features, got ${features.length}`);
      replace(valid, features);
    },
    movedAside,
    close: () => db.close(),
  };
}

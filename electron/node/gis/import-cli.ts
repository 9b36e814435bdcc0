/**
 * `npm run import -- <file> [--dataset <name>] [--data-dir <dir>] [--crs <crs>] [--layer <table>]`
 * Imports an official GIS file into the wall's dataset store (<data-dir>/gis.sqlite). Progress goes
 * to stderr; the last stdout line is the result as JSON, for scripts:
 *   {"dataset":"…","features":34,"bbox":[minLon,minLat,maxLon,maxLat],"source_crs":"…"}
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ImportCliResult, ImportPhase, ImportProgress } from '../../../native-bridge/gis-datasets.js';
import { defaultDataDir } from '../runtime-options.js';
import { GIS_DATABASE_FILE, openDatasetStore } from './dataset-store.js';
import { loadStorageKey } from '../storage-key.js';
import { geometryNotesText } from './import/geometry-notes-text.js';
import { importGisFile } from './import/import-gis-file.js';

const USAGE = `Usage: npm run import -- <file> [options]
  <file>               .geojson/.json, .shp (+ .dbf, .prj, .cpg), .gpkg, .kml, .fgb or .csv
  --dataset <name>     dataset name (default: from the file name, e.g. "Ranh giới xã.shp" → ranh-gioi-xa)
  --data-dir <dir>     the wall's data folder (default $XDG_DATA_HOME/ioc-wall, or IOC_WALL_DATA)
  --crs <crs>          CRS when the file names none (CSV, a shapefile without .prj), e.g. EPSG:3405
  --layer <table>      which feature table of a GeoPackage holding several`;

const PHASE_LABELS: Record<ImportPhase, string> = { read: 'Đọc / read', reproject: 'Chuyển hệ toạ độ / reproject', write: 'Ghi / write' };
const BAR_WIDTH = 24;

function progressPrinter(stream: NodeJS.WriteStream): { update(progress: ImportProgress): void; end(): void } {
  if (!stream.isTTY) {
    return {
      update: ({ phase, done, total }) => stream.write(`${PHASE_LABELS[phase]}: ${done}/${total}\n`),
      end: () => {},
    };
  }
  let drawn = false;
  return {
    update: ({ phase, done, total }) => {
      const fraction = total > 0 ? done / total : 0;
      const filled = Math.round(fraction * BAR_WIDTH);
      stream.write(`\r\x1b[2K${PHASE_LABELS[phase].padEnd(30)} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${done}/${total}`);
      drawn = true;
    },
    end: () => {
      if (drawn) stream.write('\n');
    },
  };
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dataset: { type: 'string' },
      'data-dir': { type: 'string' },
      crs: { type: 'string' },
      layer: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new Error(`expected one file to import, got ${positionals.length}\n${USAGE}`);
  const file = resolve(positionals[0]!);
  const dataDir = values['data-dir'] ? resolve(values['data-dir']) : defaultDataDir();
  const store = openDatasetStore(join(dataDir, GIS_DATABASE_FILE), loadStorageKey(dataDir));
  const progress = progressPrinter(process.stderr);
  try {
    const summary = await importGisFile(file, { store, dataset: values.dataset, crs: values.crs, layer: values.layer, onProgress: progress.update });
    progress.end();
    process.stderr.write(`Đã nhập / imported ${summary.features} features into dataset "${summary.name}" (${join(dataDir, GIS_DATABASE_FILE)})\n`);
    const notes = geometryNotesText(summary.geometryNotes);
    if (notes) process.stderr.write(`Lưu ý: ${notes.vi}\nNote: ${notes.en}\n`);
    const result: ImportCliResult = { dataset: summary.name, features: summary.features, bbox: summary.bbox, source_crs: summary.sourceCrs };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } finally {
    progress.end();
    store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`Lỗi / error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);

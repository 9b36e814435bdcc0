/**
 * The demo province's indicator tables (resources/indicators/*.csv, synthetic): imported into the
 * GIS dataset store under their file names when absent, so the dataset-sourced indicators of
 * layouts/indicators show figures in the demo. A site imports its own tables under those names.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetStore } from '../gis/dataset-store.js';
import { importGisFile } from '../gis/import/import-gis-file.js';
import { projectRoot } from '../project-paths.js';

export const demoIndicatorDatasetsDir = join(projectRoot, 'resources', 'indicators');

export async function seedDemoIndicatorDatasets(store: DatasetStore, log: (line: string) => void, dir = demoIndicatorDatasetsDir): Promise<void> {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.csv')).sort()) {
    const name = file.replace(/\.csv$/, '');
    if (store.get(name)) continue;
    const summary = await importGisFile(join(dir, file), { store, dataset: name });
    log(`ioc-wall: imported the demo indicator dataset ${name} (${summary.features} rows)`);
  }
}

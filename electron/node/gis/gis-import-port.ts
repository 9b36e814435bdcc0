/**
 * The core's way to import official GIS files (gis.import) over the host's GIS: one import at a
 * time, importer failures as contract errors, and the spatial index's communes reloaded after the
 * communes dataset changed.
 */
import { stat } from 'node:fs/promises';
import { ContractError } from '../../../native-bridge/contract.js';
import type { GisImportPort } from '../../common/ports.js';
import { COMMUNES_DATASET, type GisService } from './gis-service.js';
import { GisImportError, importGisFile } from './import/import-gis-file.js';

export function createGisImportPort(gis: Pick<GisService, 'datasets' | 'reloadAreas'>): GisImportPort {
  let running: string | null = null;
  return {
    datasets: () => gis.datasets.list(),
    async importFile(file, options, onProgress) {
      if (running !== null) throw new ContractError('conflict', `another import is running (${running}); try again when it is done`);
      running = file;
      try {
        await requireFile(file);
        const summary = await importGisFile(file, { store: gis.datasets, ...options, onProgress }).catch((error: unknown) => {
          throw error instanceof GisImportError ? new ContractError('invalid', error.message) : error;
        });
        if (summary.name === COMMUNES_DATASET) await gis.reloadAreas();
        return summary;
      } finally {
        running = null;
      }
    },
  };
}

async function requireFile(file: string): Promise<void> {
  const found = await stat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') throw new ContractError('not-found', `${file}: no such file on the host`);
    throw new ContractError('invalid', `${file}: cannot be read (${error.message})`);
  });
  if (!found.isFile()) throw new ContractError('invalid', `${file}: is not a file`);
}

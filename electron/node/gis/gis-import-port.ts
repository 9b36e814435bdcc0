/**
 * The core's way to import official GIS files (gis.import) over the host's GIS: only from the
 * import folders, one import at a time, importer failures as contract errors, and the spatial
 * index's communes reloaded after the communes dataset changed.
 */
import { stat } from 'node:fs/promises';
import { ContractError } from '../../../native-bridge/contract.js';
import type { GisImportPort } from '../../common/ports.js';
import { COMMUNES_DATASET, type GisService } from './gis-service.js';
import { GisImportError, importGisFile } from './import/import-gis-file.js';
import { resolveImportFile } from './import-folders.js';

export interface GisImportPortOptions {
  /** The folders imports may read from (see import-folders.ts). */
  importDirs: readonly string[];
}

export function createGisImportPort(gis: Pick<GisService, 'datasets' | 'reloadAreas'>, { importDirs }: GisImportPortOptions): GisImportPort {
  let running: string | null = null;
  return {
    datasets: () => gis.datasets.list(),
    async importFile(file, options, onProgress) {
      if (running !== null) throw new ContractError('conflict', `another import is running (${running}); try again when it is done`);
      running = file;
      try {
        const real = await resolveImportFile(file, importDirs);
        await requireFile(file, real);
        const summary = await importGisFile(real, { store: gis.datasets, ...options, onProgress }).catch((error: unknown) => {
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

/** `real`: the file's resolved path; errors name the path as the caller gave it. */
async function requireFile(file: string, real: string): Promise<void> {
  const found = await stat(real).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') throw new ContractError('not-found', `${file}: no such file on the host`);
    throw new ContractError('invalid', `${file}: cannot be read (${error.code ?? error.message})`);
  });
  if (!found.isFile()) throw new ContractError('invalid', `${file}: is not a file`);
}

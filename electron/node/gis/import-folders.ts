/**
 * Where gis.import may read: only files inside the host's import folders (<data-dir>/imports and
 * any given with --import-dir). A console is trusted to pick a file, not to read the host's disk:
 * without this, any readable file (a key, another wall's database) could be imported and then
 * served as a dataset. The path is checked as written before anything on disk is touched (so no
 * answer tells whether a file exists elsewhere), then again after every symbolic link is resolved.
 */
import { mkdirSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ContractError } from '../../../native-bridge/contract.js';
import type { HostFiles } from '../runtime-options.js';

/** <dataDir>/imports (created, so operators find where to put files) and the --import-dir folders. */
export function importFolders(files: Pick<HostFiles, 'dataDir' | 'importDirs'>): string[] {
  const own = join(files.dataDir, 'imports');
  mkdirSync(own, { recursive: true });
  return [own].concat(files.importDirs ?? []);
}

function inside(dir: string, file: string): boolean {
  const rel = relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** The file's real path when it lies in one of `dirs`; a 'forbidden' or 'not-found' ContractError naming it otherwise. */
export async function resolveImportFile(file: string, dirs: readonly string[]): Promise<string> {
  const refuse = () => new ContractError('forbidden', `${file}: outside the import folders (${dirs.join(', ')}); copy the file into one of them`);
  const written = resolve(file);
  if (!dirs.some((dir) => inside(resolve(dir), written))) throw refuse();
  const real = await realpath(written).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') throw new ContractError('not-found', `${file}: no such file on the host`);
    throw new ContractError('invalid', `${file}: cannot be read (${error.code ?? error.message})`);
  });
  // a folder that does not exist holds nothing; its real path is only needed when it does
  const realDirs = await Promise.all(dirs.map((dir) => realpath(dir).catch(() => null)));
  if (!realDirs.some((dir) => dir !== null && inside(dir, real))) throw refuse();
  return real;
}

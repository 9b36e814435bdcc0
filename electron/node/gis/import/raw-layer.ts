/** What every format reader returns: features as found in the file (not yet checked) and their CRS. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { SourceCrs } from './crs.js';
import { GisImportError } from './gis-import-error.js';

export interface RawFeature {
  geometry: unknown;
  properties: Record<string, unknown>;
}

export interface RawLayer {
  features: RawFeature[];
  crs: SourceCrs;
}

export interface ReaderOptions {
  /** The CRS to assume when the file names none (CSV, a shapefile without .prj), e.g. "EPSG:3405". */
  crs?: string;
  /** Which table of a GeoPackage holding several feature tables. */
  layer?: string;
}

export type GisReader = (file: string, options: ReaderOptions) => Promise<RawLayer>;

/** loaders.gl must never fetch a worker from a CDN: parse on this thread (the host is Node). */
export const NO_WORKERS = { core: { worker: false } } as const;

export async function readBytes(file: string, what = basename(file)): Promise<ArrayBuffer> {
  try {
    const bytes = await readFile(file);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new GisImportError(file, code === 'ENOENT' ? `${what} not found` : `cannot read ${what} (${(error as Error).message})`);
  }
}

export async function readText(file: string): Promise<string> {
  return new TextDecoder('utf-8').decode(await readBytes(file));
}

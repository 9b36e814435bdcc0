/** What every format reader returns: features as found in the file (not yet checked) and their CRS. */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { SourceCrs } from './crs.js';
import { GisImportError } from './gis-import-error.js';

/** Largest GIS file imported (a province's communes as GeoJSON are a few tens of MB). */
export const MAX_GIS_FILE_BYTES = 256 * 1024 * 1024;
/** Deepest nesting of arrays and objects in a GeoJSON file (a MultiPolygon in a collection needs 6). */
export const MAX_JSON_DEPTH = 64;

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

/** Why `file` is not a regular file of at most MAX_GIS_FILE_BYTES, or null when it is one. */
export function fileProblem(stats: { isFile(): boolean; size: number }, what: string): string | null {
  if (!stats.isFile()) return `${what} is not a regular file`;
  if (stats.size > MAX_GIS_FILE_BYTES) return `${what} is larger than ${MAX_GIS_FILE_BYTES / 1024 / 1024} MB (${stats.size} bytes)`;
  return null;
}

/**
 * The whole file, once it is known to be a regular file within the size limit: opened
 * non-blocking and checked on the open descriptor, so a FIFO named like a GIS file never blocks.
 */
export async function readBytes(file: string, what = basename(file)): Promise<ArrayBuffer> {
  let bytes: Buffer;
  try {
    const handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      const problem = fileProblem(await handle.stat(), what);
      if (problem) throw new GisImportError(file, problem);
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof GisImportError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new GisImportError(file, code === 'ENOENT' ? `${what} not found` : `cannot read ${what} (${(error as Error).message})`);
  }
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export async function readText(file: string): Promise<string> {
  return new TextDecoder('utf-8').decode(await readBytes(file));
}

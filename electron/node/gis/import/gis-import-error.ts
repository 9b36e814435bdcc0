/** Why an import failed, naming the file and, when it is one feature's fault, that feature. */
import { basename } from 'node:path';

export class GisImportError extends Error {
  constructor(
    /** The file at fault (the .dbf of a shapefile, not only the .shp). */
    readonly file: string,
    readonly reason: string,
    /** 0-based index of the feature at fault, in file order. */
    readonly feature?: number,
  ) {
    super(`${basename(file)}: ${feature === undefined ? '' : `feature ${feature}: `}${reason}`);
    this.name = 'GisImportError';
  }
}

function asImportError(error: unknown, file: string, feature?: number): GisImportError {
  if (error instanceof GisImportError) return error;
  return new GisImportError(file, `cannot be read (${error instanceof Error ? error.message : String(error)})`, feature);
}

/** Runs a third-party parser and turns whatever it throws into a GisImportError for `file`. */
export async function parseOrFail<T>(file: string, parse: () => Promise<T>): Promise<T> {
  try {
    return await parse();
  } catch (error) {
    throw asImportError(error, file);
  }
}

export function parseSyncOrFail<T>(file: string, parse: () => T, feature?: number): T {
  try {
    return parse();
  } catch (error) {
    throw asImportError(error, file, feature);
  }
}

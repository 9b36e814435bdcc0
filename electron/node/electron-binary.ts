/**
 * Is Electron usable on this machine? `electron` is an optional dependency whose install script
 * downloads the binary; where that fails npm drops the package (or leaves it without its binary).
 * From plain Node, `require('electron')` returns the path of the executable, and throws when the
 * package is missing or was not installed completely.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export function findElectronBinary(): string | null {
  try {
    const require = createRequire(import.meta.url);
    // eslint-disable-next-line layers/imports -- from plain Node this is the executable's path, not Electron's API
    const binary: unknown = require('electron');
    return typeof binary === 'string' && binary.length > 0 && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

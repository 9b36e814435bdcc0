/** Shared test set-up: temporary folders and the demo wall's files. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPresetsDir, defaultWallFile, projectRoot } from '../../electron/node/project-paths.js';

export { defaultPresetsDir as demoPresetsDir, defaultWallFile as demoWallFile, projectRoot };

/** Gateway configs for tests: ephemeral ports, with or without the embedded simulated province. */
export const noGatewaysFile = join(projectRoot, 'test', 'support', 'gateways-none.yaml');
export const simulatedGatewaysFile = join(projectRoot, 'test', 'support', 'gateways-sim.yaml');

const made: string[] = [];

/**
 * A fresh temporary folder, removed when the test file's process ends. Not by an after() hook:
 * one registered inside a before() hook runs as soon as that hook ends, deleting the folder under
 * a host that still uses it (a later account or file written there would land in a new folder).
 */
export function tempDir(prefix = 'ioc-wall-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (made.push(dir) === 1) process.once('exit', removeTempDirs);
  return dir;
}

function removeTempDirs(): void {
  // A browser profile may still be flushing: retry, and never fail a test on cleanup.
  for (const dir of made) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch (error) {
      console.warn(`could not remove ${dir}: ${(error as Error).message}`);
    }
  }
}

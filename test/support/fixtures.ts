/** Shared test set-up: temporary folders and the demo wall's files. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { defaultPresetsDir, defaultWallFile, projectRoot } from '../../electron/node/project-paths.js';

export { defaultPresetsDir as demoPresetsDir, defaultWallFile as demoWallFile, projectRoot };

/** Gateway configs for tests: ephemeral ports, with or without the embedded simulated province. */
export const noGatewaysFile = join(projectRoot, 'test', 'support', 'gateways-none.yaml');
export const simulatedGatewaysFile = join(projectRoot, 'test', 'support', 'gateways-sim.yaml');

/** A fresh temporary folder, removed when the test file finishes. */
export function tempDir(prefix = 'ioc-wall-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  // A browser profile may still be flushing when the hook runs: retry, and never fail a test on cleanup.
  after(() => {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch (error) {
      console.warn(`could not remove ${dir}: ${(error as Error).message}`);
    }
  });
  return dir;
}

/** Shared test set-up: temporary folders and the demo wall's files. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultPresetsDir, defaultWallFile, projectRoot } from '../../electron/node/project-paths.js';

export { defaultPresetsDir as demoPresetsDir, defaultWallFile as demoWallFile, projectRoot };

/** Gateway configs for tests: ephemeral ports, with or without the embedded simulated province. */
export const noGatewaysFile = join(projectRoot, 'test', 'support', 'gateways-none.yaml');
export const simulatedGatewaysFile = join(projectRoot, 'test', 'support', 'gateways-sim.yaml');

/** Small fixtures committed with the tests (test/fixtures). */
export const committedFixture = (name: string): string => join(projectRoot, 'test', 'fixtures', name);

/**
 * The large sample data kept outside the project (real GIS files with their own licence): the
 * folder IOC_WALL_FIXTURES names, else the fixture folder beside the project. Only this helper
 * knows where it is.
 */
export const externalFixturesDir = resolve(process.env.IOC_WALL_FIXTURES ?? join(projectRoot, '..', 'shared', 'fixtures'));

/** A GIS sample file of the external fixtures (e.g. vn-34-provinces.geojson). */
export const gisFixture = (name: string): string => join(externalFixturesDir, 'gis', name);

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

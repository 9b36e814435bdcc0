/** Where the project's folders are, whether running from source (tsx) or from dist/ bundles. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'ioc-wall') return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the ioc-wall project folder above ${start}`);
  }
}

export const projectRoot = findRoot(dirname(fileURLToPath(import.meta.url)));
export const rendererDist = join(projectRoot, 'dist', 'renderer');
export const layoutsDir = join(projectRoot, 'layouts');
export const defaultWallFile = join(layoutsDir, 'walls', 'demo.yaml');
export const defaultPresetsDir = join(layoutsDir, 'presets');
export const defaultIndicatorsDir = join(layoutsDir, 'indicators');
export const defaultScenariosDir = join(layoutsDir, 'scenarios');
export const defaultGatewaysFile = join(layoutsDir, 'gateways', 'demo.yaml');

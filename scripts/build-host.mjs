#!/usr/bin/env node
/**
 * Bundles the host side with esbuild (the renderer is built by Vite into dist/renderer):
 *   launch/electron-main.ts           → dist/electron-main/main.cjs  Electron main, CJS
 *   native-bridge/preload/preload.ts  → dist/preload/preload.cjs     sandboxed preload, one self-contained CJS file
 *   launch/start.ts, launch/snapshot.ts → dist/host/*.js              plain Node, ESM
 *   electron/node/chromium-host/devtools-relay.ts → dist/host/devtools-relay.js  a window's DevTools pipe relay (own process)
 * Dependencies stay external (they ship in node_modules; native ones are rebuilt per runtime).
 *   electron/node/cache/cache-worker.ts → dist/{host,electron-main}/cache-worker.js  ESM worker thread
 *   electron/node/gis/spatial/spatial-worker.ts → dist/{host,electron-main}/spatial-worker.js  ESM worker thread
 * An entry point whose source does not exist yet is skipped with a note.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const dependencies = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})];

const NODE_TARGET = 'node20';
// Electron 45 runs Chromium 140; stay a little behind so a minor Electron downgrade still works.
const CHROME_TARGET = 'chrome128';

const common = {
  absWorkingDir: root,
  bundle: true,
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
  charset: 'utf8',
};

/** CommonJS has no import.meta: give bundled modules a working import.meta.url. */
const importMetaUrlShim = {
  define: { 'import.meta.url': '__iocImportMetaUrl' },
  banner: { js: "const __iocImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

const builds = [
  {
    name: 'electron main',
    entry: 'launch/electron-main.ts',
    options: {
      ...importMetaUrlShim,
      outfile: 'dist/electron-main/main.cjs',
      platform: 'node',
      format: 'cjs',
      target: NODE_TARGET,
      // ws loads bufferutil / utf-8-validate only if installed: leave those requires alone.
      external: ['electron', 'better-sqlite3-multiple-ciphers', 'bufferutil', 'utf-8-validate', ...dependencies],
    },
  },
  {
    name: 'preload',
    entry: 'native-bridge/preload/preload.ts',
    options: {
      outfile: 'dist/preload/preload.cjs',
      // A sandboxed preload can require('electron') and nothing else from disk: bundle the rest.
      platform: 'browser',
      format: 'cjs',
      target: CHROME_TARGET,
      external: ['electron'],
      // Every window parses it before its page: keep it small (zod is most of it).
      minify: true,
    },
  },
  // The telemetry cache's and the spatial index's worker threads load `cache-worker.js` /
  // `spatial-worker.js` beside the bundle that started them.
  ...[
    ['start (Electron or the Chromium host)', 'launch/start.ts', 'dist/host/start.js'],
    ['snapshot', 'launch/snapshot.ts', 'dist/host/snapshot.js'],
    ['DevTools relay (host windows)', 'electron/node/chromium-host/devtools-relay.ts', 'dist/host/devtools-relay.js'],
    ['cache worker (host)', 'electron/node/cache/cache-worker.ts', 'dist/host/cache-worker.js'],
    ['cache worker (electron)', 'electron/node/cache/cache-worker.ts', 'dist/electron-main/cache-worker.js'],
    ['spatial worker (host)', 'electron/node/gis/spatial/spatial-worker.ts', 'dist/host/spatial-worker.js'],
    ['spatial worker (electron)', 'electron/node/gis/spatial/spatial-worker.ts', 'dist/electron-main/spatial-worker.js'],
  ].map(([name, entry, outfile]) => ({
    name,
    entry,
    options: {
      outfile,
      platform: 'node',
      format: 'esm',
      target: NODE_TARGET,
      packages: 'external',
      banner: { js: "import { createRequire as __iocCreateRequire } from 'node:module';\nconst require = __iocCreateRequire(import.meta.url);" },
    },
  })),
];

let failed = false;
for (const { name, entry, options } of builds) {
  if (!existsSync(join(root, entry))) {
    console.log(`build-host: skipped ${name}: ${entry} does not exist yet`);
    continue;
  }
  try {
    await build({ ...common, ...options, entryPoints: [entry] });
  } catch (error) {
    // esbuild has already printed the diagnostics
    failed = true;
    console.error(`build-host: ${name} (${relative(root, join(root, entry))}) failed${error?.errors ? '' : `: ${error?.message ?? error}`}`);
  }
}
if (failed) process.exit(1);

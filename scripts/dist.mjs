#!/usr/bin/env node
/**
 * `npm run dist`: package the Electron host with electron-builder, then put node_modules back.
 *
 * electron-builder (npmRebuild: true) rebuilds native modules for Electron's ABI *in place* in
 * node_modules. Afterwards plain Node (tests, the Chromium host, benches) could no longer load
 * them, so this script rebuilds them for Node again, whether packaging succeeded or not.
 * Extra arguments go to electron-builder (e.g. `npm run dist -- --linux deb`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const NATIVE_MODULES = ['better-sqlite3-multiple-ciphers', 'zeromq'];
const win = process.platform === 'win32';

const builder = spawnSync(join(root, 'node_modules', '.bin', win ? 'electron-builder.cmd' : 'electron-builder'), ['--config', 'electron-builder.yml', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  shell: win,
});

const installed = NATIVE_MODULES.filter((name) => existsSync(join(root, 'node_modules', name, 'package.json')));
if (installed.length > 0) {
  console.log(`dist: rebuilding ${installed.join(', ')} for Node ${process.versions.node} (electron-builder rebuilt them for Electron)`);
  const rebuilt = spawnSync(win ? 'npm.cmd' : 'npm', ['rebuild', ...installed], { cwd: root, stdio: 'inherit', shell: win });
  if (rebuilt.status !== 0) {
    console.error(`dist: npm rebuild ${installed.join(' ')} failed: run it by hand before running tests`);
    process.exitCode = 1;
  }
}
if (builder.error) console.error(`dist: cannot run electron-builder: ${builder.error.message}`);
if (builder.status !== 0) process.exitCode = builder.status ?? 1;

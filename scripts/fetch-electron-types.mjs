#!/usr/bin/env node
/**
 * Makes Electron's type declarations available without the Electron binary.
 *
 * `electron` is an optional dependency: where its postinstall cannot download the binary, npm
 * drops the whole package, and with it electron.d.ts, so `tsc` could not check
 * electron/electron-main. This script (run from "postinstall") then fetches only the declaration
 * file of the same electron version from the registry into .cache/electron-types/electron.d.ts,
 * which tsconfig.json includes.
 *
 * - electron installed (node_modules/electron/electron.d.ts exists): removes .cache/electron-types/.
 * - already fetched for the same version spec: does nothing (idempotent, no network).
 * - offline or registry error: prints one warning and exits 0, so `npm ci` never fails here.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const installed = join(root, 'node_modules', 'electron', 'electron.d.ts');
const cacheDir = join(root, '.cache', 'electron-types');
const target = join(cacheDir, 'electron.d.ts');
const stampFile = join(cacheDir, 'version.json');

function warn(message) {
  console.warn(`fetch-electron-types: warning: ${message}`);
}

function main() {
  if (existsSync(installed)) {
    rmSync(cacheDir, { recursive: true, force: true });
    return;
  }

  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const spec = pkg.optionalDependencies?.electron ?? pkg.devDependencies?.electron ?? pkg.dependencies?.electron;
  if (typeof spec !== 'string' || spec.length === 0) {
    warn('no electron version in package.json optionalDependencies; skipping');
    return;
  }

  if (existsSync(target) && existsSync(stampFile)) {
    try {
      if (JSON.parse(readFileSync(stampFile, 'utf8')).spec === spec) return;
    } catch {
      // unreadable stamp: fetch again
    }
  }

  const work = mkdtempSync(join(tmpdir(), 'ioc-electron-types-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const packed = spawnSync(
      npm,
      ['pack', `electron@${spec}`, '--json', '--ignore-scripts', '--loglevel=error', '--fetch-retries=1', '--pack-destination', work],
      { cwd: work, encoding: 'utf8', timeout: 180_000, shell: process.platform === 'win32' },
    );
    if (packed.error || packed.status !== 0) {
      const lines = (packed.error?.message ?? packed.stderr ?? '').split('\n').map((l) => l.trim());
      const detail = lines.find((l) => /^npm (error|ERR!)/.test(l) && !/complete log|debug-0\.log/.test(l)) ?? lines.find(Boolean) ?? `exit ${packed.status}`;
      warn(`could not fetch electron@${spec} from the registry (${detail}); electron/electron-main will not type-check until this succeeds (re-run: node scripts/fetch-electron-types.mjs)`);
      return;
    }
    let version = spec;
    try {
      const info = JSON.parse(packed.stdout);
      if (Array.isArray(info) && typeof info[0]?.version === 'string') version = info[0].version;
    } catch {
      // older npm without --json output: the version stays the spec
    }
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!tarball) {
      warn(`npm pack electron@${spec} produced no tarball; skipping`);
      return;
    }
    const untar = spawnSync('tar', ['-xzf', tarball, 'package/electron.d.ts'], { cwd: work, encoding: 'utf8' });
    const extracted = join(work, 'package', 'electron.d.ts');
    if (untar.status !== 0 || !existsSync(extracted)) {
      warn(`could not extract electron.d.ts from ${tarball} (${(untar.stderr ?? '').trim() || `exit ${untar.status}`}); skipping`);
      return;
    }
    mkdirSync(cacheDir, { recursive: true });
    // Write next to the target, then rename: a half-written file never sits where tsc looks.
    copyFileSync(extracted, `${target}.tmp`);
    renameSync(`${target}.tmp`, target);
    writeFileSync(stampFile, `${JSON.stringify({ spec, version }, null, 2)}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  warn(`unexpected error: ${error instanceof Error ? error.message : String(error)}`);
}

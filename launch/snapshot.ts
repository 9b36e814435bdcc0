/**
 * `npm run snapshot`: a PNG of each display and of the whole wall (bezels drawn). Attaches to the
 * running host's windows when one is running, else starts the wall headless just for the picture.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runtimeFile, startChromiumHost, type RuntimeInfo } from '../electron/node/chromium-host/host.js';
import { captureWall } from '../electron/node/chromium-host/wall-capture.js';
import { loadWallFile } from '../electron/node/layout-files.js';
import { rendererDist } from '../electron/node/project-paths.js';
import { parseHostArgs, USAGE } from '../electron/node/runtime-options.js';
import { chromiumHostOptions } from './compose.js';

function runningHost(file: string): RuntimeInfo | null {
  if (!existsSync(file)) return null;
  const info = JSON.parse(readFileSync(file, 'utf8')) as RuntimeInfo;
  try {
    process.kill(info.pid, 0);
  } catch {
    return null; // left behind by a host that died
  }
  return info.windows.every((w) => w.windowId === 'console' || w.devtools) ? info : null;
}

async function main(): Promise<void> {
  let options;
  try {
    options = parseHostArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`ioc-wall: ${(error as Error).message}\n${USAGE}\n  --out <dir>            where to write the PNGs (default ./snapshots)`);
    process.exit(2);
  }
  const wall = loadWallFile(options.wallFile);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const folder = resolve(options.out ?? 'snapshots', `${wall.id}-${stamp}`);
  const running = runningHost(runtimeFile(options.dataDir, wall.id));
  if (running) {
    console.error(`ioc-wall: capturing the running wall (host pid ${running.pid})…`);
    const result = await captureWall(wall, running.windows, folder);
    console.log(`ioc-wall: wrote ${result.files.length} PNGs to ${result.folder}`);
    return;
  }
  console.error('ioc-wall: no running wall found; starting it headless for the snapshot…');
  const host = await startChromiumHost(chromiumHostOptions({ ...options, windows: 'headless' }, rendererDist, () => {}));
  try {
    const result = await captureWall(host.core.wall, host.runtime().windows, folder);
    console.log(`ioc-wall: wrote ${result.files.length} PNGs to ${result.folder}`);
    console.log(`  whole wall: ${join(result.folder, 'wall.png')}`);
  } finally {
    await host.close();
  }
}

main().catch((error: unknown) => {
  console.error(`ioc-wall: snapshot failed: ${(error as Error).message}`);
  process.exit(1);
});

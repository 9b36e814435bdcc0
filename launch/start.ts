/**
 * `npm start`: Electron when its binary is installed, else the Chromium host, saying so plainly.
 */
import { spawn } from 'node:child_process';
import { findElectronBinary } from '../electron/node/electron-binary.js';
import { projectRoot } from '../electron/node/project-paths.js';
import { runChromiumHost } from './chromium-host.js';

const argv = process.argv.slice(2);
const electron = argv.includes('--chromium') ? null : findElectronBinary();
if (electron) {
  const child = spawn(electron, [projectRoot, ...argv], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 1));
} else {
  console.log(
    argv.includes('--chromium')
      ? 'ioc-wall: --chromium given: using the Chromium host.'
      : 'ioc-wall: Electron is not installed on this machine (it is an optional dependency); falling back to the Chromium host.',
  );
  runChromiumHost(argv.filter((a) => a !== '--chromium')).catch((error: unknown) => {
    console.error(`ioc-wall: ${(error as Error).message}`);
    process.exit(1);
  });
}

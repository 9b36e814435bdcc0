/**
 * `npm start`: Electron when its binary is installed, else the Chromium host, saying so plainly.
 * The Chromium host runs under launch/supervisor.ts (restarted after a crash) unless
 * --no-supervisor asks to run it in this process (a test that kills the host itself, a service
 * manager that restarts it). `--pair` runs a primary/backup pair on this machine instead
 * (launch/pair-demo.ts): two such hosts, wired together.
 */
import { spawn } from 'node:child_process';
import { findElectronBinary } from '../electron/node/electron-binary.js';
import { projectRoot } from '../electron/node/project-paths.js';
import { runChromiumHost } from './chromium-host.js';
import { runPairDemo } from './pair-demo.js';
import { superviseHost } from './supervisor.js';

const argv = process.argv.slice(2);
const unsupervised = argv.includes('--no-supervisor');
const hostArgv = argv.filter((a) => a !== '--chromium' && a !== '--no-supervisor');
const electron = argv.includes('--chromium') ? null : findElectronBinary();
if (argv.includes('--pair')) {
  runPairDemo(argv).catch((error: unknown) => {
    console.error(`ioc-wall: ${(error as Error).message}`);
    process.exit(2);
  });
} else if (electron) {
  const child = spawn(electron, [projectRoot, ...argv], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 1));
} else if (unsupervised) {
  runChromiumHost(hostArgv).catch((error: unknown) => {
    console.error(`ioc-wall: ${(error as Error).message}`);
    process.exit(1);
  });
} else {
  console.log(
    argv.includes('--chromium')
      ? 'ioc-wall: --chromium given: using the Chromium host.'
      : 'ioc-wall: Electron is not installed on this machine (it is an optional dependency); falling back to the Chromium host.',
  );
  // The host is this same entry (source under tsx, or dist/host/start.js) run with --no-supervisor.
  const supervisor = superviseHost({ command: process.execPath, args: [...process.execArgv, process.argv[1]!, '--no-supervisor', ...hostArgv] });
  const stop = () => void supervisor.stop();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  void supervisor.stopped.then(() => process.exit(0));
}

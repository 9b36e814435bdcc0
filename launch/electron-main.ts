/**
 * The Electron shell's entry (bundled to dist/electron-main/main.cjs): the shell with the runtime
 * composed as launch/compose.ts composes it for every host.
 */
import { runElectronShell } from '../electron/electron-main/main.js';
import { electronRuntimeOptions } from './compose.js';

runElectronShell({ runtimeOptions: electronRuntimeOptions });

/**
 * How each host's entry turns its parsed command line into what it starts: the one place where
 * the embedded simulated province is plugged in (electron/ never imports sim/). Whether it runs is
 * decided by the gateways file alone (`simulate: true`). The contract test starts the runtime
 * through these same functions, so what each entry composes is what the tests cover.
 */
import type { ChromiumHostOptions } from '../electron/node/chromium-host/host.js';
import type { HostArgs } from '../electron/node/runtime-options.js';
import type { RuntimeOptions } from '../electron/node/runtime.js';
import { embeddedProvince } from '../sim/embedded.js';
import type { ProvinceHandle } from '../sim/province.js';

function shared(args: HostArgs, log?: (line: string) => void) {
  const { wallFile, presetsDir, indicatorsDir, scenariosDir, gatewaysFile, dataDir, basemapFile, importDirs, pairNode } = args;
  return { wallFile, presetsDir, indicatorsDir, scenariosDir, gatewaysFile, dataDir, basemapFile, importDirs, pairNode, simulator: embeddedProvince, ...(log ? { log } : {}) };
}

/** `npm start` without Electron, `npm run snapshot`, and the tests' host processes. */
export function chromiumHostOptions(args: HostArgs, rendererDir: string, log?: (line: string) => void): ChromiumHostOptions<ProvinceHandle> {
  return { ...shared(args, log), rendererDir, windows: args.windows, listenHost: args.listenHost, port: args.port, hostNames: args.hostNames, tls: args.tls };
}

/** The Electron shell: its windows load app://, so it serves HTTP only when --listen asks for display PCs. */
export function electronRuntimeOptions(args: HostArgs, rendererDir: string, log?: (line: string) => void): RuntimeOptions<ProvinceHandle> {
  return { ...shared(args, log), host: 'electron', serve: args.listenHost ? { listenHost: args.listenHost, port: args.port, rendererDir, hostNames: args.hostNames, tls: args.tls } : null };
}

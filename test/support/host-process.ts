/**
 * Runs the real Chromium host as a child process (so tests can SIGKILL it) and reads its runtime
 * file for the URL, token and window DevTools endpoints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RuntimeInfo } from '../../electron/node/chromium-host/host.js';
import { noGatewaysFile, projectRoot, simulatedGatewaysFile } from './fixtures.js';
import { testScenariosDir } from './test-scenarios.js';

export interface HostProcess {
  proc: ChildProcess;
  /** Its data folder (the wall database holds the accounts tests sign in as). */
  dataDir: string;
  runtime: RuntimeInfo;
  output(): string;
  alive(): boolean;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface SpawnHostOptions {
  dataDir: string;
  windows: 'headless' | 'none';
  wallFile?: string;
  simulate?: boolean;
  gatewaysFile?: string;
  /** Default: the tests' own scenario folder (no schedules on the real clock; test-scenarios.ts). */
  scenariosDir?: string;
  timeoutMs?: number;
  /** More host flags, e.g. ['--listen', '0.0.0.0']. */
  args?: string[];
}

export async function spawnHost(options: SpawnHostOptions): Promise<HostProcess> {
  const gateways = options.gatewaysFile ?? (options.simulate ? simulatedGatewaysFile : noGatewaysFile);
  const scenarios = options.scenariosDir ?? testScenariosDir();
  const args = ['--import', 'tsx', join(projectRoot, 'launch/start.ts'), '--chromium', '--no-supervisor', '--windows', options.windows, '--data-dir', options.dataDir, '--gateways', gateways, '--scenarios', scenarios];
  if (options.wallFile) args.push('--wall', options.wallFile);
  for (const extra of options.args ?? []) args.push(extra);
  const proc = spawn(process.execPath, args, { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (!output.includes('console:')) {
    if (proc.exitCode !== null) throw new Error(`host exited (${proc.exitCode}) before it was ready:\n${output}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`host not ready in time:\n${output}`);
    }
    await sleep(50);
  }
  const wallId = /wall "([^"]+)"/.exec(output)?.[1] ?? 'demo';
  const file = join(options.dataDir, `runtime-${wallId}.json`);
  if (!existsSync(file)) throw new Error(`no runtime file ${file}`);
  const runtime = JSON.parse(readFileSync(file, 'utf8')) as RuntimeInfo;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  // If the test process ends without stopping the host (a failed hook, a timeout), the host must
  // not outlive it: SIGTERM lets it close its Chromium windows on its own.
  const orphanGuard = () => proc.kill('SIGTERM');
  // Nor may it keep the test process alive after a failure.
  proc.unref();
  for (const stream of [proc.stdout, proc.stderr]) (stream as unknown as Socket).unref();
  process.once('exit', orphanGuard);
  void exited.then(() => process.removeListener('exit', orphanGuard));
  return {
    proc,
    dataDir: options.dataDir,
    runtime,
    output: () => output,
    alive: () => proc.exitCode === null && proc.signalCode === null,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill(signal);
      await Promise.race([exited, sleep(15_000)]);
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGKILL');
        await exited;
      }
    },
  };
}

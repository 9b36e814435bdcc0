/**
 * `npm start`'s supervisor with a real host child: an uncaught exception in the host and a SIGKILL
 * each end in a restarted host on the same URL and token, with an alert naming the cause; the
 * Chromium windows the dead host left are kept and reconnect; SIGTERM to the supervisor stops
 * everything and restarts nothing.
 */
import { accountFor, connectConsole } from '../support/accounts.js';
import { connectNodeClient } from '../support/ws-client.js';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RuntimeInfo } from '../../electron/node/chromium-host/host.js';
import { noGatewaysFile, projectRoot, tempDir } from '../support/fixtures.js';
import { processAlive } from '../../electron/node/chromium-host/chromium.js';

async function until<T>(value: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await value();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}


interface Supervised {
  proc: ChildProcess;
  output(): string;
  /** The runtime file of the host now up, once its pid differs from `notPid`. */
  nextHost(notPid?: number): Promise<RuntimeInfo>;
}

function startSupervisor(dataDir: string, extraArgs: string[], env: NodeJS.ProcessEnv = {}): Supervised {
  const args = ['--import', 'tsx', join(projectRoot, 'launch/start.ts'), '--chromium', '--data-dir', dataDir, '--gateways', noGatewaysFile, ...extraArgs];
  const proc = spawn(process.execPath, args, { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  proc.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const file = join(dataDir, 'runtime-demo.json');
  return {
    proc,
    output: () => output,
    nextHost: (notPid) =>
      until(() => {
        if (proc.exitCode !== null) throw new Error(`supervisor exited (${proc.exitCode}):\n${output}`);
        if (!existsSync(file)) return undefined;
        try {
          const info = JSON.parse(readFileSync(file, 'utf8')) as RuntimeInfo;
          return info.pid !== notPid && processAlive(info.pid) ? info : undefined;
        } catch {
          return undefined; // being written
        }
      }, 'a host to be up'),
  };
}

async function alertsOf(info: RuntimeInfo, dataDir: string) {
  const { client, transport } = await connectConsole(info, dataDir, 'viewer');
  const { alerts } = await client.call('alerts.list', {});
  // a second connection presenting the session (as a reloaded console) answers the current status in its hello
  const again = await connectNodeClient(info.baseUrl);
  const status = (await again.client.call('session.hello', { window: 'console', credential: { kind: 'session', token: (await accountFor(dataDir, 'viewer')).token! } })).status;
  again.transport.close();
  transport.close();
  return { alerts, status };
}

const restartAlerts = (alerts: { source: string; title: { vi: string; en: string } }[]) =>
  alerts.filter((a) => a.source === 'host' && a.title.vi.startsWith('Máy chủ tường đã khởi động lại sau sự cố: '));

async function stopped(supervisor: Supervised, signal: NodeJS.Signals): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => supervisor.proc.once('exit', (code) => resolve(code)));
  supervisor.proc.kill(signal);
  return Promise.race([exited, sleep(40_000).then(() => -1)]);
}

describe('the supervisor', () => {
  const running: Supervised[] = [];
  after(() => running.forEach((s) => s.proc.exitCode === null && s.proc.kill('SIGTERM')));

  it('restarts a crashed or killed host with the cause in an alert, and stops cleanly on SIGTERM', { timeout: 180_000 }, async () => {
    const dataDir = tempDir('ioc-wall-supervisor-');
    const marker = join(dataDir, 'crashed-once');
    const preload = pathToFileURL(join(projectRoot, 'test/support/crash-after-ready.mjs')).href;
    const supervisor = startSupervisor(dataDir, ['--windows', 'none'], { NODE_OPTIONS: `--import ${preload}`, IOC_WALL_TEST_CRASH_MARKER: marker });
    running.push(supervisor);

    const first = await supervisor.nextHost();
    await until(() => existsSync(marker) || undefined, 'the injected crash');
    const second = await supervisor.nextHost(first.pid);
    assert.equal(second.baseUrl, first.baseUrl, 'the restarted host serves the same address');
    const afterCrash = restartAlerts((await alertsOf(second, dataDir)).alerts);
    assert.equal(afterCrash.length, 1, supervisor.output());
    assert.match(afterCrash[0]!.title.en, /^The wall host restarted after a crash: exit code 70: .*injected crash for the supervisor test/);
    assert.match(supervisor.output(), /host crashed \(uncaught exception\): Error: injected crash/);

    process.kill(second.pid, 'SIGKILL');
    const third = await supervisor.nextHost(second.pid);
    const { alerts } = await alertsOf(third, dataDir);
    assert.equal(restartAlerts(alerts).length, 2);
    assert.ok(restartAlerts(alerts).some((a) => a.title.vi.includes('signal SIGKILL')), 'the second restart names the signal');
    assert.ok(!alerts.some((a) => a.title.en.startsWith('Host restarted after an abnormal stop')), 'one alert per restart, not two');

    assert.equal(await stopped(supervisor, 'SIGTERM'), 0, 'SIGTERM ends the supervisor with 0');
    assert.ok(!processAlive(third.pid), 'and its host');
    // a sleep, not a wait: no host starting is nothing happening; one started in the supervisor's
    // last moment would have written its runtime file by then
    await sleep(1500);
    assert.ok(!existsSync(join(dataDir, 'runtime-demo.json')), 'no host was started again');
  });

  it('keeps the Chromium windows of a killed host, which reconnect to the next one', { timeout: 240_000 }, async () => {
    const dataDir = tempDir('ioc-wall-supervisor-windows-');
    const wallFile = join(dataDir, 'wall.yaml');
    const demo = readFileSync(join(projectRoot, 'layouts/walls/demo.yaml'), 'utf8');
    // One display (and the console): two headless windows are enough, and cheap.
    writeFileSync(
      wallFile,
      demo
        .replace(/^rows: 2$/m, 'rows: 1')
        .replace(/^columns: 2$/m, 'columns: 1')
        .replace(/^slots:[\s\S]*?(?=^startPreset)/m, 'slots:\n  - { row: 0, column: 0, match: { by: position, x: 0, y: 0 } }\n')
        .replace(/^startPreset: .*$/m, ''),
    );
    const supervisor = startSupervisor(dataDir, ['--windows', 'headless', '--wall', wallFile]);
    running.push(supervisor);
    const first = await supervisor.nextHost();
    const display = first.windows.find((w) => w.windowId !== 'console')!;
    await until(async () => ((await alertsOf(first, dataDir)).status.windows.find((w) => w.windowId === display.windowId)?.connected ? true : undefined), 'the display window to connect');
    const pids = first.windows.map((w) => w.pid);
    assert.ok(pids.every((pid) => typeof pid === 'number' && processAlive(pid)));

    process.kill(first.pid, 'SIGKILL');
    const second = await supervisor.nextHost(first.pid);
    assert.deepEqual(second.windows.map((w) => w.pid), pids, 'the same Chromium processes, not new ones');
    await until(async () => ((await alertsOf(second, dataDir)).status.windows.find((w) => w.windowId === display.windowId)?.connected ? true : undefined), 'the kept display window to reconnect');

    assert.equal(await stopped(supervisor, 'SIGTERM'), 0);
    await until(() => (pids.every((pid) => !processAlive(pid!)) ? true : undefined), 'the windows to close with the host', 20_000);
  });
});

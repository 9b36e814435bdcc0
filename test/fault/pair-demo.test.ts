/**
 * `npm start -- --pair` as a newcomer runs it (launch/start.ts, real processes): both nodes come
 * up in their own data folders, one active and one passive at the same revision, wired by a wall
 * file that holds each folder's public key and no secret one. Killing the active host (SIGKILL, as
 * the printed instructions say) lets the backup take over on a client's vote, and the supervisor
 * brings the killed one back as the standby. SIGTERM to the launcher stops every process it started.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { processTree } from '../support/processes.js';
import { projectRoot, tempDir } from '../support/fixtures.js';
import { statusUntil, voteUntilActive, type PairEndpoint } from '../support/pair-hosts.js';
import { testScenariosDir } from '../support/test-scenarios.js';

const dataDir = tempDir('ioc-wall-pair-demo-');
const launcher = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'launch/start.ts'), '--pair', '--windows', 'none', '--data-dir', dataDir, '--scenarios', testScenariosDir()], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
let output = '';
launcher.stdout.on('data', (d: Buffer) => (output += d.toString()));
launcher.stderr.on('data', (d: Buffer) => (output += d.toString()));
const exited = new Promise<number | null>((resolve) => launcher.once('exit', (code) => resolve(code)));
after(() => {
  // whatever a failed test left: every process the launcher started (their command lines name the data folder)
  for (const pid of processTree(dataDir)) process.kill(pid, 'SIGKILL');
  launcher.kill('SIGKILL');
});

async function until<T>(what: string, timeoutMs: number, probe: () => T | undefined | false, launcherRuns = true): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (launcherRuns && launcher.exitCode !== null) throw new Error(`the launcher exited (${launcher.exitCode}) while waiting for ${what}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${output}`);
    await sleep(100);
  }
}

const runtimeOf = (id: string) => JSON.parse(readFileSync(join(dataDir, 'pair', id, 'runtime-demo.json'), 'utf8')) as { pid: number; baseUrl: string };
const keysOf = (id: string) => JSON.parse(readFileSync(join(dataDir, 'pair', id, 'keys', 'host-curve.json'), 'utf8')) as { publicKey: string; secretKey: string };

describe('npm start -- --pair (real processes)', () => {
  it('brings up a wired pair, survives a kill of the active host, and stops everything on SIGTERM', { timeout: 400_000 }, async () => {
    await until('both nodes up', 240_000, () => output.includes('both nodes are up'));
    const primary: PairEndpoint = { id: 'ioc-a', address: runtimeOf('ioc-a').baseUrl };
    const backup: PairEndpoint = { id: 'ioc-b', address: runtimeOf('ioc-b').baseUrl };
    const active = await statusUntil(primary, (s) => s.pair?.state === 'active' && s.revision > 0, 'the primary active with the start preset up');
    await statusUntil(backup, (s) => s.pair?.state === 'passive' && s.revision === active.revision, 'the backup passive at the same revision');

    // the wall file names each node by its own folder's public key; no secret key is in it
    const wallText = readFileSync(join(dataDir, 'pair', 'demo-pair.yaml'), 'utf8');
    for (const id of ['ioc-a', 'ioc-b']) {
      const keys = keysOf(id);
      assert.ok(wallText.includes(keys.publicKey), `${id}'s public key is in the wall file`);
      assert.ok(!wallText.includes(keys.secretKey), `${id}'s secret key is not`);
    }

    // the printed way to try a failover: kill -9 the active host
    const killed = runtimeOf('ioc-a').pid;
    process.kill(killed, 'SIGKILL');
    const taken = await voteUntilActive(backup, 'ioc-a', 60_000);
    assert.equal(taken.revision, active.revision, 'the backup took the wall at the revision it had');
    // its supervisor starts it again: it finds the backup active and stands by
    await statusUntil(primary, (s) => s.pair?.state === 'passive', 'the killed primary back as the standby', 120_000);
    assert.notEqual(runtimeOf('ioc-a').pid, killed, 'a new host process');
    assert.equal((await statusUntil(backup, (s) => s.pair !== null, 'the backup answering')).pair?.state, 'active');

    launcher.kill('SIGTERM');
    assert.equal(await exited, 0, output.slice(-2000));
    await until('every process of the pair gone', 30_000, () => processTree(dataDir).length === 0, false);
  });
});

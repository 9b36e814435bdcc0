/**
 * Hot standby with real processes and real sockets: two hosts of one wall (launch/start.ts --node),
 * their CURVE peer link, a console changing the wall on the active node.
 * - SIGKILL the active: the backup takes over after a client's vote, at the same revision, and a
 *   retried request gets the answer the dead node gave.
 * - SIGSTOP the primary 10 s, then SIGCONT: it finds the backup active, goes passive, and raises the
 *   two-actives alarm; the two are never both active for more than a moment.
 * - Cut only the peer link (both alive, clients reach both): nothing moves.
 * - Kill the backup: the primary carries on, with a "standby lost" alert.
 * - A siren confirmed on the active node, its gateway still acting on it when the node is
 *   SIGKILLed: the standby holds it too, and the gateway (connected to both) acts once.
 * - SIGKILL the active during a flood run with steps done and confirmed, accounts made and one
 *   disabled there only: the new active node shows the run with its procedure state and lets the
 *   commander carry on, admits the console session signed in on the dead node, refuses the
 *   disabled account, and holds the dead node's audit chain as it was.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ContractClient } from '../../native-bridge/channel.js';
import { connectConsole, createAccount, helloAsConsole, wallDatabaseIn, type TestAccount } from '../support/accounts.js';
import { connectNodeClient } from '../support/ws-client.js';
import { openDatabase } from '../../electron/node/database.js';
import { loadStorageKey } from '../../electron/node/storage-key.js';
import type { HostProcess } from '../support/host-process.js';
import { testPair } from '../support/pair.js';
import { startPairHosts, statusOf, statusUntil, voteUntilActive } from '../support/pair-hosts.js';
import { tcpRelay, type TcpRelay } from '../support/tcp-relay.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as zmq from 'zeromq';
import { SimGateway } from '../../sim/gateway.js';
import { tempDir } from '../support/fixtures.js';

const PRESETS = ['overview', 'briefing', 'cameras', 'field', 'map'];

const running: HostProcess[] = [];
const relays: TcpRelay[] = [];
const gateways: SimGateway[] = [];
after(async () => {
  for (const gateway of gateways) await gateway.stop();
  for (const host of running) {
    if (host.proc.signalCode === null && host.proc.exitCode === null) host.proc.kill('SIGCONT');
    await host.stop('SIGKILL');
  }
  for (const relay of relays) await relay.close();
});

/** Both nodes up, the primary active and the backup standing by at its revision. */
async function startedPair(options: { relayed?: boolean; gatewaysFile?: string } = {}) {
  const pair = await testPair(options);
  if (options.relayed) {
    for (const node of [pair.primary, pair.backup]) relays.push(await tcpRelay(node.peerLinkPort, node.peerBindPort));
  }
  const { primary, backup } = await startPairHosts(pair, options.gatewaysFile);
  running.push(primary, backup);
  return { pair, primary, backup };
}

/** Wall changes with request ids on the active node; answers the last acknowledged revision. */
async function changeWall(client: ContractClient, count: number, prefix: string): Promise<{ revision: number; requestId: string; index: number }> {
  let last = { revision: 0, requestId: '', index: 0 };
  for (let i = 0; i < count; i++) {
    const requestId = `${prefix}-${i}-${Date.now()}`;
    const { revision } = await client.call('wall.execute', { command: { type: 'apply-preset', name: PRESETS[i % PRESETS.length]! }, requestId });
    last = { revision, requestId, index: i };
  }
  return last;
}

const pairAlerts = async (host: HostProcess, dataDir: string) => {
  const { client, transport } = await connectConsole(host.runtime, dataDir, 'viewer');
  const { alerts } = await client.call('alerts.list', {});
  transport.close();
  return alerts.filter((a) => a.source === 'pair');
};

describe('pair failover (real processes)', () => {
  it('SIGKILL the active: the backup takes over after a client vote, at the same revision', async () => {
    const { pair, primary, backup } = await startedPair();
    const operator = await connectConsole(primary.runtime, pair.primary.dataDir, 'operator');
    const last = await changeWall(operator.client, 12, 'kill');
    operator.transport.close();
    await statusUntil(pair.backup, (s) => s.revision === last.revision, `the backup at revision ${last.revision}`);
    await primary.stop('SIGKILL');
    // nothing moves by itself: a dead peer alone may be a cut link
    await sleep(3000);
    assert.equal((await statusOf(pair.backup))?.pair?.state, 'passive');
    const taken = await voteUntilActive(pair.backup, pair.primary.id);
    assert.equal(taken.role, 'primary');
    assert.equal(taken.revision, last.revision, 'the same revision as the dead node acknowledged');
    // a console that got no answer retries on the new active node: the same answer, nothing applied twice
    const retry = await connectConsole(backup.runtime, pair.backup.dataDir, 'operator');
    const again = await retry.client.call('wall.execute', { command: { type: 'apply-preset', name: PRESETS[last.index % PRESETS.length]! }, requestId: last.requestId });
    assert.equal(again.revision, last.revision);
    const next = await retry.client.call('wall.execute', { command: { type: 'apply-preset', name: 'overview' } });
    assert.equal(next.revision, last.revision + 1);
    retry.transport.close();
    // the new active node misses its standby once the dead one has been silent past the dead time
    const deadline = Date.now() + 15_000;
    let alerts = await pairAlerts(backup, pair.backup.dataDir);
    while (!alerts.some((a) => a.title.vi.startsWith('Mất máy dự phòng') && a.resolvedAt === null) && Date.now() < deadline) {
      await sleep(250);
      alerts = await pairAlerts(backup, pair.backup.dataDir);
    }
    assert.ok(alerts.some((a) => a.title.vi.startsWith('Mất máy dự phòng') && a.resolvedAt === null), JSON.stringify(alerts));
  });

  it('SIGSTOP the primary 10 s, then SIGCONT: it finds the backup active, goes passive, the alarm is raised', async () => {
    const { pair, primary, backup } = await startedPair();
    const stoppedAt = Date.now();
    primary.proc.kill('SIGSTOP');
    await voteUntilActive(pair.backup, pair.primary.id);
    await sleep(Math.max(0, stoppedAt + 10_000 - Date.now()));
    primary.proc.kill('SIGCONT');
    const resumedAt = Date.now();
    // sample both until the primary says passive: count the samples in which both say active
    let bothActive = 0;
    let samples = 0;
    for (;;) {
      const [a, b] = await Promise.all([statusOf(pair.primary), statusOf(pair.backup)]);
      samples++;
      if (a?.pair?.state === 'active' && b?.pair?.state === 'active') bothActive++;
      if (a?.pair?.state === 'passive') break;
      if (Date.now() - resumedAt > 20_000) assert.fail(`the primary did not go passive: ${JSON.stringify(a?.pair)}`);
    }
    assert.ok(Date.now() - resumedAt < 10_000, 'the primary went passive within a few heartbeats');
    assert.ok(bothActive <= 1, `both active in ${bothActive} of ${samples} samples`);
    const backupStatus = await statusOf(pair.backup);
    assert.equal(backupStatus?.pair?.state, 'active');
    // and it stays that way
    await sleep(3000);
    assert.equal((await statusOf(pair.primary))?.pair?.state, 'passive');
    assert.equal((await statusOf(pair.backup))?.pair?.state, 'active');
    const alerts = await pairAlerts(primary, pair.primary.dataDir);
    assert.ok(alerts.some((a) => a.severity === 'critical' && a.title.vi.startsWith('Hai máy chủ cùng điều khiển tường')), JSON.stringify(alerts));
    assert.ok(backup.alive());
  });

  it('cut only the peer link: both alive, nobody votes, no takeover; mended, the standby catches up', async () => {
    const { pair, primary, backup } = await startedPair({ relayed: true });
    for (const relay of relays) await relay.cut();
    await statusUntil(pair.backup, (s) => (s.pair?.peer.heartbeatAgeMs ?? 0) > 3000, 'the backup no longer hearing the primary');
    await sleep(2000);
    assert.equal((await statusOf(pair.primary))?.pair?.state, 'active');
    assert.equal((await statusOf(pair.backup))?.pair?.state, 'passive');
    // the active still serves its clients; the standby still refuses, naming the active it last knew
    const standbyOperator = await connectConsole(backup.runtime, pair.backup.dataDir, 'operator');
    await assert.rejects(standbyOperator.client.call('wall.execute', { command: { type: 'apply-preset', name: 'overview' } }), (error: Error & { code?: string }) => error.code === 'standby' && error.message.includes(pair.primary.address));
    standbyOperator.transport.close();
    const operator = await connectConsole(primary.runtime, pair.primary.dataDir, 'operator');
    const last = await changeWall(operator.client, 3, 'cut');
    operator.transport.close();
    for (const relay of relays) await relay.mend();
    await statusUntil(pair.backup, (s) => s.revision === last.revision && s.pair?.replicationLagRevisions === 0, 'the backup caught up after the link came back');
    assert.equal((await statusOf(pair.primary))?.pair?.state, 'active');
  });

  it('kill the backup: the primary carries on, with a "standby lost" alert', async () => {
    const { pair, primary, backup } = await startedPair();
    await backup.stop('SIGKILL');
    await statusUntil(pair.primary, (s) => (s.pair?.peer.heartbeatAgeMs ?? 0) > 2500, 'the primary noticing');
    const operator = await connectConsole(primary.runtime, pair.primary.dataDir, 'operator');
    const last = await changeWall(operator.client, 2, 'alone');
    operator.transport.close();
    assert.ok(last.revision > 0);
    const status = await statusOf(pair.primary);
    assert.equal(status?.pair?.state, 'active');
    assert.equal(status?.role, 'primary');
    const alerts = await pairAlerts(primary, pair.primary.dataDir);
    assert.ok(alerts.some((a) => a.title.vi.startsWith('Mất máy dự phòng') && a.resolvedAt === null), JSON.stringify(alerts));
  });

  it('a siren confirmed before the active dies is delivered exactly once: the standby holds it, the gateway acts once', async () => {
    const keyPair = zmq.curveKeyPair();
    const gatewaysFile = join(tempDir(), 'gateways.yaml');
    writeFileSync(gatewaysFile, [`bind: { updates: 'tcp://127.0.0.1:*', control: 'tcp://127.0.0.1:*' }`, 'simulate: false', 'gateways:', `  - { id: gw-test, name: Cổng thử nghiệm, publicKey: '${keyPair.publicKey}' }`, ''].join('\n'));
    const { pair, primary, backup } = await startedPair({ gatewaysFile });
    const effects = new Map<string, number>();
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const gateway = new SimGateway({
      id: 'gw-test',
      name: 'Cổng thử nghiệm',
      endpoints: primary.runtime.gateways,
      hostPublicKey: primary.runtime.gateways.hostPublicKey,
      extraHosts: [{ endpoints: backup.runtime.gateways, hostPublicKey: backup.runtime.gateways.hostPublicKey }],
      keyPair,
      onCommand: async (command) => {
        effects.set(command.id, (effects.get(command.id) ?? 0) + 1);
        await held; // the siren sounds; its ACK waits until the active node is dead
        return { status: 'done' };
      },
    });
    gateways.push(gateway);
    await gateway.start();
    const commander = await connectConsole(primary.runtime, pair.primary.dataDir);
    await statusUntil(pair.primary, (s) => s.links.some((l) => l.id === 'gw-test' && l.state === 'up'), 'the gateway live on the primary');
    const { id } = await commander.client.call('field.command', { gateway: 'gw-test', type: 'siren', target: 'siren-bien-hoa-1', params: { minutes: 5 } });
    commander.transport.close();
    // the standby took the pending command into its own outbox (its audit chain records it)
    const administrator = await connectConsole(backup.runtime, pair.backup.dataDir, 'administrator');
    const deadline = Date.now() + 30_000;
    while (!(await administrator.client.call('audit.list', { limit: 50 })).entries.some((e) => e.action === 'field.command' && JSON.stringify(e).includes(id))) {
      if (Date.now() > deadline) assert.fail('the standby never took the command');
      await sleep(100);
    }
    administrator.transport.close();
    assert.equal(effects.get(id), 1);
    await primary.stop('SIGKILL');
    release();
    await voteUntilActive(pair.backup, pair.primary.id);
    const viewer = await connectConsole(backup.runtime, pair.backup.dataDir, 'viewer');
    const acked = Date.now() + 30_000;
    while (!(await viewer.client.call('alerts.list', {})).alerts.some((a) => a.source === 'field:gw-test' && a.title.vi === 'Lệnh hú còi tới siren-bien-hoa-1: đã thực hiện')) {
      if (Date.now() > acked) assert.fail('the new active node never heard the acknowledgement');
      await sleep(100);
    }
    viewer.transport.close();
    assert.equal(effects.get(id), 1, 'the gateway acted exactly once');
    assert.equal(effects.size, 1);
  });

  it('SIGKILL the active during a flood run: the new active node carries the run on, admits the session, refuses the disabled account, holds the dead node\'s audit chain', async () => {
    const { pair, primary } = await startedPair();
    // every account is made on the active node only: the standby gets them over the peer link
    const [first, second, leaving, administrator] = [
      await createAccount(pair.primary.dataDir, 'commander'),
      await createAccount(pair.primary.dataDir, 'commander', { fullName: 'Võ Thị Hạnh' }),
      await createAccount(pair.primary.dataDir, 'operator', { fullName: 'Đặng Văn Rời' }),
      await createAccount(pair.primary.dataDir, 'administrator'),
    ];
    const on = async (node: { address: string }, account: TestAccount) => {
      const connection = await connectNodeClient(node.address);
      const hello = await helloAsConsole(connection.client, account);
      return { ...connection, hello };
    };
    const commander = await on(pair.primary, first);
    const { run } = await commander.client.call('scenarios.activate', { scenario: 'flood' });
    await commander.client.call('scenarios.step', { runId: run.runId, stepId: 'verify', done: true });
    await commander.client.call('scenarios.step', { runId: run.runId, stepId: 'sound-siren', done: true });
    const confirmer = await on(pair.primary, second);
    await confirmer.client.call('scenarios.confirm', { runId: run.runId, stepId: 'sound-siren' });
    await commander.client.call('scenarios.handover', { runId: run.runId, to: second.id });
    confirmer.transport.close();
    commander.transport.close();
    // an account with a live session, disabled on the active node
    (await on(pair.primary, leaving)).transport.close();
    const admin = await on(pair.primary, administrator);
    await admin.client.call('accounts.disable', { id: leaving.id, disabled: true });
    admin.transport.close();

    // the standby's wall database holds the run's last line, the disabled account and the audit entry of the disabling
    const backupDb = openDatabase(wallDatabaseIn(pair.backup.dataDir), loadStorageKey(pair.backup.dataDir));
    try {
      const deadline = Date.now() + 30_000;
      const copied = () =>
        backupDb.prepare("SELECT COUNT(*) FROM scenario_run_log WHERE run_id = ? AND kind = 'handed-over' AND origin = ?").pluck().get(run.runId, pair.primary.id) === 1 &&
        backupDb.prepare('SELECT disabled FROM accounts WHERE id = ?').pluck().get(leaving.id) === 1 &&
        backupDb.prepare("SELECT COUNT(*) FROM peer_audit_log WHERE origin = ? AND action = 'account.disabled' AND target = ?").pluck().get(pair.primary.id, leaving.id) === 1;
      while (!copied()) {
        if (Date.now() > deadline) assert.fail('the standby never held the run, the account and the audit entry');
        await sleep(200);
      }
      await primary.stop('SIGKILL');
      await voteUntilActive(pair.backup, pair.primary.id);

      // the commander's console, signed in on the dead node, presents its session to the new active node
      const again = await connectNodeClient(pair.backup.address);
      const resumed = await again.client.call('session.hello', { window: 'console', credential: { kind: 'session', token: first.token! } });
      assert.equal(resumed.actor?.id, first.id, 'the session signed in on the dead node is admitted');
      const taken = Date.now() + 15_000;
      let shown = (await again.client.call('scenarios.runs', {})).runs.find((r) => r.runId === run.runId);
      while (!shown) {
        if (Date.now() > taken) assert.fail('the new active node never took the run up');
        await sleep(200);
        shown = (await again.client.call('scenarios.runs', {})).runs.find((r) => r.runId === run.runId);
      }
      const stepOf = (r: typeof run, id: string) => r.steps.find((s) => s.stepId === id)!;
      assert.equal(shown.state, 'active');
      assert.equal(stepOf(shown, 'verify').doneBy, first.id);
      assert.equal(stepOf(shown, 'sound-siren').state, 'done');
      assert.equal(stepOf(shown, 'sound-siren').confirmedBy, second.id);
      assert.equal(shown.handedTo, second.id, 'who is in charge came too');
      // and carries on there: the next step, done on the new active node
      const { run: carried } = await again.client.call('scenarios.step', { runId: run.runId, stepId: 'report-commander', done: true });
      assert.equal(stepOf(carried, 'report-commander').state, 'done');
      const { entries } = await again.client.call('scenarios.log', { runId: run.runId });
      assert.deepEqual(
        entries.filter((e) => e.kind.startsWith('step-') || e.kind === 'activated' || e.kind === 'handed-over').map((e) => `${e.kind}:${e.stepId ?? ''}`),
        ['activated:', 'step-done:verify', 'step-done:sound-siren', 'step-confirmed:sound-siren', 'handed-over:', 'step-done:report-commander'],
      );
      again.transport.close();

      // the account disabled before the kill: neither its session nor a sign-in
      const refused = await connectNodeClient(pair.backup.address);
      assert.equal((await refused.client.call('session.hello', { window: 'console', credential: { kind: 'session', token: leaving.token! } })).actor, null);
      await assert.rejects(refused.client.call('auth.signIn', { username: leaving.username, password: leaving.password }), (error: Error & { code?: string }) => error.code === 'forbidden');
      refused.transport.close();

      // the dead node's audit chain, as far as it reached the standby, is there entry for entry
      const deadDb = openDatabase(wallDatabaseIn(pair.primary.dataDir), loadStorageKey(pair.primary.dataDir));
      try {
        const copy = backupDb.prepare('SELECT seq, hash FROM peer_audit_log WHERE origin = ? ORDER BY seq').all(pair.primary.id) as { seq: number; hash: string }[];
        const own = deadDb.prepare('SELECT seq, hash FROM audit_log WHERE seq <= ? ORDER BY seq').all(copy.at(-1)!.seq);
        assert.deepEqual(copy, own);
        const actions = new Set(deadDb.prepare('SELECT action FROM audit_log WHERE seq <= ?').pluck().all(copy.at(-1)!.seq) as string[]);
        for (const action of ['scenario.activated', 'scenario.step-confirmed', 'account.disabled']) assert.ok(actions.has(action), `${action} in the copied chain`);
      } finally {
        deadDb.close();
      }
    } finally {
      backupDb.close();
    }
  });
});

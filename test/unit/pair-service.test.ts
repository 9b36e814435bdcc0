/**
 * Two cores of one wall, each with its pair service over a real CURVE peer link (in one process):
 * the primary drives the wall, the backup replicates its journal through its own controller and
 * refuses changes with 'standby'; a vote after the primary stops moves the wall, with the same
 * revision and the same answer to a retried request; switchover and failback hand it over cleanly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Actor } from '../../native-bridge/contract.js';
import { startCore, type Core } from '../../electron/node/core.js';
import type { PairService } from '../../electron/node/pair/pair-service.js';
import { startPair } from '../../electron/node/pair/start-pair.js';
import { demoPresetsDir } from '../support/fixtures.js';
import { connectInMemory, consoleSignIn, rejectsWith } from '../support/harness.js';
import { until } from '../support/page-wait.js';
import { testPair, type TestPair, type TestPairNode } from '../support/pair.js';

const system: Actor = { id: 'system', role: 'system' };
const technician: Actor = { id: 'tech', role: 'technician' };
const PRESETS = ['overview', 'briefing', 'cameras', 'field', 'map'];
/** A wall change that always applies: the next preset. */
const preset = (i: number) => ({ type: 'apply-preset', name: PRESETS[i % PRESETS.length]! }) as const;

interface Node {
  core: Core;
  pair: PairService;
  close(): Promise<void>;
}

async function startNode(wallFile: string, node: TestPairNode): Promise<Node> {
  const core = await startCore({ wallFile, presetsDir: demoPresetsDir, dataDir: node.dataDir, host: 'chromium', nodeId: node.id });
  const pair = (await startPair(core, { pairNode: node.id, dataDir: node.dataDir, log: () => {} }))!;
  core.attachPair(pair);
  return {
    core,
    pair,
    async close() {
      core.attachPair(null);
      await pair.close();
      await core.close();
    },
  };
}

describe('pair service (two cores, one process)', () => {
  let wall: TestPair;
  let primary: Node;
  let backup: Node;
  const closing: Node[] = [];

  before(async () => {
    wall = await testPair();
    primary = await startNode(wall.wallFile, wall.primary);
    backup = await startNode(wall.wallFile, wall.backup);
    closing.push(primary, backup);
  });
  after(async () => {
    for (const node of closing) await node.close().catch(() => {});
  });

  it('the primary becomes active on hearing the backup, which stands by with the same revision', async () => {
    await until(() => primary.pair.serving() && backup.pair.status().state === 'passive', 'primary active, backup passive', 20_000);
    assert.equal(primary.core.status().role, 'primary');
    assert.equal(backup.core.status().role, 'standby');
    // the start preset went up on the primary when it became active, and reached the backup
    await until(() => backup.core.controller.currentRevision === primary.core.controller.currentRevision && primary.core.controller.currentRevision > 0, 'the start preset replicated');
    assert.deepEqual(backup.core.controller.current, primary.core.controller.current);
  });

  it('commands on the active node reach the standby in order, request ids included', async () => {
    for (let i = 0; i < 20; i++) primary.core.controller.execute(preset(i), system, `request-${i}-abcdef`);
    const target = primary.core.controller.currentRevision;
    await until(() => backup.core.controller.currentRevision === target, `the standby at revision ${target}`);
    assert.deepEqual(backup.core.controller.current, primary.core.controller.current);
    assert.deepEqual(backup.core.controller.journal(0, 1000), primary.core.controller.journal(0, 1000));
    await until(() => backup.pair.status().replicationLagRevisions === 0 && primary.pair.status().replicationLagRevisions === 0, 'lag 0 on both');
  });

  it('the standby refuses what changes the wall with standby, naming the active address, and serves reads', async () => {
    const operator = await consoleSignIn(wall.backup.dataDir, async () => connectInMemory(backup.core))('operator');
    await rejectsWith(operator.client.call('wall.execute', { command: { type: 'remove-tile', id: 'x' } }), 'standby');
    await operator.client.call('wall.execute', { command: { type: 'remove-tile', id: 'x' } }).catch((error: Error) => assert.match(error.message, new RegExp(wall.primary.address.replace(/[.:/]/g, '\\$&'))));
    assert.equal((await operator.client.call('wall.resync', { sinceRevision: 0 })).revision, backup.core.controller.currentRevision);
    assert.throws(() => backup.core.controller.execute({ type: 'remove-tile', id: 'x' }, system), /standby/);
    operator.transport.close();
  });

  it('the active node\'s alerts and their acknowledgements reach the standby, its pair alerts do not', async () => {
    const raised = primary.core.alerts.raise('warning', 'gateway', { vi: 'Cảnh báo thử nghiệm', en: 'A test alert' });
    await until(() => backup.core.alerts.list().some((a) => a.id === raised.id), 'the alert on the standby');
    primary.core.alerts.acknowledge(raised.id, { id: 'op', role: 'operator', name: 'Nguyễn Văn An' });
    await until(() => backup.core.alerts.list().find((a) => a.id === raised.id)?.ackedBy === 'Nguyễn Văn An', 'the acknowledgement on the standby');
    const pairAlertIds = new Set(primary.core.alerts.list().filter((a) => a.source === 'pair').map((a) => a.id));
    assert.ok(!backup.core.alerts.list().some((a) => pairAlertIds.has(a.id)));
  });

  it('a display enrolled on the active node is admitted by the standby; revoked there, it is refused here too', async () => {
    const credential = primary.core.displays.issue('r0c1', 'Màn hình 2', 'system');
    await until(() => backup.core.displays.verify(credential) !== null, 'the enrolment on the standby');
    const display = connectInMemory(backup.core);
    assert.equal((await display.client.call('session.hello', { window: 'r0c1', credential: { kind: 'display', token: credential } })).windowId, 'r0c1');
    display.transport.close();
    primary.core.displays.revoke('r0c1', technician);
    await until(() => backup.core.displays.verify(credential) === null, 'the revocation on the standby');
  });

  it('a vote while the active is alive changes nothing', async () => {
    const status = backup.pair.activeLost(wall.primary.id);
    assert.equal(status.state, 'passive');
    assert.equal(backup.pair.serving(), false);
  });

  it('switchover hands the wall to the backup, failback brings it back, each audited', async () => {
    await primary.pair.switchover(technician, 'bảo trì máy chính');
    await until(() => backup.pair.serving() && primary.pair.status().state === 'passive', 'backup active after switchover');
    const moved = backup.core.controller.execute(preset(1), system);
    await until(() => primary.core.controller.currentRevision === moved.revision, 'the primary follows the backup now');
    await rejectsWith(primary.pair.failback(technician, 'xong bảo trì'), 'standby');
    await backup.pair.failback(technician, 'xong bảo trì');
    await until(() => primary.pair.serving() && backup.pair.status().state === 'passive', 'primary active after failback');
    await rejectsWith(primary.pair.failback(technician, 'lần nữa'), 'conflict');
    const actions = primary.core.audit.list({ limit: 50 }).entries.map((e) => e.action);
    assert.ok(actions.includes('pair.switchover'), actions.join(','));
    const backupActions = backup.core.audit.list({ limit: 50 }).entries.map((e) => e.action);
    assert.ok(backupActions.includes('pair.failback'), backupActions.join(','));
  });

  it('the active stops: the standby takes over on a vote once the peer is dead, same revision, same answer to a retried request', async () => {
    const last = primary.core.controller.execute(preset(2), system, 'before-the-stop-1');
    await until(() => backup.core.controller.currentRevision === last.revision, 'replicated before the stop');
    await primary.close();
    closing.splice(closing.indexOf(primary), 1);
    assert.equal(backup.pair.activeLost(wall.primary.id).state, 'passive', 'heard less than 2 s ago');
    await until(() => backup.pair.status().peer.heartbeatAgeMs! > 2000, 'the peer dead', 10_000);
    assert.equal(backup.pair.serving(), false, 'no takeover without a vote');
    assert.equal(backup.pair.activeLost(wall.primary.id).state, 'active');
    assert.equal(backup.core.controller.currentRevision, last.revision);
    const again = backup.core.controller.execute(preset(2), system, 'before-the-stop-1');
    assert.equal(again.revision, last.revision);
    assert.equal(again.acceptedAt, last.acceptedAt);
    await until(() => backup.core.alerts.list().some((a) => a.source === 'pair' && a.title.vi.startsWith('Mất máy dự phòng') && a.resolvedAt === null), 'the standby-lost alert', 10_000);
  });
});

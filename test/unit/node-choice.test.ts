/**
 * The window's side of Binary Star (renderer/session/node-choice.ts, pure): which node it talks
 * to, when it votes, when it goes back, and what the status tile and the DỰ PHÒNG mark read
 * (renderer/session/pair-view.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodeStatus, PairConfig, PairState } from '../../native-bridge/contract.js';
import { NodeChoice, VOTE_GIVE_UP_MS } from '../../renderer/session/node-choice.js';
import { nodeLabel, pairView } from '../../renderer/session/pair-view.js';

const A = 'http://127.0.0.1:8601';
const B = 'http://127.0.0.1:8602';

function status(nodeId: 'ioc-a' | 'ioc-b', state: PairState, peerState: PairState | null, peerAgeMs: number | null = 300): Pick<NodeStatus, 'nodeId' | 'pair'> {
  const peer = nodeId === 'ioc-a' ? { nodeId: 'ioc-b', address: `${B}/` } : { nodeId: 'ioc-a', address: A };
  return {
    nodeId,
    pair: {
      configured: nodeId === 'ioc-a' ? 'primary' : 'backup',
      state,
      since: 0,
      peer: { ...peer, state: peerState, heartbeatAgeMs: peerAgeMs, startedAt: null, revision: null, gatewaysUp: null, windowsConnected: null },
      replicationLagRevisions: 0,
      twoActives: false,
    },
  };
}

/** A window whose page the primary served, connected and told both nodes. */
function onPrimary(): NodeChoice {
  const choice = new NodeChoice(A);
  assert.equal(choice.onStatus(status('ioc-a', 'active', 'passive'), 0), 'none');
  return choice;
}

describe('node choice (a window of a pair)', () => {
  it('stays on its page\'s node and learns the other from its status', () => {
    const choice = onPrimary();
    assert.equal(choice.target(), A);
    assert.deepEqual(choice.peer(), { address: B, nodeId: 'ioc-b' }, 'the peer\'s address, without the trailing slash the wall file wrote');
    assert.deepEqual(choice.state(), { kind: 'steady' });
  });

  it('a standalone host names no peer: losing it keeps the window where it is', () => {
    const choice = new NodeChoice(A);
    choice.onStatus({ nodeId: 'standalone', pair: null }, 0);
    assert.equal(choice.onLost(10), false);
    assert.equal(choice.target(), A);
  });

  it('losing the active node: moves to the other, votes there naming the lost node, settles once it is active', () => {
    const choice = onPrimary();
    assert.equal(choice.onLost(1000), true);
    assert.equal(choice.target(), B);
    assert.deepEqual(choice.state(), { kind: 'voting', lostNode: 'ioc-a', since: 1000 });
    // the standby has not counted its peer dead yet: keep voting
    assert.equal(choice.onStatus(status('ioc-b', 'passive', 'active', 1500), 1300), 'vote');
    assert.equal(choice.onStatus(status('ioc-b', 'passive', 'active', 2400), 3000), 'vote', 'an active peer unheard for 2 s is dead: not a reason to go back');
    assert.equal(choice.onStatus(status('ioc-b', 'active', 'active', 2600), 3200), 'none');
    assert.deepEqual(choice.state(), { kind: 'steady' });
    assert.equal(choice.target(), B, 'it stays on the new active node');
  });

  it('a status from the node it left (in flight on the old link) is not taken for the new node\'s', () => {
    const choice = onPrimary();
    choice.onLost(0);
    assert.equal(choice.onStatus(status('ioc-a', 'active', 'passive'), 100), 'none');
    assert.equal(choice.state().kind, 'voting');
  });

  it('a passive node that keeps hearing its active peer: the lost node lives, the window goes back after a while', () => {
    const choice = onPrimary();
    choice.onLost(0);
    assert.equal(choice.onStatus(status('ioc-b', 'passive', 'active', 200), VOTE_GIVE_UP_MS - 1), 'vote');
    assert.equal(choice.onStatus(status('ioc-b', 'passive', 'active', 200), VOTE_GIVE_UP_MS), 'go-back');
    assert.equal(choice.target(), A);
    assert.deepEqual(choice.state(), { kind: 'steady' });
  });

  it('both unreachable: tries them in turn, and votes against the one it could not reach', () => {
    const choice = onPrimary();
    choice.onLost(0);
    assert.equal(choice.onLost(500), true, 'the attempt at the backup failed too');
    assert.equal(choice.target(), A);
    assert.deepEqual(choice.state(), { kind: 'voting', lostNode: 'ioc-b', since: 0 });
    // the primary comes back passive (it restarted) while the backup stays gone
    assert.equal(choice.onStatus(status('ioc-a', 'passive', null, null), 9000), 'vote');
  });

  it('a standby refusal naming the other node moves the window there without a vote; one naming no known node does not', () => {
    const choice = new NodeChoice(B);
    choice.onStatus(status('ioc-b', 'passive', 'active'), 0);
    assert.equal(choice.onStandbyRefusal('wall.execute: this node is the standby; use the active node at https://evil.example:1'), false);
    assert.equal(choice.target(), B);
    assert.equal(choice.onStandbyRefusal(`wall.execute: this node is the standby; use the active node at ${A}`), true);
    assert.equal(choice.target(), A);
    assert.deepEqual(choice.state(), { kind: 'steady' });
  });
});

describe('pair view (the DỰ PHÒNG mark and the status tile)', () => {
  it('marks a window on the passive node and names the node that drives the wall', () => {
    assert.deepEqual(pairView(status('ioc-b', 'passive', 'active')), { standby: true, thisNode: { id: 'ioc-b', state: 'passive' }, driving: { id: 'ioc-a', state: 'active' } });
    assert.deepEqual(pairView(status('ioc-a', 'active', 'passive')), { standby: false, thisNode: { id: 'ioc-a', state: 'active' }, driving: { id: 'ioc-a', state: 'active' } });
  });

  it('a node still starting is marked, and no node drives the wall yet; a standalone host shows nothing', () => {
    assert.deepEqual(pairView(status('ioc-a', 'primary', null, null)), { standby: true, thisNode: { id: 'ioc-a', state: 'primary' }, driving: null });
    assert.equal(pairView({ nodeId: 'x', pair: null }), null);
    assert.equal(pairView(null), null);
  });

  it('names a node as people read it: the wall file name (else primary / backup), the id in brackets', () => {
    const node = { address: 'https://wall-a.ioc.local:8601', peerLink: 'tcp://10.0.0.11:8611', publicKey: 'k' };
    const config = { primary: { ...node, id: 'ioc-a', name: 'Máy chủ phòng điều hành' }, backup: { ...node, id: 'ioc-b' } } as unknown as PairConfig;
    assert.equal(nodeLabel(config, 'ioc-a', 'vi'), 'Máy chủ phòng điều hành (ioc-a)');
    assert.equal(nodeLabel(config, 'ioc-b', 'vi'), 'Máy chủ dự phòng (ioc-b)');
    assert.equal(nodeLabel(config, 'ioc-b', 'en'), 'Backup node (ioc-b)');
    assert.equal(nodeLabel(null, 'ioc-b', 'vi'), 'ioc-b', 'the pair not known yet: the id');
  });
});

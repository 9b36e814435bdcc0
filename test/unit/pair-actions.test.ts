/** When the pair panel offers a switchover or a failback, and why not otherwise (renderer/console/pair-actions.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PairStatus } from '../../native-bridge/contract.js';
import { pairActions } from '../../renderer/console/pair-actions.js';

const status = (over: Partial<PairStatus> = {}, peer: Partial<PairStatus['peer']> = {}): PairStatus => ({
  configured: 'primary',
  state: 'active',
  since: 0,
  replicationLagRevisions: 0,
  twoActives: false,
  ...over,
  peer: { nodeId: 'ioc-b', address: 'http://127.0.0.1:2', state: 'passive', heartbeatAgeMs: 300, startedAt: 0, revision: 5, gatewaysUp: 7, windowsConnected: 0, ...peer },
});
const why = (s: PairStatus, mayMove = true) => {
  const { switchover, failback } = pairActions(s, mayMove);
  assert.equal(switchover.enabled, switchover.why === null);
  assert.equal(failback.enabled, failback.why === null);
  return [switchover.why, failback.why];
};

describe('the pair panel\'s buttons', () => {
  it('the active primary with a live standby may switch over; the active backup may fail back', () => {
    assert.deepEqual(why(status()), [null, 'onPrimary']);
    assert.deepEqual(why(status({ configured: 'backup' }, { nodeId: 'ioc-a' })), ['onBackup', null]);
  });

  it('says why not: role, two actives, this node standing by, no live standby', () => {
    assert.deepEqual(why(status(), false), ['technicianOnly', 'technicianOnly']);
    assert.deepEqual(why(status({ twoActives: true }, { state: 'active' })), ['twoActives', 'twoActives']);
    assert.deepEqual(why(status({ state: 'passive' }, { state: 'active' })), ['notActiveHere', 'notActiveHere']);
    assert.deepEqual(why(status({}, { heartbeatAgeMs: 2000 })), ['noStandby', 'noStandby'], 'unheard for the dead time');
    assert.deepEqual(why(status({}, { heartbeatAgeMs: null, state: null })), ['noStandby', 'noStandby'], 'never heard');
    assert.deepEqual(why(status({}, { state: 'backup' })), ['noStandby', 'noStandby'], 'the peer still starting');
  });
});

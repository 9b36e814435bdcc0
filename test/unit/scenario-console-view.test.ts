/** The scenario console's rules (renderer/console/scenarios/view.ts): grouping, confirmation, what a step offers to whom. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScenarioSummary } from '../../native-bridge/contract.js';
import type { ScenarioRun, ScenarioStepSummary, StepState } from '../../native-bridge/scenario-run.js';
import { groupByCategory, incidentList, needsActivationConfirm, nextEscalation, openRuns, stepActions } from '../../renderer/console/scenarios/view.js';

const summary = (name: string, category: string, over: Partial<ScenarioSummary> = {}): ScenarioSummary => ({
  name,
  title: { vi: name, en: name },
  level: 'ad-hoc',
  category,
  activation: 'suggest',
  onClear: 'revert',
  triggers: ['manual'],
  preset: null,
  map: null,
  cameras: null,
  procedure: [],
  escalation: [],
  panels: { indicators: [], queries: [] },
  tiles: [],
  ...over,
});

const run = (over: Partial<ScenarioRun> = {}): ScenarioRun => ({
  runId: 'r1',
  scenario: 'flood',
  title: { vi: 'Ngập', en: 'Flood' },
  state: 'active',
  incident: null,
  subjects: [],
  trigger: null,
  activatedAt: 1000,
  activatedBy: 'An',
  people: {},
  revision: 5,
  escalationLevel: 0,
  handedTo: null,
  pausedAt: null,
  revertAt: null,
  clearedAt: null,
  closedAt: null,
  closedBy: null,
  steps: [],
  ...over,
});

const siren: ScenarioStepSummary = {
  id: 'sound-siren',
  title: { vi: 'Còi', en: 'Siren' },
  role: 'commander',
  needsConfirmation: true,
  automatic: false,
  command: { gateway: 'gw-thuy-van', type: 'siren', target: 'coi-tam-hiep', params: {} },
};

const step = (over: Partial<StepState> = {}): StepState => ({ stepId: 'sound-siren', state: 'pending', doneBy: null, doneAt: null, confirmedBy: null, confirmedAt: null, note: null, command: null, ...over });

describe('scenario console view', () => {
  it('groups the launcher by category, the demo province first', () => {
    const groups = groupByCategory([summary('zeta', 'other'), summary('traffic', 'traffic'), summary('flood', 'flood'), summary('b', 'briefing')]);
    assert.deepEqual(
      groups.map((g) => g.category),
      ['flood', 'traffic', 'briefing', 'other'],
    );
  });

  it('asks for a confirmation before an ad-hoc or automatic scenario is started by hand, not a routine one', () => {
    assert.equal(needsActivationConfirm({ level: 'ad-hoc', activation: 'suggest' }), true);
    assert.equal(needsActivationConfirm({ level: 'periodic', activation: 'auto' }), true);
    assert.equal(needsActivationConfirm({ level: 'on-request', activation: 'suggest' }), false);
  });

  it('lists runs on the wall first, newest first', () => {
    const runs = [run({ runId: 'old', state: 'cleared', activatedAt: 1 }), run({ runId: 'a', activatedAt: 2 }), run({ runId: 'b', state: 'paused', activatedAt: 3 })];
    assert.deepEqual(openRuns(runs).map((r) => r.runId), ['b', 'a']);
    assert.deepEqual(incidentList(runs).map((r) => r.runId), ['b', 'a', 'old']);
  });

  it('a two-person step: the one who did it cannot confirm it; its command waits for the confirmation, and is not sent from a paused run', () => {
    assert.deepEqual(stepActions(run(), siren, step(), 'An'), { toggle: 'done', confirm: false, confirmBlocked: null, send: false, sendBlocked: 'needs-confirmation' });
    const awaiting = step({ state: 'awaiting-confirmation', doneBy: 'An', doneAt: 2 });
    assert.equal(stepActions(run(), siren, awaiting, 'An').confirmBlocked, 'same-person');
    assert.equal(stepActions(run(), siren, awaiting, 'Bình').confirm, true);
    const confirmed = step({ state: 'done', doneBy: 'An', confirmedBy: 'Bình' });
    assert.equal(stepActions(run(), siren, confirmed, 'Bình').send, true);
    assert.equal(stepActions(run({ state: 'paused' }), siren, confirmed, 'Bình').sendBlocked, 'paused');
    const sent = step({ state: 'done', command: { id: 'c1', sentBy: 'Bình', sentAt: 3, state: 'sent', ackAt: null, detail: null } });
    assert.equal(stepActions(run(), siren, sent, 'Bình').sendBlocked, 'sent');
    const rejected = step({ state: 'done', command: { id: 'c1', sentBy: 'Bình', sentAt: 3, state: 'rejected', ackAt: 4, detail: 'offline' } });
    assert.equal(stepActions(run(), siren, rejected, 'Bình').send, true, 'a rejected command may be sent again');
    const expired = step({ state: 'done', command: { id: 'c1', sentBy: 'Bình', sentAt: 3, state: 'expired', ackAt: 4, detail: null } });
    assert.equal(stepActions(run(), siren, expired, 'Bình').send, true, 'an expired command may be sent again, as a new command');
  });

  it('offers nothing on a run that is over', () => {
    assert.deepEqual(stepActions(run({ state: 'cleared' }), siren, step(), 'An'), { toggle: null, confirm: false, confirmBlocked: null, send: false, sendBlocked: null });
  });

  it('escalates to the next declared level, or says there is none', () => {
    const s = summary('flood', 'flood', { escalation: [1, 2].map((level) => ({ level, title: { vi: `Mức ${level}`, en: `Level ${level}` }, notify: [], afterMinutes: null })) });
    assert.equal(nextEscalation(run(), s)?.level, 1);
    assert.equal(nextEscalation(run({ escalationLevel: 1 }), s)?.level, 2);
    assert.equal(nextEscalation(run({ escalationLevel: 2 }), s), null);
    assert.equal(nextEscalation(run(), summary('x', 'x'))?.level, 1, 'without declared levels, one more');
  });
});

/**
 * Who may do what, written out by hand from the rules the control room works by (docs/security.md),
 * not read from the policy table: test/contract/access.test.ts checks that the host enforces the
 * table, this file checks that the table says what the rules say.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkAccess, ContractServer, receives, type Handlers } from '../../native-bridge/channel.js';
import { ContractError, eventNames, methodNames, type Actor, type CommandType, type MethodName, type Role } from '../../native-bridge/contract.js';
import { mayCall, mayFieldCommand, mayRunCommand, mayScenario, receivesEvent, TOTP_ROLES, type ScenarioAction } from '../../native-bridge/policy.js';

const ROLES: readonly Role[] = ['viewer', 'operator', 'commander', 'technician', 'administrator', 'display', 'system'];
const OPEN: readonly MethodName[] = ['session.hello', 'auth.status', 'auth.setup', 'auth.signIn', 'auth.enrolTotp', 'auth.confirmTotp', 'displays.enrol', 'pair.activeLost'];
/** What a display window needs to show the wall: reads, never changes. */
const WINDOW_READS: readonly MethodName[] = [
  'wall.resync', 'presets.list', 'window.painted', 'alerts.list', 'cameras.nearest', 'cameras.health', 'gis.query', 'gis.aggregate', 'gis.datasets',
  'scenarios.list', 'scenarios.runs', 'scenarios.log', 'scenarios.report', 'live.snapshot', 'live.sensors', 'live.objects', 'indicators.list', 'indicators.history',
];
const WALL_COMMANDS: readonly CommandType[] = ['apply-preset', 'add-tile', 'move-tile', 'resize-tile', 'remove-tile', 'set-tile-props', 'save-preset', 'apply-layout'];
const SCENARIO_ACTIONS: readonly ScenarioAction[] = ['activate', 'step', 'confirm', 'command', 'escalate', 'pause', 'resume', 'handover', 'close', 'keep', 'dismiss'];

/** The methods a role may call, beyond the open ones. */
function callable(role: Role | null): MethodName[] {
  return methodNames.filter((m) => mayCall(role, m) && !OPEN.includes(m)).sort();
}

const sorted = (methods: readonly MethodName[]) => [...methods].sort();
const scenarioMethods = SCENARIO_ACTIONS.map((a) => `scenarios.${a}` as MethodName);

describe('the access policy, stated by hand', () => {
  it('before hello a connection may call only the open methods, and every role may call them', () => {
    assert.deepEqual(methodNames.filter((m) => mayCall(null, m)).sort(), sorted(OPEN));
    assert.deepEqual(methodNames.filter((m) => mayCall(undefined, m)).sort(), sorted(OPEN));
    for (const role of ROLES) for (const method of OPEN) assert.ok(mayCall(role, method), `${role} ${method}`);
  });

  it('a display window reads what the wall shows and changes nothing', () => {
    assert.deepEqual(callable('display'), sorted(WINDOW_READS));
  });

  it('a viewer reads, signs out, looks back and prints reports; it changes nothing', () => {
    assert.deepEqual(callable('viewer'), sorted([...WINDOW_READS, 'auth.signOut', 'accounts.names', 'replay.at', 'replay.timeline', 'scenarios.reportPdf']));
  });

  it('an operator also arranges the wall, acknowledges alerts and starts drills', () => {
    assert.deepEqual(callable('operator'), sorted([...callable('viewer'), 'wall.execute', 'wall.undo', 'wall.redo', 'alerts.ack', 'drill.start']));
  });

  it('a commander also runs scenarios and sends field commands', () => {
    assert.deepEqual(callable('commander'), sorted([...callable('operator'), 'field.command', ...scenarioMethods]));
  });

  it("a technician looks after displays, gateways, imports and the pair, and checks the audit chain; it does not arrange the wall", () => {
    const own: MethodName[] = ['displays.list', 'displays.enrolmentCode', 'displays.revoke', 'gateways.keys', 'gateways.reload', 'gis.import', 'audit.verify', 'pair.status', 'pair.switchover', 'pair.failback', 'alerts.ack'];
    assert.deepEqual(callable('technician'), sorted([...callable('viewer'), ...own]));
  });

  it('an administrator manages accounts and reads the audit log, and nothing of the field; it watches the pair but does not move the wall', () => {
    const own: MethodName[] = ['accounts.list', 'accounts.create', 'accounts.update', 'accounts.resetPassword', 'accounts.disable', 'audit.list', 'audit.export', 'audit.verify', 'displays.list', 'displays.enrolmentCode', 'displays.revoke', 'gateways.keys', 'gateways.reload', 'gis.import', 'pair.status'];
    assert.deepEqual(callable('administrator'), sorted([...callable('viewer'), ...own]));
  });

  it('the host itself (system) may call everything', () => {
    assert.deepEqual(callable('system'), sorted(methodNames.filter((m) => !OPEN.includes(m))));
  });

  it('wall commands: operators and commanders (and the host), nobody else', () => {
    for (const role of [...ROLES, null, undefined]) {
      for (const type of WALL_COMMANDS) assert.equal(mayRunCommand(role, type), role === 'operator' || role === 'commander' || role === 'system', `${role} ${type}`);
    }
  });

  it('scenario actions and field commands: commanders (and the host), nobody else', () => {
    for (const role of [...ROLES, null, undefined]) {
      const commander = role === 'commander' || role === 'system';
      for (const action of SCENARIO_ACTIONS) assert.equal(mayScenario(role, action), commander, `${role} ${action}`);
      for (const type of ['traffic-signal-plan', 'siren', 'resident-warning'] as const) assert.equal(mayFieldCommand(role, type), commander, `${role} ${type}`);
    }
  });

  it('events: windows get what the wall shows, people also import progress and the end of their session; no one before hello', () => {
    const peopleOnly = ['gis.import.progress', 'auth.ended'];
    for (const event of eventNames) {
      assert.equal(receivesEvent(null, event), false, event);
      assert.equal(receivesEvent(undefined, event), false, event);
      assert.equal(receivesEvent('display', event), !peopleOnly.includes(event), `display ${event}`);
      for (const role of ROLES.filter((r) => r !== 'display')) assert.ok(receivesEvent(role, event), `${role} ${event}`);
      assert.equal(receives(event, null), false);
      assert.equal(receives(event, { id: 'r0c0', role: 'display' }), !peopleOnly.includes(event));
    }
  });

  it('technicians and administrators, and only they, prove a second factor', () => {
    assert.deepEqual([...TOTP_ROLES].sort(), ['administrator', 'technician']);
  });
});

function refusal(fn: () => void): ContractError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ContractError);
    return error;
  }
  assert.fail('not refused');
}

describe('checkAccess', () => {
  it('admits what the policy admits', () => {
    checkAccess('session.hello', null);
    checkAccess('wall.execute', { id: 'an', role: 'operator' });
  });

  it("refuses before hello, a signed-out console as 'unauthenticated', and a role naming who it is", () => {
    const beforeHello = refusal(() => checkAccess('wall.resync', null));
    assert.deepEqual([beforeHello.code, beforeHello.field, beforeHello.message], ['forbidden', 'method', 'wall.resync: call session.hello first']);
    const signedOut = refusal(() => checkAccess('wall.resync', null, true));
    assert.deepEqual([signedOut.code, signedOut.field], ['unauthenticated', 'method']);
    assert.match(signedOut.message, /^wall\.resync: sign in first/);
    const display = refusal(() => checkAccess('wall.execute', { id: 'r0c0', role: 'display' }, true));
    assert.deepEqual([display.code, display.field, display.message], ['forbidden', 'method', 'r0c0 (display) may not call wall.execute']);
  });
});

describe('ContractServer applies it before anything runs', () => {
  /** Every handler answers `answer` and records its method. */
  function server(answer: unknown) {
    const ran: string[] = [];
    const handlers = new Proxy({}, { get: (_, method: string) => () => (ran.push(method), answer) }) as Handlers<Actor | null>;
    return { ran, contractServer: new ContractServer<Actor | null>(handlers, (actor) => actor) };
  }

  async function refused(promise: Promise<unknown>): Promise<ContractError> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof ContractError);
      return error;
    }
    assert.fail('not refused');
  }

  it('refuses an unknown method, inherited names included, naming it', async () => {
    const { ran, contractServer } = server({});
    for (const method of ['wall.nuke', 'toString', '__proto__']) {
      const error = await refused(contractServer.handle(method, {}, { id: 'an', role: 'system' }));
      assert.deepEqual([error.code, error.field, error.message], ['unknown-method', 'method', `unknown method "${method}"`]);
    }
    assert.deepEqual(ran, []);
  });

  it('refuses a caller the policy does not admit before parsing, and bad input naming the payload field', async () => {
    const { ran, contractServer } = server({});
    assert.equal((await refused(contractServer.handle('alerts.ack', { bogus: true }, { id: 'r0c0', role: 'display' }))).code, 'forbidden');
    const invalid = await refused(contractServer.handle('wall.resync', { sinceRevision: -1 }, { id: 'r0c0', role: 'display' }));
    assert.deepEqual([invalid.code, invalid.field], ['invalid', 'payload.sinceRevision']);
    assert.match(invalid.message, /^request wall\.resync: payload\.sinceRevision: /);
    assert.deepEqual(ran, []);
  });

  it('runs the handler of an admitted, valid request and checks what it answers', async () => {
    const good = server({});
    assert.deepEqual(await good.contractServer.handle('alerts.ack', { id: 'a-1' }, { id: 'an', role: 'operator' }), {});
    assert.deepEqual(good.ran, ['alerts.ack']);
    const bad = server({ kind: 'nonsense' });
    const error = await refused(bad.contractServer.handle('wall.resync', { sinceRevision: 0 }, { id: 'r0c0', role: 'display' }));
    assert.deepEqual([error.code, error.message], ['internal', 'host produced an invalid wall.resync response']);
  });
});

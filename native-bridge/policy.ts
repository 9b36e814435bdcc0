/**
 * Who may do what: the one policy table of ioc-wall. Every contract method, wall command type,
 * scenario action and field command type maps to the roles that may use it (Records over the
 * contract's own names, so a new method or command cannot be forgotten: it does not type check
 * until it is given its roles here). The host enforces it (ContractServer, the wall authorizer, the
 * scenario and field paths); the console reads it to hide what its person cannot use. Pure: no
 * Node, no DOM.
 */
import type { CommandType, EventName, FieldCommand, MethodName, PersonRole, Role, Scope } from './contract.js';

/** People, by what they do in the control room. */
export const PERSON_ROLES = ['viewer', 'operator', 'commander', 'technician', 'administrator'] as const satisfies readonly PersonRole[];

const everyone: readonly Role[] = [...PERSON_ROLES, 'display', 'system'];
const people: readonly Role[] = [...PERSON_ROLES, 'system'];
const wallEditors: readonly Role[] = ['operator', 'commander', 'system'];
const commanders: readonly Role[] = ['commander', 'system'];
const technicians: readonly Role[] = ['technician', 'administrator', 'system'];
const administrators: readonly Role[] = ['administrator', 'system'];

/**
 * 'open': any connection, before session.hello and signed out too (hello and the sign-in steps;
 * their handlers check what the connection has proved so far). Otherwise the roles admitted.
 */
export type MethodPolicy = 'open' | readonly Role[];

export const methodPolicy = {
  'session.hello': 'open',
  'auth.status': 'open',
  'auth.setup': 'open',
  'auth.signIn': 'open',
  // allowed only after this connection's password step (the handler checks): enrolment comes before a session
  'auth.enrolTotp': 'open',
  'auth.confirmTotp': 'open',
  'auth.signOut': people,
  'accounts.names': people,
  'accounts.list': administrators,
  'accounts.create': administrators,
  'accounts.update': administrators,
  'accounts.resetPassword': administrators,
  'accounts.disable': administrators,
  'displays.list': technicians,
  'displays.enrolmentCode': technicians,
  'displays.revoke': technicians,
  // a display page without a credential: the handler checks the code and rate-limits the connection
  'displays.enrol': 'open',
  'audit.list': administrators,
  'audit.export': administrators,
  // a technician looks after the host's files: checking the chain is theirs too, reading it is not
  'audit.verify': technicians,
  'wall.resync': everyone,
  'wall.execute': wallEditors,
  'wall.undo': wallEditors,
  'wall.redo': wallEditors,
  'presets.list': everyone,
  'window.painted': everyone,
  'alerts.list': everyone,
  'alerts.ack': ['operator', 'commander', 'technician', 'system'],
  'field.command': commanders,
  'gateways.keys': technicians,
  'gateways.reload': technicians,
  'cameras.nearest': everyone,
  'cameras.health': everyone,
  'gis.query': everyone,
  'gis.aggregate': everyone,
  'gis.datasets': everyone,
  'gis.import': technicians,
  'scenarios.list': everyone,
  'scenarios.runs': everyone,
  'scenarios.activate': commanders,
  'scenarios.step': commanders,
  'scenarios.confirm': commanders,
  'scenarios.command': commanders,
  'scenarios.escalate': commanders,
  'scenarios.pause': commanders,
  'scenarios.resume': commanders,
  'scenarios.handover': commanders,
  'scenarios.close': commanders,
  'scenarios.keep': commanders,
  'scenarios.dismiss': commanders,
  'scenarios.log': everyone,
  'scenarios.report': everyone,
  // printing spawns a Chromium on the host: people ask for it, display windows never need to
  'scenarios.reportPdf': people,
  'live.snapshot': everyone,
  'live.sensors': everyone,
  'live.objects': everyone,
  'indicators.list': everyone,
  'indicators.history': everyone,
  // people look back at the wall; display windows never need to
  'replay.at': people,
  'replay.timeline': people,
  // moving the wall between nodes is the technician's job alone (the rule), not an administrator's
  // the pair panel: technicians and administrators watch both nodes
  'pair.status': technicians,
  'pair.switchover': ['technician', 'system'],
  'pair.failback': ['technician', 'system'],
  // any window that said hello (the handler checks), signed-out console included: losing the active node is not a person's act
  'pair.activeLost': 'open',
  // the duty operator and the commander train the room on the wall they arrange
  'drill.start': wallEditors,
} as const satisfies Record<MethodName, MethodPolicy>;

/** The methods any connection may call (their handlers get a possibly null actor). */
export type OpenMethod = { [M in MethodName]: (typeof methodPolicy)[M] extends 'open' ? M : never }[MethodName];

/** Wall commands by role: viewers watch, operators and commanders arrange the wall. */
export const commandPolicy: Readonly<Record<CommandType, readonly Role[]>> = {
  'apply-preset': wallEditors,
  'add-tile': wallEditors,
  'move-tile': wallEditors,
  'resize-tile': wallEditors,
  'remove-tile': wallEditors,
  'set-tile-props': wallEditors,
  'save-preset': wallEditors,
  'apply-layout': wallEditors,
};

export type ScenarioAction = 'activate' | 'step' | 'confirm' | 'command' | 'escalate' | 'pause' | 'resume' | 'handover' | 'close' | 'keep' | 'dismiss';
/** Scenario actions by role: the method table admits them, this one is what the console asks. */
export const scenarioActionPolicy: Readonly<Record<ScenarioAction, readonly Role[]>> = {
  activate: methodPolicy['scenarios.activate'],
  step: methodPolicy['scenarios.step'],
  confirm: methodPolicy['scenarios.confirm'],
  command: methodPolicy['scenarios.command'],
  escalate: methodPolicy['scenarios.escalate'],
  pause: methodPolicy['scenarios.pause'],
  resume: methodPolicy['scenarios.resume'],
  handover: methodPolicy['scenarios.handover'],
  close: methodPolicy['scenarios.close'],
  keep: methodPolicy['scenarios.keep'],
  dismiss: methodPolicy['scenarios.dismiss'],
};

/** Field commands by role (also the ones a scenario step sends for its person). */
export const fieldCommandPolicy: Readonly<Record<FieldCommand['type'], readonly Role[]>> = {
  'traffic-signal-plan': commanders,
  siren: commanders,
  'resident-warning': commanders,
};

/**
 * What a passive node of a pair (hot standby) answers: reading, signing in, and the pair's own
 * methods. Everything that changes what the wall shows, does or remembers is the active node's
 * ('serve': no, answered 'standby' naming the active node), so the two never diverge. A Record over
 * the contract's names: a new method does not type check until it is placed here.
 */
export const standbyPolicy = {
  'session.hello': 'serve',
  'auth.status': 'serve',
  'auth.setup': 'active',
  'auth.signIn': 'serve',
  'auth.enrolTotp': 'active',
  'auth.confirmTotp': 'active',
  'auth.signOut': 'serve',
  'accounts.names': 'serve',
  'accounts.list': 'serve',
  'accounts.create': 'active',
  'accounts.update': 'active',
  'accounts.resetPassword': 'active',
  'accounts.disable': 'active',
  'displays.list': 'serve',
  'displays.enrolmentCode': 'active',
  'displays.revoke': 'active',
  'displays.enrol': 'active',
  'audit.list': 'serve',
  'audit.export': 'serve',
  'audit.verify': 'serve',
  'wall.resync': 'serve',
  'wall.execute': 'active',
  'wall.undo': 'active',
  'wall.redo': 'active',
  'presets.list': 'serve',
  'window.painted': 'serve',
  'alerts.list': 'serve',
  'alerts.ack': 'active',
  'field.command': 'active',
  // each node has its own gateway link: its keys and allow-list are its own
  'gateways.keys': 'serve',
  'gateways.reload': 'serve',
  'cameras.nearest': 'serve',
  'cameras.health': 'serve',
  'gis.query': 'serve',
  'gis.aggregate': 'serve',
  'gis.datasets': 'serve',
  'gis.import': 'active',
  'scenarios.list': 'serve',
  'scenarios.runs': 'serve',
  'scenarios.activate': 'active',
  'scenarios.step': 'active',
  'scenarios.confirm': 'active',
  'scenarios.command': 'active',
  'scenarios.escalate': 'active',
  'scenarios.pause': 'active',
  'scenarios.resume': 'active',
  'scenarios.handover': 'active',
  'scenarios.close': 'active',
  'scenarios.keep': 'active',
  'scenarios.dismiss': 'active',
  'scenarios.log': 'serve',
  'scenarios.report': 'serve',
  'scenarios.reportPdf': 'serve',
  'live.snapshot': 'serve',
  'live.sensors': 'serve',
  'live.objects': 'serve',
  'indicators.list': 'serve',
  'indicators.history': 'serve',
  'replay.at': 'serve',
  'replay.timeline': 'serve',
  'pair.status': 'serve',
  'pair.switchover': 'serve',
  'pair.failback': 'serve',
  'pair.activeLost': 'serve',
  'drill.start': 'active',
} as const satisfies Record<MethodName, 'serve' | 'active'>;

/** Who receives each event. */
export const eventPolicy = {
  'wall.patch': everyone,
  'alerts.changed': everyone,
  'status.changed': everyone,
  'presets.changed': everyone,
  'gis.import.progress': people,
  'scenarios.changed': everyone,
  'indicators.changed': everyone,
  'live.batch': everyone,
  'auth.ended': people,
} as const satisfies Record<EventName, readonly Role[]>;

export function mayCall(role: Role | null | undefined, method: MethodName): boolean {
  const policy: MethodPolicy = methodPolicy[method];
  return policy === 'open' || (role != null && policy.includes(role));
}

export const mayRunCommand = (role: Role | null | undefined, type: CommandType): boolean => role != null && commandPolicy[type].includes(role);
export const mayScenario = (role: Role | null | undefined, action: ScenarioAction): boolean => role != null && scenarioActionPolicy[action].includes(role);
export const mayFieldCommand = (role: Role | null | undefined, type: FieldCommand['type']): boolean => role != null && fieldCommandPolicy[type].includes(role);
export const receivesEvent = (role: Role | null | undefined, event: EventName): boolean => role != null && (eventPolicy[event] as readonly Role[]).includes(role);

/** Roles that must prove a second factor (TOTP) at sign-in. */
export const TOTP_ROLES: readonly PersonRole[] = ['technician', 'administrator'];

/**
 * Acknowledging an alert says "this is being handled": a commune-scoped account may do it for its
 * communes' alerts only; a province-wide alert (commune null) it sees, but the province acknowledges it.
 */
export const mayAcknowledgeAlert = (scope: Scope, commune: string | null): boolean => scope.kind === 'province' || (commune !== null && scope.communes.includes(commune));

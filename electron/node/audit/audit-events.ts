/**
 * The audit events of each part of the host, built from what that part already has at hand, so
 * each hook where an event happens is one line: `audit.record(fieldCommandEvent(gateway, command))`.
 */
import type { Command, FieldCommand, GatewaysReloadAnswer, RunLogKind } from '../../../native-bridge/contract.js';
import type { AuditEvent, JournalEntry } from '../../common/ports.js';
import type { AuditInput } from '../accounts/auth-service.js';
import { canonicalJson, journalRowHash, sha256 } from './canonical.js';

/** Sign-in and account events; one without an actor came from a console not signed in. */
export const authEvent = (input: AuditInput): AuditEvent => ({ action: input.action, actor: input.actor ?? 'console', target: input.subject ?? null, details: input.detail ?? null });

function commandTarget(command: Command): string | null {
  switch (command.type) {
    case 'apply-preset':
    case 'save-preset':
      return command.name;
    case 'add-tile':
      return command.tile.id;
    case 'apply-layout':
      return command.preset;
    default:
      return command.id;
  }
}

/** A wall command, with its journal row's hash: the journal is chained in through these entries. */
export function journalEvent(entry: JournalEntry, storedCommand: string): AuditEvent {
  const journalHash = journalRowHash({ revision: entry.revision, at: entry.at, actorId: entry.actor.id, actorRole: entry.actor.role, command: storedCommand });
  const label = entry.command.type === 'apply-layout' ? entry.command.label : undefined;
  return { action: 'wall.command', actor: entry.actor, target: commandTarget(entry.command), details: { revision: entry.revision, type: entry.command.type, label, journalHash } };
}

/** Run log kinds that are the live data's doing, not a person's or the field's: not audited. */
const DATA_KINDS: ReadonlySet<RunLogKind> = new Set(['figures', 'trigger-fired', 'trigger-cleared']);

/** A scenario run's log line (activation, steps, confirmations, commands, escalation, close…), or null for the data's own lines. */
export function scenarioEvent(run: { runId: string; scenario: string }, line: { kind: RunLogKind; actor: string; stepId?: string | null | undefined; data?: Record<string, unknown> | null | undefined }): AuditEvent | null {
  if (DATA_KINDS.has(line.kind)) return null;
  return { action: `scenario.${line.kind}`, actor: line.actor, target: run.runId, details: { scenario: run.scenario, step: line.stepId ?? undefined, commandId: line.data?.commandId } };
}

export const fieldCommandEvent = (gatewayId: string, command: FieldCommand): AuditEvent => ({
  action: 'field.command',
  actor: command.issuedBy,
  target: command.target,
  details: { gateway: gatewayId, id: command.id, type: command.type, params: command.params },
});

/** A gateway's answer to a command (done or rejected), as the outbox stored it. */
export const fieldAckEvent = ({ gatewayId, command }: { gatewayId: string; command: FieldCommand }, ack: { id: string; status: string; detail?: string | undefined; at: number }): AuditEvent => ({
  action: `field.command.${ack.status}`,
  actor: `gateway:${gatewayId}`,
  target: command.target,
  details: { id: ack.id, type: command.type, detail: ack.detail, gatewayAt: ack.at },
});

export const fieldExpiredEvent = (expired: { gatewayId: string; command: FieldCommand }): AuditEvent => ({
  action: 'field.command.expired',
  actor: null,
  target: expired.command.target,
  details: { gateway: expired.gatewayId, id: expired.command.id, type: expired.command.type },
});

/** The gateway keys the host admits and its own CURVE key: recorded when they differ from the last start's. */
export function gatewayKeysEvent(hostPublicKey: string, gateways: readonly { id: string; publicKey: string }[]): AuditEvent {
  const sorted = [...gateways].sort((a, b) => a.id.localeCompare(b.id)).map(({ id, publicKey }) => ({ id, publicKey }));
  return { action: 'gateway.keys', actor: null, target: null, details: { hostPublicKey, gateways: sorted.length, digest: sha256(canonicalJson(sorted)), ids: sorted.slice(0, 50).map((g) => g.id) } };
}

/** A folder of files read again while the host runs (an edited scenario file): how many loaded, which failed. */
export const folderReloadEvent = (kind: string, dir: string, result: { scenarios: readonly unknown[]; errors: readonly { file: string }[] }): AuditEvent => ({
  action: 'file.reload',
  actor: null,
  target: dir,
  details: { kind, loaded: result.scenarios.length, failed: result.errors.slice(0, 20).map((e) => e.file) },
});

/** The gateways file read again (console or SIGHUP): which gateways were added, removed or changed key, or why it was refused. */
export function gatewaysReloadEvent(by: AuditEvent['actor'], file: string, outcome: GatewaysReloadAnswer | { refused: string }): AuditEvent {
  if ('refused' in outcome) return { action: 'gateway.reload.refused', actor: by, target: file, details: { reason: outcome.refused } };
  const ids = (list: GatewaysReloadAnswer['added']) => list.slice(0, 50).map((g) => g.gateway);
  return { action: 'gateway.reload', actor: by, target: file, details: { added: ids(outcome.added), removed: ids(outcome.removed), changed: ids(outcome.changed) } };
}

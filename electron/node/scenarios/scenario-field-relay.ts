/**
 * A run's field commands: a step's command goes to its gateway through the FieldCommandPort, and
 * the gateway's acknowledgement, told by command id, goes into the run and its log. Those that
 * came while no engine listened (before a restart, or with no gateway link) are asked for by id.
 */
import { randomUUID } from 'node:crypto';
import { ContractError, type Actor, type FieldCommand, type ScenarioRequest, type ScenarioRun } from '../../../native-bridge/contract.js';
import type { FieldAck, FieldCommandPort } from '../../common/ports.js';
import type { LogLine, RunDocument } from './run-store.js';
import { noteText, type ScenarioRuns } from './scenario-runs.js';

export class ScenarioFieldRelay {
  /** The run of every command this engine sent (or found in an open run after a restart). */
  private readonly commandRuns = new Map<string, string>();
  private unsubscribeAcks: () => void = () => {};

  constructor(
    private readonly runs: ScenarioRuns,
    private readonly field: () => FieldCommandPort | null,
    private readonly clock: () => number,
  ) {}

  /** The runs open before a restart: their commands may be acknowledged yet, or were while the host was down. */
  resumeAfterRestart(docs: readonly RunDocument[]): void {
    for (const doc of docs) for (const step of doc.run.steps) if (step.command) this.commandRuns.set(step.command.id, doc.run.runId);
    const port = this.field();
    if (port) this.reconcileAcks(port);
  }

  async command(request: ScenarioRequest<'command'>, actor: Actor): Promise<{ run: ScenarioRun; commandId: string }> {
    const person = actor.id;
    const { doc } = this.runs.openRun(request.runId);
    const { def, state } = this.runs.stepOf(doc, request.stepId);
    if (!def.command) throw new ContractError('invalid', `step ${def.id} sends no command`, 'stepId');
    if (doc.run.state === 'paused') throw new ContractError('conflict', 'the run is paused: resume it before sending commands to the field', 'runId');
    if (def.needsConfirmation && state.state !== 'done') throw new ContractError('conflict', `step ${def.id} must be done and confirmed by a second person before its command is sent`, 'stepId');
    if (state.command && (state.command.state === 'sent' || state.command.state === 'done')) throw new ContractError('conflict', `the command of step ${def.id} was already sent (${state.command.id}, ${state.command.state})`, 'stepId');
    const port = this.field();
    if (!port) throw new ContractError('not-found', 'this host has no gateway link', 'runId');
    const now = this.clock();
    const command: FieldCommand = { id: randomUUID(), type: def.command.type, target: def.command.target, params: def.command.params, issuedAt: now, issuedBy: person };
    state.command = { id: command.id, sentBy: person, sentAt: now, state: 'sent', ackAt: null, detail: null };
    const lines: LogLine[] = [{ kind: 'command-sent', actor: person, at: now, stepId: def.id, data: { commandId: command.id, gateway: def.command.gateway, type: command.type, target: command.target, params: command.params } }];
    if (state.state === 'pending') {
      // Sending the step's command is doing the step.
      Object.assign(state, { state: 'done', doneBy: person, doneAt: now });
      lines.push({ kind: 'step-done', actor: person, at: now, stepId: def.id });
    }
    this.commandRuns.set(command.id, doc.run.runId);
    // Recorded before it is sent: an acknowledgement may come back before send() returns.
    this.runs.save(doc, lines, actor);
    try {
      await port.send(def.command.gateway, command);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      this.recordAck(command.id, { id: command.id, status: 'rejected', detail, at: this.clock() });
      throw error;
    }
    return { run: structuredClone(doc.run), commandId: command.id };
  }

  /** An acknowledgement from a gateway (any command: those of other senders are ignored). */
  recordAck(commandId: string, ack: FieldAck): void {
    const runId = this.commandRuns.get(commandId);
    if (!runId) return;
    const doc = this.runs.documentOf(runId);
    const step = doc?.run.steps.find((s) => s.command?.id === commandId);
    // An expired command may still be answered: it was sent in time and the gateway acted late.
    const open = step?.command?.state === 'sent' || (step?.command?.state === 'expired' && ack.status !== 'expired');
    if (!doc || !step?.command || !open) return;
    step.command.state = ack.status;
    step.command.ackAt = ack.at;
    step.command.detail = ack.detail ?? null;
    const gateway = doc.definition.procedure.find((s) => s.id === step.stepId)?.command?.gateway ?? 'unknown';
    const kind = ({ done: 'command-acknowledged', rejected: 'command-rejected', expired: 'command-expired' } as const)[ack.status];
    // an expiry is the host's verdict, not the gateway's
    this.runs.save(doc, [{ kind, actor: ack.status === 'expired' ? 'host' : `gateway:${gateway}`, at: ack.at, stepId: step.stepId, detail: noteText(ack.detail), data: { commandId } }]);
  }

  /** The host's gateway link came or went: acknowledgements come through it. */
  attach(port: FieldCommandPort | null): void {
    this.unsubscribeAcks();
    this.unsubscribeAcks = port?.onAck((_gateway, ack) => this.recordAck(ack.id, ack)) ?? (() => {});
    if (port) this.reconcileAcks(port);
  }

  /** Commands of open runs still waiting: the port tells the acknowledgements that came meanwhile. */
  private reconcileAcks(port: FieldCommandPort): void {
    for (const [id, runId] of this.commandRuns) {
      const waiting = this.runs.get(runId)?.doc.run.steps.some((s) => s.command?.id === id && s.command.state === 'sent');
      const ack = waiting ? port.ackOf(id) : undefined;
      if (ack) this.recordAck(id, ack);
    }
  }

  dispose(): void {
    this.unsubscribeAcks();
  }
}

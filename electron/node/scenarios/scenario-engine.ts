/**
 * The host's scenario engine. Loads layouts/scenarios (reloading on edits; a broken edit keeps the
 * previous version and raises an alert naming file, line and field), evaluates every scenario's
 * triggers on the live picture once a second, and turns firings into suggestions (the console's
 * banner) or, for `activation: auto`, into runs. A run applies its layout to the whole wall as one
 * revision (map at the incident, nearest cameras in the grid), tracks the procedure (who did which
 * step when, commands sent and acknowledged, the two-person rule), escalation, pause, handover,
 * and ends on the trigger's clear (onClear) or a person's close, giving the wall back the layout
 * it had. Everything a run does is in the run log (SQLite), which survives restarts.
 *
 * One open run or suggestion per scenario and incident: a firing joins an open one of the same
 * scenario when they share a subject, or lie within `joinKm` of each other, or it has no place.
 */
import { randomUUID } from 'node:crypto';
import {
  ContractError,
  type Actor,
  type FieldCommand,
  type LocalizedText,
  type ResponseOf,
  type RunLogEntry,
  type ScenarioIncident,
  type ScenarioRequest,
  type ScenarioRun,
  type ScenariosPicture,
  type StepState,
  type WallDefinition,
} from '../../../native-bridge/contract.js';
import type { PolygonCoordinates } from '../../../native-bridge/spatial-query.js';
import type { Scenario } from '../../../native-bridge/scenario-files.js';
import type { Clear } from '../../common/trigger-engine.js';
import type { AlertService } from '../alert-service.js';
import type { FieldAck, FieldCommandPort, IndicatorValuesPort, ScenarioService, SpatialQueryPort } from '../../common/ports.js';
import type { Db } from '../database.js';
import type { LiveState } from '../live/live-state.js';
import type { WallController } from '../wall-controller.js';
import { ScenarioCatalog } from './scenario-catalog.js';
import { renderAfterActionReport, type ActivationFigures } from './after-action-report.js';
import { RunStore, type LogLine, type RunDocument } from './run-store.js';
import { takeActivationFigures } from './scenario-figures.js';
import { firedLine, firingKey, joinSubjects, placeFiring, sameIncident, type PlacedFiring } from './scenario-incident.js';
import { fillCameras, focusMap, scenarioTiles } from './scenario-layout.js';
import { ScenarioSuggestions, type Pending } from './scenario-suggestions.js';
import { TriggerFeed } from './trigger-feed.js';

export interface ScenarioEngineOptions {
  dir: string;
  wall: WallDefinition;
  controller: WallController;
  live: LiveState;
  db: Db;
  alerts: AlertService;
  /** The host's links, attached later than the engine starts (null = not running). */
  field: () => FieldCommandPort | null;
  spatial: () => SpatialQueryPort | null;
  /** The indicator service, for the values of the scenario's indicators at activation (null = not running). */
  indicators: () => IndicatorValuesPort | null;
  /** Areas a geofence rule may name (commune polygons); default none. */
  areas?: () => ReadonlyMap<string, PolygonCoordinates>;
  clock?: () => number;
  /** How often triggers are evaluated; 0 = never by itself (tests call tick()). Default 1000. */
  tickMs?: number;
  /** Reload the folder when a file changes. Default true. */
  watch?: boolean;
  /** After a restart, a run whose trigger is not seen again within this time counts as cleared. Default 5 minutes. */
  resumeGraceMs?: number;
  /** Firings of a scenario this close to an open run or suggestion of it are the same incident (a flood over a few wards is one). Default 25 km. */
  joinKm?: number;
  /** Runs that are over kept in the picture. Default 20. */
  recentRuns?: number;
}

interface OpenRun {
  doc: RunDocument;
  /** Open trigger firings this run stands on ("<rule>|<subjects>"); empty = cleared. */
  firings: Set<string>;
  /** After a restart or a rules change: when to give up waiting for the trigger to fire again. */
  graceUntil: number | null;
  /** Figures being taken at activation (the report waits for them). */
  figures: Promise<void> | null;
}

const SYSTEM: Actor = { id: 'system', role: 'system' };

const notFound = (what: string, field: string) => new ContractError('not-found', what, field);

export class ScenarioEngine implements ScenarioService {
  private readonly store: RunStore;
  private readonly clock: () => number;
  private readonly catalog: ScenarioCatalog;
  private readonly runs = new Map<string, OpenRun>();
  /** Runs on the wall in the order they took it: the last one's layout is what the wall shows. */
  private wallOrder: string[] = [];
  private recent: RunDocument[] = [];
  private readonly suggestions: ScenarioSuggestions;
  private readonly commandRuns = new Map<string, string>();
  private readonly feed: TriggerFeed;
  private readonly listeners = new Set<() => void>();
  private notifyQueued = false;
  private readonly unsubscribeLive: () => void;
  private unsubscribeAcks: () => void = () => {};
  private timer: ReturnType<typeof setInterval> | null = null;
  private closed = false;
  private started = false;

  constructor(private readonly options: ScenarioEngineOptions) {
    this.store = new RunStore(options.db);
    this.clock = options.clock ?? Date.now;
    this.catalog = new ScenarioCatalog({ dir: options.dir, wall: options.wall, controller: options.controller, alerts: options.alerts, areas: options.areas ?? (() => new Map()), clock: this.clock });
    this.feed = new TriggerFeed(this.catalog, this.clock);
    this.suggestions = new ScenarioSuggestions(this.options.joinKm ?? 25, () => this.changed());
    this.reload();
    this.resumeRuns();
    this.feed.snapshot(options.live.snapshot());
    this.unsubscribeLive = options.live.onBatch((batch) => this.feed.batch(batch));
    const tickMs = options.tickMs ?? 1000;
    if (tickMs > 0) {
      this.timer = setInterval(() => this.tick(this.clock()), tickMs);
      this.timer.unref?.();
    }
    if (options.watch ?? true) this.catalog.watch(() => this.reload());
    this.started = true;
  }

  // -------------------------------------------------------------------------------------------
  // Files

  /** Loads the folder again; scenarios whose rules changed get a fresh trigger engine. */
  reload(): void {
    const { compiled, rulesChanged, removed } = this.catalog.reload();
    // At start the constructor feeds every engine; later, a new or changed engine learns the picture here.
    const snapshot = this.started ? this.options.live.snapshot() : null;
    if (snapshot) for (const triggers of compiled) this.feed.replay(triggers, snapshot);
    // New rules start from nothing: what stood on the old ones waits to fire again.
    for (const name of rulesChanged) this.forgetFirings(name);
    for (const name of [...rulesChanged, ...removed]) this.suggestions.forget(name);
    this.changed();
  }

  private forgetFirings(scenario: string): void {
    for (const open of this.runs.values()) {
      if (open.doc.run.scenario !== scenario || !open.doc.lasting) continue;
      open.firings.clear();
      open.graceUntil = this.clock() + (this.options.resumeGraceMs ?? 5 * 60_000);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Triggers

  /** Evaluates the triggers at `now` and acts on what fired or cleared; also automatic escalation and restart grace. */
  tick(now: number): void {
    for (const { scenario, triggers } of this.catalog.watched()) {
      const { fired, cleared } = triggers.tick(now);
      for (const firing of fired) this.onFired(scenario, placeFiring(scenario, firing, this.feed));
      for (const clear of cleared) this.onCleared(scenario, clear, now);
    }
    for (const open of [...this.runs.values()]) {
      const { run } = open.doc;
      if (run.state !== 'active') continue;
      if (open.graceUntil !== null && now >= open.graceUntil) {
        open.graceUntil = null;
        if (open.firings.size === 0) this.triggerCleared(open, now, { vi: 'Điều kiện kích hoạt không xuất hiện lại trong thời gian chờ (sau khởi động lại hoặc sửa điều kiện)', en: 'The trigger did not fire again in time (after a restart or a change of its rules)' });
        continue;
      }
      const due = open.doc.definition.escalation.filter((e) => e.afterMinutes !== undefined && e.level > run.escalationLevel && now >= run.activatedAt + e.afterMinutes * 60_000).at(-1);
      if (due) this.raiseLevel(open, due.level, 'system', null, now);
    }
  }

  private findRun(scenario: string, incident: ScenarioIncident | null, subjects: readonly string[]): OpenRun | undefined {
    return [...this.runs.values()].find((o) => o.doc.run.scenario === scenario && sameIncident(o.doc.run, { incident, subjects }, this.options.joinKm ?? 25));
  }

  private onFired(scenario: Scenario, placed: PlacedFiring): void {
    const { firing, key, incident, momentary } = placed;
    const open = this.findRun(scenario.name, incident, firing.subjects);
    if (open) {
      const { run } = open.doc;
      if (!momentary) {
        open.firings.add(key);
        open.doc.lasting = true;
      }
      open.graceUntil = null;
      run.subjects = joinSubjects(run.subjects, firing.subjects);
      const lines: LogLine[] = [firedLine(firing)];
      if (run.state === 'awaiting-close') {
        // The condition is back before anyone closed the run: it is active again.
        run.state = 'active';
        run.clearedAt = null;
      }
      this.save(open, lines);
      return;
    }
    const suggestion = this.suggestions.fired(scenario, placed);
    if (suggestion && scenario.activation === 'auto') {
      this.activate({ scenario: scenario.name, suggestionId: suggestion.suggestionId }, SYSTEM).catch((error: Error) => {
        this.options.alerts.raise('warning', `scenario:${scenario.name}`, { vi: `Không tự kích hoạt được kịch bản ${scenario.title.vi}: ${error.message}`, en: `Could not activate scenario ${scenario.title.en} automatically: ${error.message}` });
      });
    }
  }

  private onCleared(scenario: Scenario, clear: Clear, now: number): void {
    const key = firingKey(clear);
    this.suggestions.cleared(scenario.name, key);
    for (const open of this.runs.values()) {
      if (open.doc.run.scenario !== scenario.name || !open.firings.delete(key) || open.firings.size > 0) continue;
      this.triggerCleared(open, Math.max(clear.at, open.doc.run.activatedAt), null, now);
    }
  }

  /** Every firing of the run has cleared: onClear decides (a paused run waits for its resume). */
  private triggerCleared(open: OpenRun, at: number, why: LocalizedText | null, now = this.clock()): void {
    const { run } = open.doc;
    if (run.state !== 'active' && run.state !== 'paused') return;
    run.clearedAt = at;
    const line: LogLine = { kind: 'trigger-cleared', actor: 'system', at, detail: why };
    if (run.state === 'paused') {
      this.save(open, [line]);
      return;
    }
    if (open.doc.definition.onClear === 'revert') {
      this.end(open, 'cleared', 'system', SYSTEM, [line], null, now);
      return;
    }
    run.state = 'awaiting-close';
    this.save(open, [line, { kind: 'awaiting-close', actor: 'system', at: now }]);
  }

  // -------------------------------------------------------------------------------------------
  // Runs

  private resumeRuns(): void {
    const now = this.clock();
    const grace = this.options.resumeGraceMs ?? 5 * 60_000;
    for (const doc of this.store.open()) {
      const open: OpenRun = { doc, firings: new Set(), graceUntil: doc.lasting && doc.run.state === 'active' ? now + grace : null, figures: null };
      this.runs.set(doc.run.runId, open);
      this.wallOrder.push(doc.run.runId);
      for (const step of doc.run.steps) if (step.command) this.commandRuns.set(step.command.id, doc.run.runId);
      this.save(open, [{ kind: 'resumed-after-restart', actor: 'system', at: now }]);
    }
    this.recent = this.store.recent(this.options.recentRuns ?? 20);
    const port = this.options.field();
    if (port) this.reconcileAcks(port);
  }

  private save(open: OpenRun, lines: readonly LogLine[]): ScenarioRun {
    this.store.save(open.doc, lines, this.clock());
    this.changed();
    return structuredClone(open.doc.run);
  }

  private openRun(runId: string): OpenRun {
    const open = this.runs.get(runId);
    if (open) return open;
    if (this.store.get(runId)) throw new ContractError('conflict', `run ${runId} is over`, 'runId');
    throw notFound(`no scenario run "${runId}"`, 'runId');
  }

  private stepOf(open: OpenRun, stepId: string): { def: Scenario['procedure'][number]; state: StepState } {
    const def = open.doc.definition.procedure.find((s) => s.id === stepId);
    const state = open.doc.run.steps.find((s) => s.stepId === stepId);
    if (!def || !state) throw notFound(`scenario ${open.doc.run.scenario} has no step "${stepId}"`, 'stepId');
    return { def, state };
  }

  async activate(request: ScenarioRequest<'activate'>, actor: Actor): Promise<ScenarioRun> {
    const person = request.operator ?? actor.id;
    const scenario = this.catalog.get(request.scenario);
    if (!scenario) throw notFound(`no scenario "${request.scenario}"`, 'scenario');
    const pending = this.suggestions.forActivation(scenario.name, request);
    const incident = request.incident ?? pending?.suggestion.incident ?? null;
    const subjects = pending?.suggestion.subjects ?? [];
    const existing = this.findRun(scenario.name, incident, subjects);
    if (existing) return this.absorb(existing, pending);

    let layout: ReturnType<typeof scenarioTiles>;
    try {
      layout = scenarioTiles(scenario, this.options.controller.presets().map((p) => p.preset));
    } catch (error) {
      throw new ContractError('conflict', (error as Error).message, 'scenario');
    }
    const { tiles, preset } = layout;
    const spatial = this.options.spatial();
    const features = subjects.flatMap((id) => this.feed.place(id)?.location ?? []);
    const view = await focusMap(scenario, tiles, { wall: this.options.wall, incident, features, spatial });
    const cameras = await fillCameras(scenario, tiles, incident, spatial, this.options.live.cameraList());
    // Another activation may have won while the cameras were looked up.
    const raced = this.findRun(scenario.name, incident, subjects);
    if (raced) return this.absorb(raced, pending);

    const now = this.clock();
    const previous = { tiles: structuredClone(this.options.controller.current.tiles), preset: this.options.controller.current.activePreset };
    const label = `scenario ${scenario.name} (${person})`.slice(0, 200);
    const { revision } = this.options.controller.execute({ type: 'apply-layout', tiles, preset, label }, actor);
    const run: ScenarioRun = {
      runId: randomUUID(),
      scenario: scenario.name,
      title: scenario.title,
      state: 'active',
      incident,
      subjects: [...subjects],
      trigger: pending?.suggestion.detail ?? null,
      activatedAt: now,
      activatedBy: person,
      revision,
      escalationLevel: 0,
      handedTo: null,
      pausedAt: null,
      clearedAt: null,
      closedAt: null,
      closedBy: null,
      steps: scenario.procedure.map((step) => ({
        stepId: step.id,
        state: step.automatic ? 'done' : 'pending',
        doneBy: step.automatic ? 'system' : null,
        doneAt: step.automatic ? now : null,
        confirmedBy: null,
        confirmedAt: null,
        note: null,
        command: null,
      })),
    };
    const firings = new Set(pending?.firings ?? []);
    // A banner whose trigger cleared while the layout was being built: the run waits for it to fire again, as after a restart.
    const lasting = pending?.lasting ?? false;
    const graceUntil = lasting && firings.size === 0 ? now + (this.options.resumeGraceMs ?? 5 * 60_000) : null;
    const open: OpenRun = { doc: { run, definition: scenario, previous, resumeTo: null, lasting }, firings, graceUntil, figures: null };
    if (pending) this.suggestions.remove(pending.suggestion.suggestionId);
    this.runs.set(run.runId, open);
    this.wallOrder.push(run.runId);
    const lines: LogLine[] = [
      ...(pending?.fired ?? []),
      {
        kind: 'activated',
        actor: person,
        at: now,
        detail: run.trigger ?? { vi: 'Kích hoạt thủ công', en: 'Activated by hand' },
        data: { revision, incident, cameras, view, suggestionId: pending?.suggestion.suggestionId ?? null },
      },
      ...scenario.procedure.filter((s) => s.automatic).map((s): LogLine => ({ kind: 'step-done', actor: 'system', at: now, stepId: s.id })),
    ];
    const result = this.save(open, lines);
    open.figures = takeActivationFigures(run, scenario, this.options, (figures) =>
      this.store.save(open.doc, [{ kind: 'figures', actor: 'system', at: this.clock(), data: figures as unknown as Record<string, unknown> }], this.clock()),
    )
      .catch((error: Error) => console.error(`ioc-wall: scenario ${scenario.name}: figures not taken: ${error.message}`))
      .finally(() => (open.figures = null));
    return result;
  }

  /** An activation of an incident that already has its run: the suggestion's firings join it. */
  private absorb(open: OpenRun, pending: Pending | undefined): ScenarioRun {
    if (pending) {
      this.suggestions.remove(pending.suggestion.suggestionId);
      for (const key of pending.firings) open.firings.add(key);
      open.doc.lasting ||= pending.lasting;
      open.doc.run.subjects = joinSubjects(open.doc.run.subjects, pending.suggestion.subjects);
      return this.save(open, pending.fired);
    }
    return structuredClone(open.doc.run);
  }

  /**
   * Ends a run and gives the wall back: the run on top restores the layout it took over; one
   * under another run hands its saved layout to the run above it, which restores it in turn.
   */
  private end(open: OpenRun, state: 'cleared' | 'closed', person: string, actor: Actor, lines: LogLine[], note: string | null, now = this.clock()): ScenarioRun {
    const { run } = open.doc;
    const index = this.wallOrder.indexOf(run.runId);
    const out: LogLine[] = [...lines];
    if (index === this.wallOrder.length - 1) {
      try {
        const { revision } = this.options.controller.execute({ type: 'apply-layout', tiles: open.doc.previous.tiles, preset: open.doc.previous.preset, label: `end of scenario ${run.scenario}` }, actor.role === 'display' ? SYSTEM : actor);
        out.push({ kind: 'reverted', actor: person, at: now, data: { revision } });
      } catch (error) {
        this.options.alerts.raise('warning', `scenario:${run.scenario}`, { vi: `Không khôi phục được bố cục trước kịch bản: ${(error as Error).message}`, en: `Could not restore the layout from before the scenario: ${(error as Error).message}` });
      }
    } else if (index >= 0) {
      const above = this.runs.get(this.wallOrder[index + 1]!)!;
      above.doc.previous = open.doc.previous;
      this.store.save(above.doc, [], now);
    }
    if (index >= 0) this.wallOrder.splice(index, 1);
    run.state = state;
    if (state === 'closed') {
      run.closedAt = now;
      run.closedBy = person;
      out.push({ kind: 'closed', actor: person, at: now, detail: note ? { vi: note, en: note } : null });
    }
    run.pausedAt = null;
    open.doc.resumeTo = null;
    this.runs.delete(run.runId);
    this.recent = [open.doc, ...this.recent.filter((d) => d.run.runId !== run.runId)].slice(0, this.options.recentRuns ?? 20);
    return this.save(open, out);
  }

  // -------------------------------------------------------------------------------------------
  // Procedure

  step(request: ScenarioRequest<'step'>, actor: Actor): ScenarioRun {
    const person = request.operator ?? actor.id;
    const open = this.openRun(request.runId);
    const { def, state } = this.stepOf(open, request.stepId);
    const now = this.clock();
    const note = request.note ?? null;
    if (!request.done) {
      if (state.state === 'pending') return structuredClone(open.doc.run);
      Object.assign(state, { state: 'pending', doneBy: null, doneAt: null, confirmedBy: null, confirmedAt: null, note });
      return this.save(open, [{ kind: 'step-reopened', actor: person, at: now, stepId: def.id, detail: note ? { vi: note, en: note } : null }]);
    }
    if (state.state !== 'pending') return structuredClone(open.doc.run);
    Object.assign(state, { state: def.needsConfirmation ? 'awaiting-confirmation' : 'done', doneBy: person, doneAt: now, note });
    return this.save(open, [{ kind: 'step-done', actor: person, at: now, stepId: def.id, detail: note ? { vi: note, en: note } : null, data: { needsConfirmation: def.needsConfirmation } }]);
  }

  confirm(request: ScenarioRequest<'confirm'>, actor: Actor): ScenarioRun {
    const person = request.operator ?? actor.id;
    const open = this.openRun(request.runId);
    const { def, state } = this.stepOf(open, request.stepId);
    if (state.state !== 'awaiting-confirmation') throw new ContractError('conflict', `step ${def.id} is ${state.state}, not awaiting a confirmation`, 'stepId');
    if (state.doneBy === person) throw new ContractError('forbidden', `step ${def.id} needs a second person: ${person} did it and cannot confirm it`, 'operator');
    const now = this.clock();
    Object.assign(state, { state: 'done', confirmedBy: person, confirmedAt: now });
    return this.save(open, [{ kind: 'step-confirmed', actor: person, at: now, stepId: def.id, detail: request.note ? { vi: request.note, en: request.note } : null, data: { doneBy: state.doneBy } }]);
  }

  async command(request: ScenarioRequest<'command'>, actor: Actor): Promise<{ run: ScenarioRun; commandId: string }> {
    const person = request.operator ?? actor.id;
    const open = this.openRun(request.runId);
    const { def, state } = this.stepOf(open, request.stepId);
    if (!def.command) throw new ContractError('invalid', `step ${def.id} sends no command`, 'stepId');
    if (open.doc.run.state === 'paused') throw new ContractError('conflict', 'the run is paused: resume it before sending commands to the field', 'runId');
    if (def.needsConfirmation && state.state !== 'done') throw new ContractError('conflict', `step ${def.id} must be done and confirmed by a second person before its command is sent`, 'stepId');
    if (state.command && state.command.state !== 'rejected') throw new ContractError('conflict', `the command of step ${def.id} was already sent (${state.command.id}, ${state.command.state})`, 'stepId');
    const port = this.options.field();
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
    this.commandRuns.set(command.id, open.doc.run.runId);
    // Recorded before it is sent: an acknowledgement may come back before send() returns.
    this.save(open, lines);
    try {
      await port.send(def.command.gateway, command);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      this.recordAck(command.id, { id: command.id, status: 'rejected', detail, at: this.clock() });
      throw error;
    }
    const current = this.runs.get(open.doc.run.runId)?.doc.run ?? open.doc.run;
    return { run: structuredClone(current), commandId: command.id };
  }

  /** An acknowledgement from a gateway (any command: those of other senders are ignored). */
  recordAck(commandId: string, ack: FieldAck): void {
    const runId = this.commandRuns.get(commandId);
    if (!runId) return;
    const open = this.runs.get(runId) ?? this.recentRun(runId);
    if (!open) return;
    const step = open.doc.run.steps.find((s) => s.command?.id === commandId);
    if (!step?.command || step.command.state !== 'sent') return;
    step.command.state = ack.status;
    step.command.ackAt = ack.at;
    step.command.detail = ack.detail ?? null;
    this.save(open, [{ kind: ack.status === 'done' ? 'command-acknowledged' : 'command-rejected', actor: `gateway:${this.gatewayOf(open, step.stepId)}`, at: ack.at, stepId: step.stepId, detail: ack.detail ? { vi: ack.detail, en: ack.detail } : null, data: { commandId } }]);
  }

  private gatewayOf(open: OpenRun, stepId: string): string {
    return open.doc.definition.procedure.find((s) => s.id === stepId)?.command?.gateway ?? 'unknown';
  }

  /** A run that is over is still told its acknowledgements (the log is evidence). */
  private recentRun(runId: string): OpenRun | undefined {
    const doc = this.recent.find((d) => d.run.runId === runId) ?? this.store.get(runId);
    return doc ? { doc, firings: new Set(), graceUntil: null, figures: null } : undefined;
  }

  /** The host's gateway link: acknowledgements come through it (and those that came while no engine listened, by id). */
  fieldAttached(port: FieldCommandPort | null): void {
    this.unsubscribeAcks();
    this.unsubscribeAcks = port?.onAck((_gateway, ack) => this.recordAck(ack.id, ack)) ?? (() => {});
    if (port) this.reconcileAcks(port);
  }

  private reconcileAcks(port: FieldCommandPort): void {
    const waiting = [...this.commandRuns.keys()].filter((id) => {
      const open = this.runs.get(this.commandRuns.get(id)!);
      return open?.doc.run.steps.some((s) => s.command?.id === id && s.command.state === 'sent');
    });
    if (waiting.length === 0) return;
    for (const id of waiting) {
      const ack = port.ackOf(id);
      if (ack) this.recordAck(id, ack);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Commanders

  escalate(request: ScenarioRequest<'escalate'>, actor: Actor): ScenarioRun {
    const open = this.openRun(request.runId);
    const { run, definition } = open.doc;
    const level = request.level ?? definition.escalation.find((e) => e.level > run.escalationLevel)?.level ?? (definition.escalation.length === 0 ? run.escalationLevel + 1 : undefined);
    if (level === undefined) throw new ContractError('conflict', `run ${run.runId} is already at its highest escalation level (${run.escalationLevel})`, 'level');
    if (level <= run.escalationLevel) throw new ContractError('conflict', `run ${run.runId} is already at level ${run.escalationLevel}`, 'level');
    if (definition.escalation.length > 0 && !definition.escalation.some((e) => e.level === level)) throw new ContractError('invalid', `scenario ${run.scenario} has no escalation level ${level}`, 'level');
    return this.raiseLevel(open, level, request.operator ?? actor.id, request.note ?? null, this.clock());
  }

  private raiseLevel(open: OpenRun, level: number, person: string, note: string | null, now: number): ScenarioRun {
    const { run, definition } = open.doc;
    const def = definition.escalation.find((e) => e.level === level);
    run.escalationLevel = level;
    const title = def?.title ?? { vi: `Mức ${level}`, en: `Level ${level}` };
    this.options.alerts.raise('warning', `scenario:${run.scenario}`, {
      vi: `Kịch bản "${run.title.vi}" nâng lên mức ${level}: ${title.vi}${def ? ` (báo: ${def.notify.join(', ')})` : ''}`,
      en: `Scenario "${run.title.en}" escalated to level ${level}: ${title.en}${def ? ` (notify: ${def.notify.join(', ')})` : ''}`,
    });
    return this.save(open, [{ kind: 'escalated', actor: person, at: now, detail: note ? { vi: `${title.vi} — ${note}`, en: `${title.en} — ${note}` } : title, data: { level, notify: def?.notify ?? [] } }]);
  }

  pause(request: ScenarioRequest<'pause'>, actor: Actor): ScenarioRun {
    const open = this.openRun(request.runId);
    const { run } = open.doc;
    if (run.state === 'paused') return structuredClone(run);
    const now = this.clock();
    open.doc.resumeTo = run.state === 'awaiting-close' ? 'awaiting-close' : 'active';
    run.state = 'paused';
    run.pausedAt = now;
    return this.save(open, [{ kind: 'paused', actor: request.operator ?? actor.id, at: now, detail: request.note ? { vi: request.note, en: request.note } : null }]);
  }

  resume(request: ScenarioRequest<'resume'>, actor: Actor): ScenarioRun {
    const open = this.openRun(request.runId);
    const { run } = open.doc;
    if (run.state !== 'paused') throw new ContractError('conflict', `run ${run.runId} is ${run.state}, not paused`, 'runId');
    const now = this.clock();
    run.state = open.doc.resumeTo ?? 'active';
    run.pausedAt = null;
    open.doc.resumeTo = null;
    const result = this.save(open, [{ kind: 'resumed', actor: request.operator ?? actor.id, at: now, detail: request.note ? { vi: request.note, en: request.note } : null }]);
    // The trigger cleared while it was paused: onClear now.
    if (run.state === 'active' && run.clearedAt !== null && open.firings.size === 0 && open.doc.lasting) {
      if (open.doc.definition.onClear === 'revert') return this.end(open, 'cleared', 'system', SYSTEM, [], null, now);
      run.state = 'awaiting-close';
      return this.save(open, [{ kind: 'awaiting-close', actor: 'system', at: now }]);
    }
    return result;
  }

  handover(request: ScenarioRequest<'handover'>, actor: Actor): ScenarioRun {
    const open = this.openRun(request.runId);
    const { run } = open.doc;
    const from = run.handedTo ?? run.activatedBy;
    if (request.to === from) throw new ContractError('conflict', `${request.to} is already in charge of run ${run.runId}`, 'to');
    run.handedTo = request.to;
    const note = request.note ? ` — ${request.note}` : '';
    return this.save(open, [{ kind: 'handed-over', actor: request.operator ?? actor.id, at: this.clock(), detail: { vi: `${from} bàn giao cho ${request.to}${note}`, en: `${from} handed over to ${request.to}${note}` }, data: { from, to: request.to } }]);
  }

  close(request: ScenarioRequest<'close'>, actor: Actor): ScenarioRun {
    const open = this.openRun(request.runId);
    return this.end(open, 'closed', request.operator ?? actor.id, actor, [], request.note ?? null);
  }

  dismiss(request: ScenarioRequest<'dismiss'>, _actor: Actor): void {
    this.suggestions.dismiss(request.suggestionId);
  }

  // -------------------------------------------------------------------------------------------
  // Reading

  list(): ResponseOf<'scenarios.list'> {
    return this.catalog.list();
  }

  picture(): ScenariosPicture {
    const open = [...this.runs.values()].map((o) => o.doc.run).sort((a, b) => b.activatedAt - a.activatedAt);
    return { suggestions: this.suggestions.shown(), runs: structuredClone([...open, ...this.recent.map((d) => d.run)]) };
  }

  log(runId: string): RunLogEntry[] {
    if (!this.runs.has(runId) && !this.store.get(runId)) throw notFound(`no scenario run "${runId}"`, 'runId');
    return this.store.log(runId);
  }

  async report(runId: string): Promise<{ html: string; fileName: string }> {
    await this.runs.get(runId)?.figures;
    const doc = this.runs.get(runId)?.doc ?? this.store.get(runId);
    if (!doc) throw notFound(`no scenario run "${runId}"`, 'runId');
    const figures = (this.store.lastOfKind(runId, 'figures')?.data ?? null) as ActivationFigures | null;
    const html = renderAfterActionReport(doc, this.store.log(runId), figures, this.clock());
    const day = new Date(doc.run.activatedAt + 7 * 3_600_000).toISOString().slice(0, 10);
    return { html, fileName: `bao-cao-${doc.run.scenario}-${day}-${doc.run.runId.slice(0, 8)}.html` };
  }

  /** Resolves once the figures of every activation so far are written. */
  async idle(): Promise<void> {
    await Promise.all([...this.runs.values()].map((o) => o.figures));
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    if (this.notifyQueued) return;
    this.notifyQueued = true;
    // One scenarios.changed for everything one tick or request changed.
    queueMicrotask(() => {
      this.notifyQueued = false;
      if (!this.closed) this.listeners.forEach((l) => l());
    });
  }

  /** Stops the timer, the folder watch and the subscriptions (the host is shutting down). */
  dispose(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.catalog.dispose();
    this.unsubscribeLive();
    this.unsubscribeAcks();
  }
}

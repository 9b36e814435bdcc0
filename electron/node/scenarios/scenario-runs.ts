/**
 * Scenario runs from activation to their end. A run applies its layout to the whole wall as one
 * revision (map at the incident, nearest cameras in the grid), tracks the procedure (who did
 * which step when, the two-person rule), escalation, pause, handover, and ends on the trigger's
 * clear (onClear) or a person's close, giving the wall back the layout it had. Every change is
 * saved with its log line through RunStore, so runs carry on after a restart.
 */
import { randomUUID } from 'node:crypto';
import { ContractError, runPersonName, type Actor, type LocalizedText, type RunLogEntry, type ScenarioIncident, type ScenarioRequest, type ScenarioRun, type StepState, type WallDefinition } from '../../../native-bridge/contract.js';
import type { Scenario } from '../../../native-bridge/scenario-files.js';
import type { AuditSink, DutyRoster } from '../../common/ports.js';
import type { AlertService } from '../alert-service.js';
import type { Db } from '../database.js';
import type { LiveState } from '../live/live-state.js';
import type { WallController } from '../wall-controller.js';
import { renderAfterActionReport, type ActivationFigures } from './after-action-report.js';
import { RunStore, type LogLine, type RunDocument } from './run-store.js';
import { takeActivationFigures, type FigureSources } from './scenario-figures.js';
import { firedLine, joinSubjects, sameIncident, type PlacedFiring } from './scenario-incident.js';
import { fillCameras, focusMap, scenarioTiles } from './scenario-layout.js';
import type { Pending, ScenarioSuggestions } from './scenario-suggestions.js';
import type { TriggerFeed } from './trigger-feed.js';

export const SYSTEM: Actor = { id: 'system', role: 'system' };

export interface ScenarioRunsOptions extends FigureSources {
  db: Db;
  wall: WallDefinition;
  controller: WallController;
  live: LiveState;
  alerts: AlertService;
  audit?: AuditSink | undefined;
  /** Who is on shift: an automatic activation puts them in charge (absent: nobody is known). */
  duty?: DutyRoster | undefined;
  /** Where the subjects of a suggestion are (the map frames them). */
  feed: TriggerFeed;
  /** An activation takes up its suggestion. */
  suggestions: ScenarioSuggestions;
  clock: () => number;
  /** After a restart or a rules change, a run whose trigger is not seen again within this time counts as cleared. */
  resumeGraceMs: number;
  /** Firings this close to an open run of their scenario join it (sameIncident). */
  joinKm: number;
  /** Runs that are over kept in the picture. */
  recentRuns: number;
  changed: () => void;
}

export interface OpenRun {
  doc: RunDocument;
  /** Open trigger firings this run stands on ("<rule>|<subjects>"); empty = cleared. */
  firings: Set<string>;
  /** After a restart or a rules change: when to give up waiting for the trigger to fire again. */
  graceUntil: number | null;
  /** Figures being taken at activation (the report waits for them). */
  figures: Promise<void> | null;
}

const noRun = (runId: string) => new ContractError('not-found', `no scenario run "${runId}"`, 'runId');
/** A person's note or a gateway's detail: the same text in both languages. */
export const noteText = (note: string | null | undefined): LocalizedText | null => (note ? { vi: note, en: note } : null);

/** Procedure steps not done yet (pending, or waiting for a second person). */
const openSteps = (run: ScenarioRun): number => run.steps.filter((s) => s.state !== 'done').length;

const ROLE_TEXT = { commander: { vi: 'chỉ huy', en: 'commander' }, operator: { vi: 'trực ban', en: 'duty operator' } } as const;

export class ScenarioRuns {
  private readonly store: RunStore;
  private readonly runs = new Map<string, OpenRun>();
  /** Runs on the wall in the order they took it: the last one's layout is what the wall shows. */
  private readonly wallOrder: string[] = [];
  private recent: RunDocument[] = [];

  constructor(private readonly options: ScenarioRunsOptions) {
    this.store = new RunStore(options.db, options.audit);
  }

  /** Takes up the runs that were open when the host stopped (or that a pair's peer drove until a takeover); returns them. */
  resumeAfterRestart(): RunDocument[] {
    const now = this.options.clock();
    const docs = this.store.open().filter((doc) => !this.runs.has(doc.run.runId));
    for (const doc of docs) {
      const open: OpenRun = { doc, firings: new Set(), graceUntil: doc.lasting && doc.run.state === 'active' ? now + this.options.resumeGraceMs : null, figures: null };
      this.runs.set(doc.run.runId, open);
      this.wallOrder.push(doc.run.runId);
      this.save(doc, [{ kind: 'resumed-after-restart', actor: 'system', at: now }]);
    }
    this.recent = this.store.recent(this.options.recentRuns);
    return docs;
  }

  /** This node no longer drives the wall (a pair's switchover): the runs go on on the other node, and come back from its copy. */
  standDown(): void {
    this.runs.clear();
    this.wallOrder.length = 0;
  }

  /** Persists a change; `actor` (the account that made it) is remembered by name for the people who read the run. */
  save(doc: RunDocument, lines: readonly LogLine[], actor?: Actor): ScenarioRun {
    if (actor?.name) doc.run.people[actor.id] = actor.name;
    this.store.save(doc, lines, this.options.clock());
    this.options.changed();
    return structuredClone(doc.run);
  }

  get(runId: string): OpenRun | undefined {
    return this.runs.get(runId);
  }

  /** A run that is over too (its log is evidence: it is still told what comes back from the field). */
  documentOf(runId: string): RunDocument | undefined {
    return this.runs.get(runId)?.doc ?? this.recent.find((d) => d.run.runId === runId) ?? this.store.get(runId);
  }

  openRun(runId: string): OpenRun {
    const open = this.runs.get(runId);
    if (open) return open;
    if (this.store.get(runId)) throw new ContractError('conflict', `run ${runId} is over`, 'runId');
    throw noRun(runId);
  }

  stepOf(doc: RunDocument, stepId: string): { def: Scenario['procedure'][number]; state: StepState } {
    const def = doc.definition.procedure.find((s) => s.id === stepId);
    const state = doc.run.steps.find((s) => s.stepId === stepId);
    if (!def || !state) throw new ContractError('not-found', `scenario ${doc.run.scenario} has no step "${stepId}"`, 'stepId');
    return { def, state };
  }

  private find(scenario: string, incident: ScenarioIncident | null, subjects: readonly string[]): OpenRun | undefined {
    return [...this.runs.values()].find((o) => o.doc.run.scenario === scenario && sameIncident(o.doc.run, { incident, subjects }, this.options.joinKm));
  }

  // -------------------------------------------------------------------------------------------
  // Triggers

  /** A firing of an incident that has its run joins it; false when none has. */
  joinFiring(scenario: string, { firing, key, incident, momentary }: PlacedFiring): boolean {
    const open = this.find(scenario, incident, firing.subjects);
    if (!open) return false;
    const { run } = open.doc;
    if (!momentary) {
      open.firings.add(key);
      open.doc.lasting = true;
    }
    open.graceUntil = null;
    run.subjects = joinSubjects(run.subjects, firing.subjects);
    if (run.state === 'awaiting-close') {
      // The condition is back before anyone closed the run: it is active again.
      run.state = 'active';
      run.clearedAt = null;
    }
    // Back during the countdown: the wall stays, nobody needs to keep it.
    if (run.revertAt !== null) {
      run.revertAt = null;
      run.clearedAt = null;
    }
    this.save(open.doc, [firedLine(firing)]);
    return true;
  }

  /** A firing of the scenario cleared (at `at`): a run left with none goes by its onClear. */
  cleared(scenario: string, key: string, at: number, now: number): void {
    for (const open of this.runs.values()) {
      if (open.doc.run.scenario !== scenario || !open.firings.delete(key) || open.firings.size > 0) continue;
      this.triggerCleared(open, Math.max(at, open.doc.run.activatedAt), null, now);
    }
  }

  /** New rules start from nothing: a run that stood on the old ones waits for them to fire, as after a restart. */
  rulesChanged(scenario: string): void {
    for (const open of this.runs.values()) {
      if (open.doc.run.scenario !== scenario || !open.doc.lasting) continue;
      open.firings.clear();
      open.graceUntil = this.options.clock() + this.options.resumeGraceMs;
    }
  }

  /** Restart grace and automatic escalation at `now`. */
  tick(now: number): void {
    for (const open of [...this.runs.values()]) {
      const { run } = open.doc;
      if (run.state !== 'active') continue;
      if (run.revertAt !== null) {
        if (now >= run.revertAt) this.end(open, 'cleared', 'system', SYSTEM, [], null, now);
        continue;
      }
      if (open.graceUntil !== null && now >= open.graceUntil) {
        open.graceUntil = null;
        if (open.firings.size === 0) this.triggerCleared(open, now, { vi: 'Điều kiện kích hoạt không xuất hiện lại trong thời gian chờ (sau khởi động lại hoặc sửa điều kiện)', en: 'The trigger did not fire again in time (after a restart or a change of its rules)' }, now);
        continue;
      }
      const due = open.doc.definition.escalation.filter((e) => e.afterMinutes !== undefined && e.level > run.escalationLevel && now >= run.activatedAt + e.afterMinutes * 60_000).at(-1);
      if (due) this.raiseLevel(open, due.level, SYSTEM, null, now);
    }
  }

  /** Every firing of the run has cleared: onClear decides (a paused run waits for its resume). */
  private triggerCleared(open: OpenRun, at: number, why: LocalizedText | null, now = this.options.clock()): void {
    const { run } = open.doc;
    if (run.state !== 'active' && run.state !== 'paused') return;
    run.clearedAt = at;
    const line: LogLine = { kind: 'trigger-cleared', actor: 'system', at, detail: why };
    if (run.state === 'paused') {
      this.save(open.doc, [line]);
      return;
    }
    this.applyOnClear(open, [line], now);
  }

  /**
   * The run's trigger has cleared and it is not paused. stay-until-closed: it waits for a person.
   * revert: at once when every step is done; with steps still open the commander is asked first —
   * a countdown (revertCountdownSeconds) during which they may keep the wall, told in an alert.
   */
  private applyOnClear(open: OpenRun, lines: LogLine[], now: number): ScenarioRun {
    const { run, definition } = open.doc;
    if (definition.onClear === 'stay-until-closed') {
      run.state = 'awaiting-close';
      return this.save(open.doc, [...lines, { kind: 'awaiting-close', actor: 'system', at: now }]);
    }
    const open_ = openSteps(run);
    const seconds = definition.revertCountdownSeconds;
    if (open_ === 0 || seconds === 0) return this.end(open, 'cleared', 'system', SYSTEM, lines, null, now);
    run.revertAt = now + seconds * 1000;
    const wait = seconds % 60 === 0 ? { vi: `${seconds / 60} phút`, en: `${seconds / 60} min` } : { vi: `${seconds} giây`, en: `${seconds} s` };
    const detail = {
      vi: `Điều kiện kích hoạt đã hết nhưng còn ${open_} bước chưa xong: tường sẽ trở về bố cục trước sau ${wait.vi}, trừ khi giữ lại`,
      en: `The trigger cleared with ${open_} step(s) still open: the wall goes back in ${wait.en} unless it is kept`,
    };
    this.options.alerts.raise('warning', `scenario:${run.scenario}`, { vi: `Kịch bản "${run.title.vi}": ${detail.vi}`, en: `Scenario "${run.title.en}": ${detail.en}` }, run.incident?.commune ?? null);
    return this.save(open.doc, [...lines, { kind: 'revert-pending', actor: 'system', at: now, detail, data: { revertAt: run.revertAt, openSteps: open_ } }]);
  }

  /** A commander keeps the scenario's wall during the countdown: the run stays until someone closes it. */
  keep(request: ScenarioRequest<'keep'>, actor: Actor): ScenarioRun {
    const { doc } = this.openRun(request.runId);
    const { run } = doc;
    if (run.revertAt === null) throw new ContractError('conflict', `run ${run.runId} is not counting down to a revert (state ${run.state})`, 'runId');
    run.revertAt = null;
    run.state = 'awaiting-close';
    const now = this.options.clock();
    return this.save(doc, [{ kind: 'wall-kept', actor: actor.id, at: now, detail: noteText(request.note) }, { kind: 'awaiting-close', actor: 'system', at: now }], actor);
  }

  // -------------------------------------------------------------------------------------------
  // Activation and end

  /** Activates the scenario for the incident, taking up the suggestion if any (an incident that has its run already joins it). */
  async activate(scenario: Scenario, pending: Pending | undefined, request: ScenarioRequest<'activate'>, actor: Actor): Promise<ScenarioRun> {
    const person = actor.id;
    const incident = request.incident ?? pending?.suggestion.incident ?? null;
    const subjects = pending?.suggestion.subjects ?? [];
    const existing = this.find(scenario.name, incident, subjects);
    if (existing) return this.absorb(existing, pending);

    let layout: ReturnType<typeof scenarioTiles>;
    try {
      layout = scenarioTiles(scenario, this.options.controller.presets().map((p) => p.preset));
    } catch (error) {
      throw new ContractError('conflict', (error as Error).message, 'scenario');
    }
    const { tiles, preset } = layout;
    const spatial = this.options.spatial();
    const features = subjects.flatMap((id) => this.options.feed.place(id)?.location ?? []);
    const view = await focusMap(scenario, tiles, { wall: this.options.wall, incident, features, spatial });
    const cameras = await fillCameras(scenario, tiles, incident, spatial, this.options.live.cameraList());
    // Another activation may have won while the cameras were looked up.
    const raced = this.find(scenario.name, incident, subjects);
    if (raced) return this.absorb(raced, pending);

    const now = this.options.clock();
    const { controller } = this.options;
    const previous = { tiles: structuredClone(controller.current.tiles), preset: controller.current.activePreset };
    const label = `scenario ${scenario.name} (${person})`.slice(0, 200);
    const { revision } = controller.execute({ type: 'apply-layout', tiles, preset, label }, actor);
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
      revertAt: null,
      people: actor.name ? { [actor.id]: actor.name } : {},
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
    const graceUntil = lasting && firings.size === 0 ? now + this.options.resumeGraceMs : null;
    const open: OpenRun = { doc: { run, definition: scenario, previous, resumeTo: null, lasting }, firings, graceUntil, figures: null };
    if (pending) this.options.suggestions.remove(pending.suggestion.suggestionId);
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
    if (actor.id === SYSTEM.id) lines.push(this.assignOnDuty(run, now));
    const result = this.save(open.doc, lines);
    open.figures = takeActivationFigures(run, scenario, this.options, (figures) =>
      this.store.save(open.doc, [{ kind: 'figures', actor: 'system', at: this.options.clock(), data: figures as unknown as Record<string, unknown> }], this.options.clock()),
    )
      .catch((error: Error) => console.error(`ioc-wall: scenario ${scenario.name}: figures not taken: ${error.message}`))
      .finally(() => (open.figures = null));
    return result;
  }

  /**
   * A run that started by itself gets a person in charge: the commander (else operator) signed in
   * now whose scope covers the incident, told in an alert; with nobody signed in, the alert asks
   * for someone to take it (a handover to themselves).
   */
  private assignOnDuty(run: ScenarioRun, now: number): LogLine {
    const commune = run.incident?.commune ?? null;
    const person = this.options.duty?.onDuty(commune) ?? null;
    const where = commune ? { vi: ` tại ${commune}`, en: ` in ${commune}` } : { vi: '', en: '' };
    if (!person) {
      const detail = { vi: 'Tự kích hoạt khi không có ai trực: cần một người nhận phụ trách', en: 'Started by itself with nobody on duty: someone must take charge' };
      this.options.alerts.raise('critical', `scenario:${run.scenario}`, { vi: `Kịch bản "${run.title.vi}"${where.vi} tự kích hoạt, chưa có người phụ trách: chỉ huy trực hãy nhận phụ trách`, en: `Scenario "${run.title.en}"${where.en} started by itself with nobody in charge: the commander on duty must take charge` }, commune);
      return { kind: 'handed-over', actor: 'system', at: now, detail, data: { from: 'system', to: null } };
    }
    run.handedTo = person.fullName;
    run.people[person.id] = person.fullName;
    const role = ROLE_TEXT[person.role];
    this.options.alerts.raise('warning', `scenario:${run.scenario}`, { vi: `Kịch bản "${run.title.vi}"${where.vi} tự kích hoạt: giao ${person.fullName} (${role.vi} đang trực) phụ trách`, en: `Scenario "${run.title.en}"${where.en} started by itself: ${person.fullName} (${role.en} on duty) is in charge` }, commune);
    return { kind: 'handed-over', actor: 'system', at: now, detail: { vi: `Giao người đang trực phụ trách: ${person.fullName} (${role.vi})`, en: `Put the person on duty in charge: ${person.fullName} (${role.en})` }, data: { from: 'system', to: person.fullName, accountId: person.id } };
  }

  /** An activation of an incident that already has its run: the suggestion's firings join it. */
  private absorb(open: OpenRun, pending: Pending | undefined): ScenarioRun {
    if (!pending) return structuredClone(open.doc.run);
    this.options.suggestions.remove(pending.suggestion.suggestionId);
    for (const key of pending.firings) open.firings.add(key);
    open.doc.lasting ||= pending.lasting;
    open.doc.run.subjects = joinSubjects(open.doc.run.subjects, pending.suggestion.subjects);
    return this.save(open.doc, pending.fired);
  }

  /**
   * Ends a run and gives the wall back: the run on top restores the layout it took over; one
   * under another run hands its saved layout to the run above it, which restores it in turn.
   */
  private end(open: OpenRun, state: 'cleared' | 'closed', person: string, actor: Actor, lines: LogLine[], note: string | null, now = this.options.clock()): ScenarioRun {
    const { run } = open.doc;
    const index = this.wallOrder.indexOf(run.runId);
    const out: LogLine[] = [...lines];
    if (index === this.wallOrder.length - 1) {
      try {
        const { revision } = this.options.controller.execute({ type: 'apply-layout', tiles: open.doc.previous.tiles, preset: open.doc.previous.preset, label: `end of scenario ${run.scenario}` }, actor.role === 'display' ? SYSTEM : actor);
        out.push({ kind: 'reverted', actor: person, at: now, data: { revision } });
      } catch (error) {
        this.options.alerts.raise('warning', `scenario:${run.scenario}`, { vi: `Không khôi phục được bố cục trước kịch bản: ${(error as Error).message}`, en: `Could not restore the layout from before the scenario: ${(error as Error).message}` }, run.incident?.commune ?? null);
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
      out.push({ kind: 'closed', actor: person, at: now, detail: noteText(note) });
    }
    run.pausedAt = null;
    run.revertAt = null;
    open.doc.resumeTo = null;
    this.runs.delete(run.runId);
    this.recent = [open.doc, ...this.recent.filter((d) => d.run.runId !== run.runId)].slice(0, this.options.recentRuns);
    return this.save(open.doc, out, actor);
  }

  // -------------------------------------------------------------------------------------------
  // Procedure

  step(request: ScenarioRequest<'step'>, actor: Actor): ScenarioRun {
    const person = actor.id;
    const { doc } = this.openRun(request.runId);
    const { def, state } = this.stepOf(doc, request.stepId);
    const now = this.options.clock();
    const note = request.note ?? null;
    if (!request.done) {
      if (state.state === 'pending') return structuredClone(doc.run);
      Object.assign(state, { state: 'pending', doneBy: null, doneAt: null, confirmedBy: null, confirmedAt: null, note });
      return this.save(doc, [{ kind: 'step-reopened', actor: person, at: now, stepId: def.id, detail: noteText(note) }], actor);
    }
    if (state.state !== 'pending') return structuredClone(doc.run);
    Object.assign(state, { state: def.needsConfirmation ? 'awaiting-confirmation' : 'done', doneBy: person, doneAt: now, note });
    return this.save(doc, [{ kind: 'step-done', actor: person, at: now, stepId: def.id, detail: noteText(note), data: { needsConfirmation: def.needsConfirmation } }], actor);
  }

  confirm(request: ScenarioRequest<'confirm'>, actor: Actor): ScenarioRun {
    const person = actor.id;
    const { doc } = this.openRun(request.runId);
    const { def, state } = this.stepOf(doc, request.stepId);
    if (state.state !== 'awaiting-confirmation') throw new ContractError('conflict', `step ${def.id} is ${state.state}, not awaiting a confirmation`, 'stepId');
    // the two-person rule is two accounts: the one that did the step cannot confirm it, on any session
    if (state.doneBy === person) throw new ContractError('forbidden', `step ${def.id} needs a second person: ${actor.name ?? person} did it and cannot confirm it; another signed-in account must`, 'stepId');
    const now = this.options.clock();
    Object.assign(state, { state: 'done', confirmedBy: person, confirmedAt: now });
    return this.save(doc, [{ kind: 'step-confirmed', actor: person, at: now, stepId: def.id, detail: noteText(request.note), data: { doneBy: state.doneBy } }], actor);
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
    return this.raiseLevel(open, level, actor, request.note ?? null, this.options.clock());
  }

  private raiseLevel(open: OpenRun, level: number, actor: Actor, note: string | null, now: number): ScenarioRun {
    const { run, definition } = open.doc;
    const def = definition.escalation.find((e) => e.level === level);
    run.escalationLevel = level;
    const title = def?.title ?? { vi: `Mức ${level}`, en: `Level ${level}` };
    this.options.alerts.raise('warning', `scenario:${run.scenario}`, {
      vi: `Kịch bản "${run.title.vi}" nâng lên mức ${level}: ${title.vi}${def ? ` (báo: ${def.notify.join(', ')})` : ''}`,
      en: `Scenario "${run.title.en}" escalated to level ${level}: ${title.en}${def ? ` (notify: ${def.notify.join(', ')})` : ''}`,
    }, run.incident?.commune ?? null);
    return this.save(open.doc, [{ kind: 'escalated', actor: actor.id, at: now, detail: note ? { vi: `${title.vi} — ${note}`, en: `${title.en} — ${note}` } : title, data: { level, notify: def?.notify ?? [] } }], actor);
  }

  pause(request: ScenarioRequest<'pause'>, actor: Actor): ScenarioRun {
    const { doc } = this.openRun(request.runId);
    const { run } = doc;
    if (run.state === 'paused') return structuredClone(run);
    const now = this.options.clock();
    doc.resumeTo = run.state === 'awaiting-close' ? 'awaiting-close' : 'active';
    // a pause holds the automatic end on clear: the countdown starts again on resume
    run.revertAt = null;
    run.state = 'paused';
    run.pausedAt = now;
    return this.save(doc, [{ kind: 'paused', actor: actor.id, at: now, detail: noteText(request.note) }], actor);
  }

  resume(request: ScenarioRequest<'resume'>, actor: Actor): ScenarioRun {
    const open = this.openRun(request.runId);
    const { run } = open.doc;
    if (run.state !== 'paused') throw new ContractError('conflict', `run ${run.runId} is ${run.state}, not paused`, 'runId');
    const now = this.options.clock();
    run.state = open.doc.resumeTo ?? 'active';
    run.pausedAt = null;
    open.doc.resumeTo = null;
    const result = this.save(open.doc, [{ kind: 'resumed', actor: actor.id, at: now, detail: noteText(request.note) }], actor);
    // The trigger cleared while it was paused: onClear now.
    if (run.state === 'active' && run.clearedAt !== null && open.firings.size === 0 && open.doc.lasting) return this.applyOnClear(open, [], now);
    return result;
  }

  handover(request: ScenarioRequest<'handover'>, actor: Actor): ScenarioRun {
    const { doc } = this.openRun(request.runId);
    const { run } = doc;
    const from = run.handedTo ?? runPersonName(run, run.activatedBy, 'hệ thống');
    if (request.to === from) throw new ContractError('conflict', `${request.to} is already in charge of run ${run.runId}`, 'to');
    run.handedTo = request.to;
    const note = request.note ? ` — ${request.note}` : '';
    return this.save(doc, [{ kind: 'handed-over', actor: actor.id, at: this.options.clock(), detail: { vi: `${from} bàn giao cho ${request.to}${note}`, en: `${from} handed over to ${request.to}${note}` }, data: { from, to: request.to } }], actor);
  }

  close(request: ScenarioRequest<'close'>, actor: Actor): ScenarioRun {
    return this.end(this.openRun(request.runId), 'closed', actor.id, actor, [], request.note ?? null);
  }

  // -------------------------------------------------------------------------------------------
  // Reading

  /** Open runs, latest activation first, then the recent ones that are over. */
  shown(): ScenarioRun[] {
    const open = [...this.runs.values()].map((o) => o.doc.run).sort((a, b) => b.activatedAt - a.activatedAt);
    return structuredClone([...open, ...this.recent.map((d) => d.run)]);
  }

  log(runId: string): RunLogEntry[] {
    if (!this.runs.has(runId) && !this.store.get(runId)) throw noRun(runId);
    return this.store.log(runId);
  }

  async report(runId: string): Promise<{ html: string; fileName: string }> {
    await this.runs.get(runId)?.figures;
    const doc = this.runs.get(runId)?.doc ?? this.store.get(runId);
    if (!doc) throw noRun(runId);
    const figures = (this.store.lastOfKind(runId, 'figures')?.data ?? null) as ActivationFigures | null;
    const html = renderAfterActionReport(doc, this.store.log(runId), figures, this.options.clock());
    const day = new Date(doc.run.activatedAt + 7 * 3_600_000).toISOString().slice(0, 10);
    return { html, fileName: `bao-cao-${doc.run.scenario}-${day}-${doc.run.runId.slice(0, 8)}.html` };
  }

  /** Resolves once the figures of every activation so far are written. */
  async idle(): Promise<void> {
    await Promise.all([...this.runs.values()].map((o) => o.figures));
  }
}

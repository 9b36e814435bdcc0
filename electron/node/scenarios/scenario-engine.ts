/**
 * The host's scenario engine. Evaluates every scenario's triggers on the live picture once a
 * second, and turns firings into suggestions (the console's banner) or, for `activation: auto`,
 * into runs. It composes the parts that do the work: the scenario folder and its compiled rules
 * (ScenarioCatalog), the banners (ScenarioSuggestions), the runs and their log (ScenarioRuns), and
 * the runs' field commands (ScenarioFieldRelay).
 */
import { ContractError, type Actor, type ResponseOf, type RunLogEntry, type ScenarioRequest, type ScenarioRun, type ScenariosPicture, type WallDefinition } from '../../../native-bridge/contract.js';
import type { Scenario } from '../../../native-bridge/scenario-files.js';
import type { PolygonCoordinates } from '../../../native-bridge/spatial-query.js';
import type { Firing } from '../../common/trigger-engine.js';
import type { AuditSink, DutyRoster, FieldAck, FieldCommandPort, IndicatorValuesPort, ScenarioService, SpatialQueryPort } from '../../common/ports.js';
import type { AlertService } from '../alert-service.js';
import type { Db } from '../database.js';
import type { LiveState } from '../live/live-state.js';
import type { WallController } from '../wall-controller.js';
import { folderReloadEvent } from '../audit/audit-events.js';
import { ScenarioCatalog } from './scenario-catalog.js';
import { ScenarioFieldRelay } from './scenario-field-relay.js';
import { firingKey, placeFiring } from './scenario-incident.js';
import { SYSTEM, ScenarioRuns } from './scenario-runs.js';
import { ScenarioSuggestions } from './scenario-suggestions.js';
import { TriggerFeed } from './trigger-feed.js';

export interface ScenarioEngineOptions {
  dir: string;
  wall: WallDefinition;
  controller: WallController;
  live: LiveState;
  db: Db;
  alerts: AlertService;
  /** Activations, steps, confirmations, commands and closes, and folder reloads, go to the audit log. */
  audit?: AuditSink;
  /** Who is on shift, put in charge of a run that starts by itself. */
  duty?: DutyRoster;
  /** The host's links, attached later than the engine starts (null = not running). */
  field: () => FieldCommandPort | null;
  spatial: () => SpatialQueryPort | null;
  /** The indicator service, for the values of the scenario's indicators at activation (null = not running). */
  indicators: () => IndicatorValuesPort | null;
  /**
   * This node drives the wall (a pair's passive node does not): only then does the engine hold the
   * open runs, evaluate triggers and act. A standby's runs are the active node's, copied
   * (pair/run-feed.ts); it takes them up on the first tick after it starts driving. Default: always.
   */
  serving?: () => boolean;
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

export class ScenarioEngine implements ScenarioService {
  private readonly clock: () => number;
  private readonly catalog: ScenarioCatalog;
  private readonly feed: TriggerFeed;
  private readonly suggestions: ScenarioSuggestions;
  private readonly runs: ScenarioRuns;
  private readonly relay: ScenarioFieldRelay;
  private readonly listeners = new Set<() => void>();
  private notifyQueued = false;
  private readonly unsubscribeLive: () => void;
  private timer: ReturnType<typeof setInterval> | null = null;
  private closed = false;
  private started = false;
  /** The open runs are held here (this node drives the wall). */
  private holding = false;

  constructor(private readonly options: ScenarioEngineOptions) {
    const { db, wall, controller, live, alerts, spatial, indicators } = options;
    const clock = options.clock ?? Date.now;
    const changed = () => this.changed();
    const joinKm = options.joinKm ?? 25;
    this.clock = clock;
    const names = (id: string) => live.sensor(id)?.name ?? live.object(id)?.name ?? live.event(id)?.title.vi;
    this.catalog = new ScenarioCatalog({ dir: options.dir, wall, controller, alerts, areas: options.areas ?? (() => new Map()), names, clock });
    this.feed = new TriggerFeed(this.catalog, live, clock);
    this.suggestions = new ScenarioSuggestions(joinKm, changed);
    this.runs = new ScenarioRuns({ db, wall, controller, live, alerts, spatial, indicators, feed: this.feed, suggestions: this.suggestions, audit: options.audit, duty: options.duty, clock, resumeGraceMs: options.resumeGraceMs ?? 5 * 60_000, joinKm, recentRuns: options.recentRuns ?? 20, changed });
    this.relay = new ScenarioFieldRelay(this.runs, options.field, clock);
    this.reload();
    this.drives();
    this.feed.replay();
    this.unsubscribeLive = live.onChanges((changes) => this.feed.apply(changes));
    const tickMs = options.tickMs ?? 1000;
    if (tickMs > 0) {
      this.timer = setInterval(() => this.tick(this.clock()), tickMs);
      this.timer.unref?.();
    }
    if (options.watch ?? true) this.catalog.watch(() => this.reload());
    this.started = true;
  }

  /** Loads the folder again; scenarios whose rules changed get a fresh trigger engine. */
  reload(): void {
    const { compiled, rulesChanged, removed } = this.catalog.reload();
    // At start the constructor feeds every engine; later, a new or changed engine learns the picture here.
    if (this.started) for (const triggers of compiled) this.feed.replay(triggers);
    // New rules start from nothing: what stood on the old ones waits to fire again.
    for (const name of rulesChanged) this.runs.rulesChanged(name);
    for (const name of [...rulesChanged, ...removed]) this.suggestions.forget(name);
    if (this.started) this.options.audit?.record(folderReloadEvent('scenarios', this.options.dir, this.catalog.list()));
    this.changed();
  }

  /** Evaluates the triggers at `now` and acts on what fired or cleared; also automatic escalation and restart grace. */
  tick(now: number): void {
    if (!this.drives()) return;
    for (const { scenario, triggers } of this.catalog.watched()) {
      const { fired, cleared } = triggers.tick(now);
      for (const firing of fired) this.fired(scenario, firing);
      for (const clear of cleared) {
        const key = firingKey(clear);
        this.suggestions.cleared(scenario.name, key);
        this.runs.cleared(scenario.name, key, clear.at, now);
      }
    }
    this.runs.tick(now);
  }

  /** Takes up the stored open runs when this node starts driving the wall, and lets them go when it stops. */
  private drives(): boolean {
    const serving = this.options.serving?.() ?? true;
    if (serving && !this.holding) {
      this.holding = true;
      this.relay.resumeAfterRestart(this.runs.resumeAfterRestart());
      this.changed();
    } else if (!serving && this.holding) {
      this.holding = false;
      this.runs.standDown();
      this.changed();
    }
    return serving;
  }

  /** A firing joins the open run of its incident, or else its suggestion, or makes a new suggestion. */
  private fired(scenario: Scenario, firing: Firing): void {
    const placed = placeFiring(scenario, firing, this.feed);
    if (this.runs.joinFiring(scenario.name, placed)) return;
    const suggestion = this.suggestions.fired(scenario, placed);
    if (suggestion && scenario.activation === 'auto') {
      this.activate({ scenario: scenario.name, suggestionId: suggestion.suggestionId }, SYSTEM).catch((error: Error) => {
        this.options.alerts.raise('warning', `scenario:${scenario.name}`, { vi: `Không tự kích hoạt được kịch bản ${scenario.title.vi}: ${error.message}`, en: `Could not activate scenario ${scenario.title.en} automatically: ${error.message}` }, suggestion.incident?.commune ?? null);
      });
    }
  }

  async activate(request: ScenarioRequest<'activate'>, actor: Actor): Promise<ScenarioRun> {
    const scenario = this.catalog.get(request.scenario);
    if (!scenario) throw new ContractError('not-found', `no scenario "${request.scenario}"`, 'scenario');
    return this.runs.activate(scenario, this.suggestions.forActivation(scenario.name, request), request, actor);
  }

  step(request: ScenarioRequest<'step'>, actor: Actor): ScenarioRun {
    return this.runs.step(request, actor);
  }

  confirm(request: ScenarioRequest<'confirm'>, actor: Actor): ScenarioRun {
    return this.runs.confirm(request, actor);
  }

  command(request: ScenarioRequest<'command'>, actor: Actor): Promise<{ run: ScenarioRun; commandId: string }> {
    return this.relay.command(request, actor);
  }

  /** An acknowledgement from a gateway (any command: those of other senders are ignored). */
  recordAck(commandId: string, ack: FieldAck): void {
    this.relay.recordAck(commandId, ack);
  }

  /** The host's gateway link: acknowledgements come through it (and those that came while no engine listened, by id). */
  fieldAttached(port: FieldCommandPort | null): void {
    this.relay.attach(port);
  }

  escalate(request: ScenarioRequest<'escalate'>, actor: Actor): ScenarioRun {
    return this.runs.escalate(request, actor);
  }

  pause(request: ScenarioRequest<'pause'>, actor: Actor): ScenarioRun {
    return this.runs.pause(request, actor);
  }

  resume(request: ScenarioRequest<'resume'>, actor: Actor): ScenarioRun {
    return this.runs.resume(request, actor);
  }

  handover(request: ScenarioRequest<'handover'>, actor: Actor): ScenarioRun {
    return this.runs.handover(request, actor);
  }

  close(request: ScenarioRequest<'close'>, actor: Actor): ScenarioRun {
    return this.runs.close(request, actor);
  }

  keep(request: ScenarioRequest<'keep'>, actor: Actor): ScenarioRun {
    return this.runs.keep(request, actor);
  }

  dismiss(request: ScenarioRequest<'dismiss'>, _actor: Actor): void {
    this.suggestions.dismiss(request.suggestionId);
  }

  list(): ResponseOf<'scenarios.list'> {
    return this.catalog.list();
  }

  picture(): ScenariosPicture {
    return { suggestions: this.suggestions.shown(), runs: this.runs.shown() };
  }

  log(runId: string): RunLogEntry[] {
    return this.runs.log(runId);
  }

  report(runId: string): Promise<{ html: string; fileName: string }> {
    return this.runs.report(runId);
  }

  /** Resolves once the figures of every activation so far are written. */
  idle(): Promise<void> {
    return this.runs.idle();
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
    this.relay.dispose();
  }
}

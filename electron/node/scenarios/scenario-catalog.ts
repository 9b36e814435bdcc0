/**
 * The scenarios of the folder (layouts/scenarios), each with its trigger rules compiled into a
 * trigger engine, and the front the live feed drives them through. Reloaded on edits: a broken
 * edit keeps the previous version and raises an alert naming file, line and field.
 */
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import type { Preset, ResponseOf, ScenarioSummary, WallDefinition } from '../../../native-bridge/contract.js';
import type { Scenario } from '../../../native-bridge/scenario-files.js';
import type { PolygonCoordinates } from '../../../native-bridge/spatial-query.js';
import { TriggerEngine, type SubjectNames, type TriggerEventItem, type TriggerSensor } from '../../common/trigger-engine.js';
import type { AlertService } from '../alert-service.js';
import type { LayoutFileError } from '../layout-files.js';
import type { WallController } from '../wall-controller.js';
import { scenarioTiles } from './scenario-layout.js';
import { reloadScenarioDir } from './scenario-files.js';
import type { TriggerSink } from './trigger-feed.js';

export interface ScenarioCatalogOptions {
  dir: string;
  wall: WallDefinition;
  controller: WallController;
  alerts: AlertService;
  /** Areas a geofence rule may name (commune polygons). */
  areas: () => ReadonlyMap<string, PolygonCoordinates>;
  /** What people call a firing's subjects (the live picture's names). */
  names: SubjectNames;
  clock: () => number;
}

/** What a reload changed. */
export interface CatalogChange {
  /** Trigger engines of new scenarios and of changed rules: they have not seen the live picture yet. */
  compiled: TriggerEngine[];
  /** Scenarios that were loaded already and whose rules changed. */
  rulesChanged: string[];
  /** Scenarios no longer in the folder. */
  removed: string[];
}

interface Loaded {
  scenario: Scenario;
  /** Null when its rules could not be compiled (an unknown area): it can still be activated by hand. */
  triggers: TriggerEngine | null;
  rulesJson: string;
}

export class ScenarioCatalog implements TriggerSink {
  private readonly loaded = new Map<string, Loaded>();
  private fileErrors: LayoutFileError[] = [];
  /** The trigger engines the feed drives (kept, not rebuilt per reading: readings arrive by thousands). */
  private engines: TriggerEngine[] = [];
  private watcher: FSWatcher | null = null;
  private reloadTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(private readonly options: ScenarioCatalogOptions) {}

  /** Loads the folder again; scenarios whose rules changed get a fresh trigger engine. */
  reload(): CatalogChange {
    const references = { wall: this.options.wall, presets: this.presets() };
    const previous = [...this.loaded.values()].map((l) => l.scenario);
    const { scenarios, errors } = reloadScenarioDir(this.options.dir, previous, references);
    for (const error of errors) {
      const id = `scenario-file/${createHash('sha256').update(error.message).digest('hex').slice(0, 24)}`;
      this.options.alerts.raiseOnce(id, 'warning', 'scenarios', { vi: `Tệp kịch bản lỗi, giữ phiên bản hợp lệ trước đó (nếu có): ${error.message}`, en: `Broken scenario file, the previous valid version is kept (if any): ${error.message}` }, this.options.clock());
    }
    this.fileErrors = errors;
    const change: CatalogChange = { compiled: [], rulesChanged: [], removed: [] };
    const names = new Set(scenarios.map((s) => s.name));
    for (const name of this.loaded.keys()) {
      if (names.has(name)) continue;
      this.loaded.delete(name);
      change.removed.push(name);
    }
    for (const scenario of scenarios) {
      const rulesJson = JSON.stringify(scenario.triggers);
      const known = this.loaded.get(scenario.name);
      if (known && known.rulesJson === rulesJson) {
        known.scenario = scenario;
        continue;
      }
      const triggers = this.compile(scenario);
      this.loaded.set(scenario.name, { scenario, triggers, rulesJson });
      if (triggers) change.compiled.push(triggers);
      if (known) change.rulesChanged.push(scenario.name);
    }
    this.engines = [...this.loaded.values()].flatMap((l) => (l.triggers ? [l.triggers] : []));
    return change;
  }

  private compile(scenario: Scenario): TriggerEngine | null {
    try {
      return new TriggerEngine(scenario.triggers.map((rule) => ({ id: scenario.name, rule })), this.options.areas(), this.options.names);
    } catch (error) {
      this.options.alerts.raise('warning', 'scenarios', {
        vi: `Kịch bản ${scenario.name}: không theo dõi được điều kiện kích hoạt (${(error as Error).message}); chỉ kích hoạt thủ công`,
        en: `Scenario ${scenario.name}: its triggers cannot be watched (${(error as Error).message}); manual activation only`,
      });
      return null;
    }
  }

  get(name: string): Scenario | undefined {
    return this.loaded.get(name)?.scenario;
  }

  /** The scenarios whose triggers are watched, with their trigger engines. */
  watched(): { scenario: Scenario; triggers: TriggerEngine }[] {
    return [...this.loaded.values()].flatMap(({ scenario, triggers }) => (triggers ? [{ scenario, triggers }] : []));
  }

  sensorRegistered(sensor: TriggerSensor): void {
    for (const engine of this.engines) engine.sensorRegistered(sensor);
  }

  reading(id: string, value: number, at: number): void {
    for (const engine of this.engines) engine.reading(id, value, at);
  }

  objectPosition(id: string, kind: string, lon: number, lat: number, at: number): void {
    for (const engine of this.engines) engine.objectPosition(id, kind, lon, lat, at);
  }

  event(item: TriggerEventItem): void {
    for (const engine of this.engines) engine.event(item);
  }

  list(): ResponseOf<'scenarios.list'> {
    const presets = this.presets();
    const scenarios = [...this.loaded.values()]
      .map(({ scenario }) => summarize(scenario, presets))
      .sort((a, b) => a.name.localeCompare(b.name));
    return { scenarios, errors: this.fileErrors.map((e) => ({ file: e.file, line: e.line, field: e.field, message: e.message })) };
  }

  private presets(): Preset[] {
    return this.options.controller.presets().map((p) => p.preset);
  }

  /** Calls onEdited once the folder's files change. */
  watch(onEdited: () => void): void {
    try {
      this.watcher = watch(this.options.dir, { persistent: false }, () => {
        if (this.reloadTimer) clearTimeout(this.reloadTimer);
        // Editors write a file in several steps: reload once they are done.
        this.reloadTimer = setTimeout(() => {
          this.reloadTimer = null;
          if (!this.closed) this.reloadSafely(onEdited);
        }, 300);
        this.reloadTimer.unref?.();
      });
      this.watcher.on('error', () => {});
    } catch {
      // no folder to watch: the scenarios stay as loaded
    }
  }

  /** A reload runs on a timer: anything it throws would end the host, so it becomes an alert and the scenarios stay as they were. */
  private reloadSafely(onEdited: () => void): void {
    try {
      onEdited();
    } catch (error) {
      const { dir } = this.options;
      const reason = error instanceof Error ? error.message : String(error);
      this.options.alerts.raise('warning', 'scenarios', { vi: `Không nạp lại được thư mục kịch bản ${dir} (${reason}); giữ các kịch bản đang có`, en: `Could not reload the scenario folder ${dir} (${reason}); the current scenarios stay` });
    }
  }

  dispose(): void {
    this.closed = true;
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.watcher?.close();
  }
}

function summarize(scenario: Scenario, presets: readonly Preset[]): ScenarioSummary {
  let tiles: ScenarioSummary['tiles'] = [];
  try {
    tiles = scenarioTiles(scenario, presets).tiles;
  } catch {
    // a preset that is gone: no preview (activation says why)
  }
  return {
    name: scenario.name,
    title: scenario.title,
    level: scenario.level,
    category: scenario.category,
    activation: scenario.activation,
    onClear: scenario.onClear,
    triggers: scenario.triggers.map((t) => t.type),
    preset: 'preset' in scenario.layout ? scenario.layout.preset : null,
    map: scenario.map ? { tileId: scenario.map.tileId ?? null, focus: scenario.map.focus, zoom: scenario.map.zoom ?? null } : null,
    cameras: scenario.cameras ?? null,
    procedure: scenario.procedure.map((s) => ({ id: s.id, title: s.title, role: s.role, needsConfirmation: s.needsConfirmation, automatic: s.automatic, command: s.command ?? null })),
    escalation: scenario.escalation.map((e) => ({ level: e.level, title: e.title, notify: e.notify, afterMinutes: e.afterMinutes ?? null })),
    panels: { indicators: scenario.panels.indicators, queries: scenario.panels.queries.map((q) => ({ id: q.id, title: q.title })) },
    tiles,
  };
}

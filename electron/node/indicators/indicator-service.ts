/**
 * The indicator service (bộ chỉ số): computes every indicator of layouts/indicators from its source,
 * keeps its history, rates it met / at risk / not met against its target (indicatorStatus, with
 * the definition's at-risk margin), raises one alert per miss (indicator-alerts.ts), sums up the
 * sector groups, and reports changes at most once per broadcastMs.
 *
 * When: live sources (sensors, counts) every liveEvalMs while batches arrive and every idleEvalMs
 * regardless; a dataset source when its dataset is (re)imported (checked every periodicEvalMs); a
 * table source when the definitions load. Live history is sampled once per sampleMs, and at every
 * status change, so a sparkline shows the moment a target was missed.
 */
import { ContractError } from '../../../native-bridge/contract.js';
import {
  indicatorsHistoryRequest,
  indicatorsListRequest,
  type HistoryPoint,
  type IndicatorCurrent,
  type IndicatorGroup,
  type IndicatorsChangedEvent,
  type IndicatorState,
  type IndicatorView,
} from '../../../native-bridge/indicators.js';
import { indicatorStatus, type Indicator } from '../../../native-bridge/scenario-files.js';
import type { z } from 'zod';
import type { AlertService } from '../alert-service.js';
import type { Db } from '../database.js';
import { loadIndicatorDir } from '../scenarios/scenario-files.js';
import { IndicatorAlerts } from './indicator-alerts.js';
import { IndicatorHistory } from './indicator-history.js';
import { readSource, sourceKind, tableHistory, type IndicatorDatasets, type LivePicture } from './indicator-sources.js';

export type { IndicatorDatasets, LivePicture } from './indicator-sources.js';

export interface IndicatorServiceOptions {
  db: Db;
  live: LivePicture & { onChanges(listener: () => void): () => void };
  alerts: AlertService;
  indicators: readonly Indicator[];
  /** The GIS dataset store, for dataset sources; absent = they have no data. */
  datasets?: IndicatorDatasets | null;
  clock?: () => number;
  /** Live indicators are evaluated this often while live batches arrive. Default 2 s. */
  liveEvalMs?: number;
  /** …and at least this often when none do (a count of open events may fall to zero without a reading). Default 30 s. */
  idleEvalMs?: number;
  /** Dataset sources are checked for a re-import this often (one row read each). Default 10 s. */
  periodicEvalMs?: number;
  /** One history point per live indicator per this interval (plus one at every status change). Default 60 s. */
  sampleMs?: number;
  /** indicators.changed at most this often. Default 1 s. */
  broadcastMs?: number;
  /** Live history older than this is deleted (hourly). Default 90 days. */
  retentionMs?: number;
}

type ChangedListener = (event: IndicatorsChangedEvent) => void;
type Pending = IndicatorsChangedEvent['indicators'][number];

const HOUR_MS = 3_600_000;

export class IndicatorService {
  private defs: Indicator[] = [];
  private readonly current = new Map<string, IndicatorCurrent>();
  /** Dataset indicators: the import time last evaluated (null = the dataset was absent). */
  private readonly datasetSeen = new Map<string, number | null>();
  /** Time of each live indicator's last history point. */
  private readonly lastSampleAt = new Map<string, number>();
  private readonly store: IndicatorHistory;
  private readonly misses: IndicatorAlerts;
  private readonly listeners = new Set<ChangedListener>();
  private pending = new Map<string, Pending>();
  private emitTimer: ReturnType<typeof setTimeout> | null = null;
  private lastEmit = -Infinity;
  private timers: ReturnType<typeof setInterval>[] = [];
  private unsubscribeLive: (() => void) | null = null;
  private liveDirty = false;
  private lastLiveEval = -Infinity;
  private lastPrune = -Infinity;
  private readonly clock: () => number;

  constructor(private readonly options: IndicatorServiceOptions) {
    this.clock = options.clock ?? Date.now;
    this.store = new IndicatorHistory(options.db);
    this.misses = new IndicatorAlerts(options.db, options.alerts);
    this.setIndicators(options.indicators);
  }

  /** Takes a new set of definitions (a reload): table histories rewritten, misses of removed indicators resolved, everything evaluated. */
  setIndicators(defs: readonly Indicator[]): void {
    this.defs = [...defs];
    const known = new Set(defs.map((d) => d.id));
    for (const id of this.current.keys()) if (!known.has(id)) this.current.delete(id);
    this.datasetSeen.clear();
    this.misses.retire(known);
    for (const def of defs) {
      const table = tableHistory(def);
      if (table) this.store.replace(def.id, table);
      else {
        const last = this.store.last(def.id);
        if (last && !this.lastSampleAt.has(def.id)) this.lastSampleAt.set(def.id, last[0]);
      }
    }
    this.evaluate('all');
  }

  /** Starts the evaluation timers (the constructor already evaluated once). */
  start(): this {
    const { liveEvalMs = 2000, idleEvalMs = 30_000, periodicEvalMs = 10_000 } = this.options;
    this.unsubscribeLive = this.options.live.onChanges(() => {
      this.liveDirty = true;
    });
    const every = (ms: number, run: () => void) => {
      const timer = setInterval(run, ms);
      timer.unref?.();
      this.timers.push(timer);
    };
    every(liveEvalMs, () => {
      if (this.liveDirty || this.clock() - this.lastLiveEval >= idleEvalMs) this.evaluate('live');
    });
    every(periodicEvalMs, () => {
      this.evaluate('dataset');
      if (this.clock() - this.lastPrune >= HOUR_MS) this.prune();
    });
    return this;
  }

  /** Evaluates the indicators of one kind of source (or all) now. */
  evaluate(which: 'live' | 'dataset' | 'all' = 'all'): void {
    const now = this.clock();
    if (which !== 'dataset') {
      this.liveDirty = false;
      this.lastLiveEval = now;
    }
    for (const def of this.defs) {
      const kind = sourceKind(def.source);
      const live = kind === 'sensors' || kind === 'live-count';
      if (which === 'all' || (which === 'live') === live) this.evaluateOne(def, now);
    }
  }

  list(request: z.input<typeof indicatorsListRequest>): { indicators: IndicatorView[]; groups: IndicatorGroup[] } {
    const { ids, sectors, historyPoints } = indicatorsListRequest.parse(request);
    const wanted = ids ? new Set(ids) : null;
    const inSectors = sectors ? new Set(sectors) : null;
    const indicators = this.defs
      .filter((def) => (!wanted || wanted.has(def.id)) && (!inSectors || inSectors.has(def.sector)))
      .map((def): IndicatorView => {
        const { title, unit, target, direction, atRisk, frequency, sector, adminLevel } = def;
        return {
          ...this.currentOf(def),
          title,
          unit,
          target,
          direction,
          atRisk,
          frequency,
          sector,
          adminLevel,
          source: sourceKind(def.source),
          history: this.store.recent(def.id, historyPoints),
        };
      });
    return { indicators, groups: this.groups() };
  }

  history(request: z.input<typeof indicatorsHistoryRequest>): { series: { id: string; points: HistoryPoint[]; bucketMs: number | null }[] } {
    const { ids, from, to, maxPoints } = indicatorsHistoryRequest.parse(request);
    const known = new Set(this.defs.map((d) => d.id));
    ids.forEach((id, i) => {
      if (!known.has(id)) throw new ContractError('not-found', `no indicator "${id}"`, `ids[${i}]`);
    });
    const until = to ?? this.clock();
    return { series: ids.map((id) => ({ id, ...this.store.range(id, from, until, maxPoints) })) };
  }

  groups(): IndicatorGroup[] {
    const groups = new Map<string, IndicatorGroup>();
    for (const def of this.defs) {
      let group = groups.get(def.sector);
      if (!group) groups.set(def.sector, (group = { sector: def.sector, total: 0, met: 0, atRisk: 0, notMet: 0, noData: 0 }));
      group.total++;
      const key = ({ met: 'met', 'at-risk': 'atRisk', 'not-met': 'notMet', 'no-data': 'noData' } as const)[this.currentOf(def).status];
      group[key]++;
    }
    return [...groups.values()];
  }

  onChanged(listener: ChangedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends the changes waiting for the throttle now (the timer calls this; tests may too). */
  flushChanged(): void {
    if (this.emitTimer) clearTimeout(this.emitTimer);
    this.emitTimer = null;
    if (this.pending.size === 0) return;
    const now = this.clock();
    const event: IndicatorsChangedEvent = { at: now, indicators: [...this.pending.values()], groups: this.groups() };
    this.pending = new Map();
    this.lastEmit = now;
    this.listeners.forEach((l) => l(event));
  }

  /** Deletes live history older than retentionMs. */
  prune(): number {
    const now = this.clock();
    this.lastPrune = now;
    const live = this.defs.filter((d) => sourceKind(d.source) === 'sensors' || sourceKind(d.source) === 'live-count').map((d) => d.id);
    return this.store.prune(live, now - (this.options.retentionMs ?? 90 * 24 * HOUR_MS));
  }

  close(): void {
    this.timers.forEach((t) => clearInterval(t));
    this.timers = [];
    this.unsubscribeLive?.();
    this.unsubscribeLive = null;
    if (this.emitTimer) clearTimeout(this.emitTimer);
    this.emitTimer = null;
    this.listeners.clear();
  }

  private currentOf(def: Indicator): IndicatorCurrent {
    return this.current.get(def.id) ?? { id: def.id, value: null, status: 'no-data', statusSince: this.clock(), dataAt: null, period: null, communes: [] };
  }

  private evaluateOne(def: Indicator, now: number): void {
    const { datasets = null } = this.options;
    const kind = sourceKind(def.source);
    if ('dataset' in def.source) {
      // re-reading a dataset's features is costly: only when it was (re)imported or removed
      const importedAt = datasets?.get(def.source.dataset)?.importedAt ?? null;
      if (this.current.has(def.id) && this.datasetSeen.get(def.id) === importedAt) return;
      this.datasetSeen.set(def.id, importedAt);
    }
    const reading = readSource(def, this.options.live, datasets, now);
    const rate = (value: number): IndicatorState => indicatorStatus(def, value);
    const status: IndicatorState = reading.value === null ? 'no-data' : rate(reading.value);
    const previous = this.current.get(def.id);
    const next: IndicatorCurrent = {
      id: def.id,
      value: reading.value,
      status,
      statusSince: previous?.status === status ? previous.statusSince : now,
      dataAt: reading.dataAt,
      period: reading.period,
      communes: reading.communes.map((c) => ({ ...c, status: reading.intensive ? rate(c.value) : null })),
    };
    const point = this.record(def, kind, next, previous, now);
    this.misses.update(def, status, next.value, next.communes, now);
    if (previous && !point && !differs(previous, next)) return;
    this.current.set(def.id, next);
    if (this.listeners.size === 0) return; // no one to tell (windows list on connect)
    this.pending.set(def.id, { ...next, point: point ?? this.pending.get(def.id)?.point ?? null });
    this.scheduleEmit(now);
  }

  /** Writes a history point when one is due; returns it. */
  private record(def: Indicator, kind: ReturnType<typeof sourceKind>, next: IndicatorCurrent, previous: IndicatorCurrent | undefined, now: number): HistoryPoint | null {
    if (next.value === null || kind === 'table') return null;
    if (kind === 'dataset') {
      if (next.dataAt === null || this.lastSampleAt.get(def.id) === next.dataAt) return null;
      return this.addPoint(def.id, next.dataAt, next.value);
    }
    const last = this.lastSampleAt.get(def.id);
    const due = last === undefined || now - last >= (this.options.sampleMs ?? 60_000) || previous?.status !== next.status;
    return due ? this.addPoint(def.id, now, next.value) : null;
  }

  private addPoint(id: string, at: number, value: number): HistoryPoint {
    this.store.add(id, at, value);
    this.lastSampleAt.set(id, at);
    return [at, value];
  }

  private scheduleEmit(now: number): void {
    if (this.emitTimer) return;
    const delay = Math.max(0, this.lastEmit + (this.options.broadcastMs ?? 1000) - now);
    this.emitTimer = setTimeout(() => this.flushChanged(), delay);
    this.emitTimer.unref?.();
  }
}

function differs(a: IndicatorCurrent, b: IndicatorCurrent): boolean {
  return a.value !== b.value || a.status !== b.status || a.dataAt !== b.dataAt || a.period !== b.period || JSON.stringify(a.communes) !== JSON.stringify(b.communes);
}

export interface StartIndicatorsOptions extends Omit<IndicatorServiceOptions, 'indicators'> {
  /** layouts/indicators */
  dir: string;
  log?: (line: string) => void;
}

/** Loads the definitions (a broken file is skipped with a warning alert, like a broken preset) and starts the service. */
export function startIndicators(options: StartIndicatorsOptions): IndicatorService {
  const { indicators, errors } = loadIndicatorDir(options.dir);
  const log = options.log ?? ((line: string) => console.error(line));
  for (const error of errors) {
    log(`ioc-wall: indicator file skipped: ${error.message}`);
    options.alerts.raise('warning', 'layouts', { vi: `Bỏ qua tệp chỉ số lỗi: ${error.message}`, en: `Skipped a broken indicator file: ${error.message}` });
  }
  return new IndicatorService({ ...options, indicators }).start();
}

/**
 * replay.at and replay.timeline: the wall as it was at a moment — its layout from the replay
 * journal, and what its tiles showed then from the stores that keep history (sensor readings in
 * the telemetry cache, alerts, scenario run logs) — and the marks of what happened in between.
 */
import { ContractError, type LiveSensor, type ReplayAt, type Scope, type Tile } from '../../../native-bridge/contract.js';
import { replayLimits, type ReplaySensor, type ReplayTimeline } from '../../../native-bridge/replay.js';
import { inScope, PROVINCE } from '../accounts/scope.js';
import type { AlertService } from '../alert-service.js';
import type { Db } from '../database.js';
import type { ReadingAt } from '../cache/cache-protocol.js';
import { RunStore } from '../scenarios/run-store.js';
import { ReplayJournal, type RevisionSource } from './replay-journal.js';
import { runAsOf } from './replay-runs.js';
import { ReplayTimelines } from './replay-timeline.js';

/** Where sensor readings as of a moment come from: the telemetry cache (attached once the field link runs). */
export interface ReadingsAsOf {
  readingsAt(sensorIds: readonly string[], atMs: number): Promise<ReadingAt[]>;
}

export interface ReplayServiceOptions {
  db: Db;
  alerts: AlertService;
  /** The sensors the host knows (names, kinds, communes): the registry the live picture keeps. */
  sensors: () => readonly LiveSensor[];
  /** Every account's full name by id (accounts): marks and steps say who by name. */
  names: () => ReadonlyMap<string, string>;
  /** A device's commune (sensors and cameras the host knows), for a commune-scoped reader's timeline. */
  communeOf: (deviceId: string) => string | null;
  checkpointEvery?: number;
  onFailure?: (error: unknown) => void;
}

const normalize = (text: string) => text.normalize('NFC').trim().toLocaleLowerCase('vi');

/** The sensors the wall's sensor tiles select (their kinds and commune), at most maxSensors. */
export function sensorsShownBy(tiles: readonly Tile[], registry: readonly LiveSensor[]): LiveSensor[] {
  const filters = tiles.flatMap((t) => (t.kind === 'sensor-readings' ? [{ kinds: new Set(t.props.kinds), commune: t.props.commune ? normalize(t.props.commune) : null }] : []));
  if (filters.length === 0) return [];
  const shown = registry.filter((s) => filters.some((f) => (f.kinds.size === 0 || f.kinds.has(s.kind)) && (f.commune === null || normalize(s.commune) === f.commune)));
  return shown.slice(0, replayLimits.maxSensors);
}

export class ReplayService {
  readonly journal: ReplayJournal;
  private readonly timelines: ReplayTimelines;
  private readonly runs: RunStore;
  private readings: ReadingsAsOf | null = null;

  constructor(private readonly options: ReplayServiceOptions) {
    this.journal = new ReplayJournal(options.db, { ...(options.checkpointEvery ? { checkpointEvery: options.checkpointEvery } : {}), ...(options.onFailure ? { onFailure: options.onFailure } : {}) });
    this.timelines = new ReplayTimelines(options.db);
    this.runs = new RunStore(options.db);
  }

  follow(source: RevisionSource): () => void {
    return this.journal.follow(source);
  }

  attachReadings(port: ReadingsAsOf | null): void {
    this.readings = port;
  }

  /** A commune-scoped reader sees only the sensors, alerts and runs of their communes (as the live paths). */
  async at(time: number, scope: Scope = PROVINCE): Promise<ReplayAt> {
    const moment = this.journal.revisionAt(time);
    if (!moment) throw new ContractError('not-found', `the wall replay has no record at or before ${new Date(time).toISOString()}`, 'time');
    const state = this.journal.stateAt(moment.revision);
    const shown = sensorsShownBy(state.tiles, this.options.sensors().filter((s) => inScope(scope, s.commune)));
    const readings = new Map((this.readings && shown.length > 0 ? await this.readings.readingsAt(shown.map((s) => s.id), time) : []).map((r) => [r.sensorId, r]));
    const sensors = shown.map((s): ReplaySensor => {
      const reading = readings.get(s.id);
      return { id: s.id, name: s.name, kind: s.kind, commune: s.commune, unit: s.unit, value: reading?.value ?? null, at: reading?.at ?? null };
    });
    return {
      time,
      revision: moment.revision,
      revisionAt: moment.at,
      state,
      sensors,
      alerts: this.options.alerts.asOf(time, replayLimits.maxAlerts, scope),
      runs: this.runs
        .onWallAt(time, replayLimits.maxRuns)
        .filter(({ doc }) => inScope(scope, doc.run.incident?.commune))
        .map(({ doc, log }) => runAsOf(doc, log, this.nameOf())),
    };
  }

  /** A commune-scoped reader sees scenario and field-command marks of their communes only. */
  timeline(from: number, to: number, scope: Scope = PROVINCE): ReplayTimeline {
    return this.timelines.timeline(from, to, { nameOf: this.nameOf(), sees: (commune) => inScope(scope, commune), communeOf: this.options.communeOf });
  }

  /** Names as of this answer: the system and unknown accounts have none. */
  private nameOf(): (id: string) => string | null {
    const names = this.options.names();
    return (id) => names.get(id) ?? null;
  }
}

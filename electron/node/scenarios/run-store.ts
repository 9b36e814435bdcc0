/**
 * Scenario runs in the host's SQLite file (migration 3 of database.ts): the latest document of
 * each run, and its append-only log. A change to a run and its log line are written in one
 * transaction, so after a crash the document never runs ahead of (or behind) its log.
 */
import type { LocalizedText, RunLogEntry, RunLogKind, ScenarioRun, Tile } from '../../../native-bridge/contract.js';
import type { Scenario } from '../../../native-bridge/scenario-files.js';
import type { AuditSink } from '../../common/ports.js';
import { scenarioEvent } from '../audit/audit-events.js';
import type { Db } from '../database.js';

/** What the wall showed before a run took it over: restored when the run ends. */
export interface SavedLayout {
  tiles: Tile[];
  preset: string | null;
}

/** A run as the host keeps it: what windows see, plus what it needs to carry on after a restart. */
export interface RunDocument {
  run: ScenarioRun;
  /** The definition as it was at activation: an edited file does not change a run under way. */
  definition: Scenario;
  previous: SavedLayout;
  /** The state to go back to on resume (a paused run). */
  resumeTo: 'active' | 'awaiting-close' | null;
  /** It stands on a condition that can clear (not a schedule's minute, not a person): onClear applies. */
  lasting: boolean;
}

export interface LogLine {
  kind: RunLogKind;
  actor: string;
  at: number;
  stepId?: string | null;
  detail?: LocalizedText | null;
  data?: Record<string, unknown> | null;
}

interface LogRow {
  seq: number;
  run_id: string;
  at: number;
  kind: RunLogKind;
  actor: string;
  step_id: string | null;
  detail: string | null;
  data: string | null;
}

export class RunStore {
  private readonly upsert;
  private readonly append;
  private readonly selectOpen;
  private readonly selectRecent;
  private readonly selectOne;
  private readonly selectLog;
  private readonly selectLogKind;
  private readonly selectOnWallAt;
  private readonly selectLogUntil;

  /** `audit` hears each log line in the same transaction (the audit log chains the run's history in). */
  constructor(
    private readonly db: Db,
    private readonly audit: AuditSink | null = null,
  ) {
    this.upsert = db.prepare(
      `INSERT INTO scenario_runs (run_id, scenario, state, activated_at, updated_at, doc) VALUES (@runId, @scenario, @state, @activatedAt, @updatedAt, @doc)
       ON CONFLICT(run_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at, doc = excluded.doc`,
    );
    this.append = db.prepare('INSERT INTO scenario_run_log (run_id, at, kind, actor, step_id, detail, data) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.selectOpen = db.prepare("SELECT doc FROM scenario_runs WHERE state NOT IN ('cleared', 'closed') ORDER BY activated_at, rowid");
    this.selectRecent = db.prepare("SELECT doc FROM scenario_runs WHERE state IN ('cleared', 'closed') ORDER BY updated_at DESC, rowid DESC LIMIT ?");
    this.selectOne = db.prepare('SELECT doc FROM scenario_runs WHERE run_id = ?');
    this.selectLog = db.prepare('SELECT * FROM scenario_run_log WHERE run_id = ? ORDER BY seq');
    this.selectLogKind = db.prepare('SELECT * FROM scenario_run_log WHERE run_id = ? AND kind = ? ORDER BY seq DESC LIMIT 1');
    this.selectOnWallAt = db.prepare(
      `SELECT doc FROM scenario_runs WHERE activated_at <= @time
         AND coalesce(json_extract(doc, '$.run.clearedAt'), @time + 1) > @time AND coalesce(json_extract(doc, '$.run.closedAt'), @time + 1) > @time
       ORDER BY activated_at DESC, rowid DESC LIMIT @limit`,
    );
    this.selectLogUntil = db.prepare('SELECT * FROM scenario_run_log WHERE run_id = ? AND at <= ? ORDER BY seq');
  }

  /** Saves the run's document and appends its log lines, atomically. */
  save(doc: RunDocument, lines: readonly LogLine[], at: number): void {
    this.db.transaction(() => {
      const { run } = doc;
      this.upsert.run({ runId: run.runId, scenario: run.scenario, state: run.state, activatedAt: run.activatedAt, updatedAt: at, doc: JSON.stringify(doc) });
      for (const line of lines) {
        this.append.run(run.runId, line.at, line.kind, line.actor, line.stepId ?? null, line.detail ? JSON.stringify(line.detail) : null, line.data ? JSON.stringify(line.data) : null);
        const event = scenarioEvent(run, line);
        if (event) this.audit?.record(event);
      }
    })();
  }

  /** Runs not over, oldest activation first (the order they took the wall). */
  open(): RunDocument[] {
    return (this.selectOpen.all() as { doc: string }[]).map((r) => JSON.parse(r.doc) as RunDocument);
  }

  /** The most recent runs that are over, newest first. */
  recent(limit: number): RunDocument[] {
    return (this.selectRecent.all(limit) as { doc: string }[]).map((r) => JSON.parse(r.doc) as RunDocument);
  }

  get(runId: string): RunDocument | undefined {
    const row = this.selectOne.get(runId) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as RunDocument) : undefined;
  }

  /**
   * Runs on the wall at `time` (activated by then, not cleared or closed yet), newest activation
   * first, each with its log lines up to `time` (replay).
   */
  onWallAt(time: number, limit: number): { doc: RunDocument; log: RunLogEntry[] }[] {
    const docs = (this.selectOnWallAt.all({ time, limit }) as { doc: string }[]).map((r) => JSON.parse(r.doc) as RunDocument);
    return docs.map((doc) => ({ doc, log: (this.selectLogUntil.all(doc.run.runId, time) as LogRow[]).map(toEntry) }));
  }

  log(runId: string): RunLogEntry[] {
    return (this.selectLog.all(runId) as LogRow[]).map(toEntry);
  }

  /** The latest log line of a kind (e.g. the figures taken at activation). */
  lastOfKind(runId: string, kind: RunLogKind): RunLogEntry | undefined {
    const row = this.selectLogKind.get(runId, kind) as LogRow | undefined;
    return row ? toEntry(row) : undefined;
  }
}

function toEntry(row: LogRow): RunLogEntry {
  return {
    seq: row.seq,
    runId: row.run_id,
    at: row.at,
    kind: row.kind,
    actor: row.actor,
    stepId: row.step_id,
    detail: row.detail === null ? null : (JSON.parse(row.detail) as LocalizedText),
    data: row.data === null ? null : (JSON.parse(row.data) as Record<string, unknown>),
  };
}

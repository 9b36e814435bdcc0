/**
 * Scenario runs as a pair's standby copies them from the active node: log lines after a position
 * in the active node's log, each with the document of its run as it is now, so the standby holds
 * every run with its procedure state (steps done, who confirmed, who is in charge) and its log, and
 * can carry on after a takeover.
 *
 * A line is named by the node that wrote it and its number there (origin, originSeq): the same
 * line on every node, so copies back and forth never double a line, and a line that comes again
 * with other content is refused. A run's document is taken only when it is not older than this
 * node's own (the copy never undoes a change made here), and a line of a run this node does not
 * hold is refused. The copy does not go to this node's audit chain: the peer's chain is copied as
 * it is (peer-audit.ts).
 */
import { PEER_JOURNAL_BATCH, PEER_JOURNAL_REPLY_BYTES, type PeerRunLine } from '../../../native-bridge/contract.js';
import { scenarioDefinition } from '../../../native-bridge/scenario-files.js';
import type { Db } from '../database.js';
import type { RunDocument } from './run-store.js';

export interface RunsPage {
  lines: PeerRunLine[];
  runs: { doc: RunDocument; updatedAt: number }[];
  /** The position reached in this node's log. */
  last: number;
  more: boolean;
}

/** What the copy refused, naming the run and line. */
export interface RunsMirrorResult {
  lines: number;
  runs: number;
  refused: string[];
}

interface LineRow {
  seq: number;
  run_id: string;
  at: number;
  kind: PeerRunLine['kind'];
  actor: string;
  step_id: string | null;
  detail: string | null;
  data: string | null;
  origin: string | null;
  origin_seq: number | null;
}

const sameLine = (row: LineRow, line: PeerRunLine): boolean =>
  row.run_id === line.runId &&
  row.at === line.at &&
  row.kind === line.kind &&
  row.actor === line.actor &&
  row.step_id === line.stepId &&
  row.detail === (line.detail ? JSON.stringify(line.detail) : null) &&
  row.data === (line.data ? JSON.stringify(line.data) : null);

export class RunReplica {
  constructor(
    private readonly db: Db,
    /** This node's id: its own lines carry no origin in its log. */
    private readonly self: string,
  ) {}

  /** The last line of this node's log (0: none). */
  lastSeq(): number {
    return (this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM scenario_run_log').get() as { seq: number }).seq;
  }

  /** Lines after `after` (this node's order), up to a page and about PEER_JOURNAL_REPLY_BYTES, with their runs' documents. */
  page(after: number): RunsPage {
    const rows = this.db.prepare('SELECT * FROM scenario_run_log WHERE seq > ? ORDER BY seq LIMIT ?').all(after, PEER_JOURNAL_BATCH + 1) as LineRow[];
    const docOf = this.db.prepare('SELECT doc, updated_at FROM scenario_runs WHERE run_id = ?');
    const page: RunsPage = { lines: [], runs: [], last: after, more: rows.length > PEER_JOURNAL_BATCH };
    const included = new Set<string>();
    let bytes = 0;
    for (const row of rows.slice(0, PEER_JOURNAL_BATCH)) {
      const line: PeerRunLine = {
        runId: row.run_id,
        at: row.at,
        kind: row.kind,
        actor: row.actor,
        stepId: row.step_id,
        detail: row.detail === null ? null : (JSON.parse(row.detail) as PeerRunLine['detail']),
        data: row.data === null ? null : (JSON.parse(row.data) as PeerRunLine['data']),
        origin: row.origin ?? this.self,
        originSeq: row.origin_seq ?? row.seq,
      };
      const stored = included.has(row.run_id) ? undefined : (docOf.get(row.run_id) as { doc: string; updated_at: number } | undefined);
      const size = JSON.stringify(line).length + (stored?.doc.length ?? 0);
      if (page.lines.length > 0 && bytes + size > PEER_JOURNAL_REPLY_BYTES) {
        page.more = true;
        break;
      }
      bytes += size;
      if (stored) {
        page.runs.push({ doc: JSON.parse(stored.doc) as RunDocument, updatedAt: stored.updated_at });
        included.add(row.run_id);
      }
      page.lines.push(line);
      page.last = row.seq;
    }
    return page;
  }

  /** Takes a page from the active node, in one transaction (each run's definition checked against the scenario file schema). */
  mirror(page: { lines: readonly PeerRunLine[]; runs: readonly { doc: Omit<RunDocument, 'definition'> & { definition: unknown }; updatedAt: number }[] }): RunsMirrorResult {
    const result: RunsMirrorResult = { lines: 0, runs: 0, refused: [] };
    const localDoc = this.db.prepare('SELECT updated_at FROM scenario_runs WHERE run_id = ?').pluck();
    const upsert = this.db.prepare(
      `INSERT INTO scenario_runs (run_id, scenario, state, activated_at, updated_at, doc) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(run_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at, doc = excluded.doc`,
    );
    const existing = this.db.prepare('SELECT * FROM scenario_run_log WHERE origin = ? AND origin_seq = ?');
    const own = this.db.prepare('SELECT * FROM scenario_run_log WHERE seq = ? AND origin IS NULL');
    const insert = this.db.prepare('INSERT INTO scenario_run_log (run_id, at, kind, actor, step_id, detail, data, origin, origin_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    // refusals name a run by its title (people read titles, never run ids)
    const titles = new Map(page.runs.map(({ doc }) => [doc.run.runId, doc.run.title.vi]));
    const localTitle = this.db.prepare("SELECT json_extract(doc, '$.run.title.vi') FROM scenario_runs WHERE run_id = ?").pluck();
    const named = (runId: string): string => `"${titles.get(runId) ?? (localTitle.get(runId) as string | undefined) ?? 'không rõ / unknown'}"`;
    this.db.transaction(() => {
      for (const { doc, updatedAt } of page.runs) {
        const id = doc.run.runId;
        const definition = scenarioDefinition.safeParse(doc.definition);
        if (!definition.success) {
          result.refused.push(`run ${named(id)}: its scenario definition: ${definition.error.issues[0]?.message ?? 'invalid'}`);
          continue;
        }
        const mine = localDoc.get(id) as number | undefined;
        if (mine !== undefined && mine > updatedAt) {
          result.refused.push(`run ${named(id)}: changed here after the copy`);
          continue;
        }
        const { run } = doc;
        upsert.run(id, run.scenario, run.state, run.activatedAt, updatedAt, JSON.stringify({ ...doc, definition: definition.data }));
        result.runs++;
      }
      for (const line of page.lines) {
        // this node's own line, coming back from a peer that copied it
        const row = line.origin === this.self ? (own.get(line.originSeq) as LineRow | undefined) : (existing.get(line.origin, line.originSeq) as LineRow | undefined);
        if (row) {
          if (!sameLine(row, line)) result.refused.push(`line ${line.origin}#${line.originSeq} of run ${named(line.runId)}: differs from the one held here`);
          continue;
        }
        if (line.origin === this.self) {
          result.refused.push(`line ${line.origin}#${line.originSeq} of run ${named(line.runId)}: said to be this node's, but it is not in its log`);
          continue;
        }
        if (localDoc.get(line.runId) === undefined) {
          result.refused.push(`line ${line.origin}#${line.originSeq}: its run is not held here`);
          continue;
        }
        insert.run(line.runId, line.at, line.kind, line.actor, line.stepId, line.detail ? JSON.stringify(line.detail) : null, line.data ? JSON.stringify(line.data) : null, line.origin, line.originSeq);
        result.lines++;
      }
    })();
    return result;
  }
}

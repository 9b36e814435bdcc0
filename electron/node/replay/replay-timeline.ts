/**
 * The replay scrubber's marks between two moments, from the stores that keep them: the command
 * journal (wall commands), the scenario run log (steps and their commands), alerts (raised and
 * acknowledged) and the field command outbox (the siren, signal plans, warnings). Each query is
 * indexed by time or bounded by the mark limit; the earliest marks are kept when there are more.
 */
import { replayLimits, type ReplayMark, type ReplayTimeline } from '../../../native-bridge/replay.js';
import type { Db } from '../database.js';

/**
 * A mark before its actor is named (alert acknowledgements already carry the name the alert
 * stored); `commune` is where it happened, when the store knows (scenario runs, field commands).
 */
type Unnamed = Omit<ReplayMark, 'actorName'> & { actorName?: string | null; commune?: string | null };

/** Who reads the timeline: names accounts, and says which communes they may see (a commune-scoped account). */
export interface TimelineReader {
  nameOf(id: string): string | null;
  /** Whether a mark of this commune is shown (null: a wall-wide run or a device of unknown commune). */
  sees(commune: string | null): boolean;
  /** A field command's target commune (the host's sensor and camera registry). */
  communeOf(deviceId: string): string | null;
}

interface Range {
  from: number;
  to: number;
  limit: number;
}

const parseJson = (text: string | null): Record<string, unknown> | null => {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null; // a damaged row still marks the moment; it just says less
  }
};
const stringOr = (value: unknown): string | null => (typeof value === 'string' ? value.slice(0, 200) : null);
const textOr = (value: unknown): { vi: string; en: string } | null => {
  const t = value as { vi?: unknown; en?: unknown } | null;
  return t && typeof t.vi === 'string' && typeof t.en === 'string' && t.vi && t.en ? { vi: t.vi.slice(0, 500), en: t.en.slice(0, 500) } : null;
};

/** What a wall command is about: the preset it applies or saves, the layout's label, the tile. */
function commandSubject(command: Record<string, unknown> | null): string | null {
  if (!command) return null;
  return stringOr(command.name) ?? stringOr(command.label) ?? stringOr(command.id) ?? stringOr((command.tile as { id?: unknown } | undefined)?.id);
}

export class ReplayTimelines {
  private readonly commands;
  private readonly scenarioLines;
  private readonly alertsRaised;
  private readonly alertsAcked;

  constructor(private readonly db: Db) {
    this.commands = db.prepare('SELECT revision, at, actor_id, command FROM command_journal WHERE at >= @from AND at <= @to ORDER BY at, revision LIMIT @limit');
    this.scenarioLines = db.prepare(
      `SELECT l.at, l.kind, l.actor, l.step_id, json_extract(r.doc, '$.run.title') AS title, json_extract(r.doc, '$.run.incident.commune') AS commune FROM scenario_run_log l JOIN scenario_runs r ON r.run_id = l.run_id
       WHERE l.at >= @from AND l.at <= @to AND l.kind NOT IN ('figures') ORDER BY l.at, l.seq LIMIT @limit`,
    );
    this.alertsRaised = db.prepare('SELECT at, severity, title, commune FROM alerts WHERE at >= @from AND at <= @to ORDER BY at LIMIT @limit');
    this.alertsAcked = db.prepare('SELECT acked_at AS at, acked_by, title, commune FROM alerts WHERE acked_at >= @from AND acked_at <= @to ORDER BY acked_at LIMIT @limit');
  }

  timeline(from: number, to: number, reader: TimelineReader): ReplayTimeline {
    const range: Range = { from, to, limit: replayLimits.maxMarks + 1 };
    const lists = [this.commandMarks(range), this.scenarioMarks(range), this.alertMarks(range), this.fieldCommandMarks(range, reader)];
    const cut = lists.some((l) => l.length > replayLimits.maxMarks);
    const named = ({ commune: _where, ...mark }: Unnamed): ReplayMark => ({ ...mark, actorName: mark.actorName ?? (mark.actor === null ? null : reader.nameOf(mark.actor)) });
    const marks = lists
      .flat()
      .filter((m) => m.commune === undefined || reader.sees(m.commune))
      .map(named)
      .sort((a, b) => a.at - b.at);
    return { from, to, marks: marks.slice(0, replayLimits.maxMarks), truncated: cut || marks.length > replayLimits.maxMarks };
  }

  private commandMarks(range: Range): Unnamed[] {
    return (this.commands.all(range) as { revision: number; at: number; actor_id: string; command: string }[]).map((r) => {
      const command = parseJson(r.command);
      return { at: r.at, kind: 'command', what: stringOr(command?.type) ?? 'unknown', actor: r.actor_id, subject: commandSubject(command), revision: r.revision, step: null };
    });
  }

  private scenarioMarks(range: Range): Unnamed[] {
    return (this.scenarioLines.all(range) as { at: number; kind: string; actor: string; step_id: string | null; title: string | null; commune: string | null }[]).map((r) => ({
      at: r.at,
      kind: 'scenario',
      what: r.kind,
      actor: r.actor,
      subject: textOr(parseJson(r.title)),
      revision: null,
      step: r.step_id,
      commune: r.commune,
    }));
  }

  private alertMarks(range: Range): Unnamed[] {
    // a province-wide alert (no commune) is every reader's, as in alerts.list
    const where = (commune: string | null) => (commune === null ? {} : { commune });
    const raised = (this.alertsRaised.all(range) as { at: number; severity: string; title: string; commune: string | null }[]).map(
      (r): Unnamed => ({ at: r.at, kind: 'alert', what: r.severity, actor: null, subject: textOr(parseJson(r.title)), revision: null, step: null, ...where(r.commune) }),
    );
    const acked = (this.alertsAcked.all(range) as { at: number; acked_by: string; title: string; commune: string | null }[]).map(
      // an acknowledgement stores the person's name (older ones the account id, named like the others)
      (r): Unnamed => ({ at: r.at, kind: 'alert', what: 'acknowledged', actor: r.acked_by, subject: textOr(parseJson(r.title)), revision: null, step: null, ...where(r.commune) }),
    );
    return [...raised, ...acked];
  }

  /** The outbox table exists once a field link has run on this database; before that there are no field commands. */
  private fieldCommandMarks(range: Range, reader: TimelineReader): Unnamed[] {
    const exists = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'field_commands'").get();
    if (!exists) return [];
    const rows = this.db.prepare('SELECT created_at, command FROM field_commands WHERE created_at >= @from AND created_at <= @to ORDER BY created_at LIMIT @limit').all(range) as { created_at: number; command: string }[];
    return rows.map((r) => {
      const command = parseJson(r.command);
      const target = stringOr(command?.target);
      return { at: r.created_at, kind: 'field-command', what: stringOr(command?.type) ?? 'unknown', actor: stringOr(command?.issuedBy), subject: target, revision: null, step: null, commune: target === null ? null : reader.communeOf(target) };
    });
  }
}

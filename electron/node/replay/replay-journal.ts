/**
 * The wall's history for replay (migration 7): every accepted revision's patches, and every
 * `checkpointEvery` revisions the whole wall document, both append-only. Rebuilding a revision is
 * its nearest checkpoint plus fewer than `checkpointEvery` patches. Follows the controller after
 * each commit (its own transaction): a revision whose row could not be written (disk full, crash
 * in between) is covered by a checkpoint taken at the next revision or start.
 */
import { applyPatches, enablePatches } from 'immer';
import { z } from 'zod';
import { ContractError, patch as patchSchema, wallState, type Patch, type WallState } from '../../../native-bridge/contract.js';
import { replayLimits } from '../../../native-bridge/replay.js';
import type { Db } from '../database.js';
import type { AcceptedEvent } from '../wall-controller.js';

enablePatches();

const patchList = z.array(patchSchema);

/** What the journal follows: the wall controller's revisions and their patches. */
export interface RevisionSource {
  readonly currentRevision: number;
  readonly current: WallState;
  onAccepted(listener: (event: AcceptedEvent) => void): () => void;
}

export interface RevisionMoment {
  revision: number;
  at: number;
}

export class ReplayJournal {
  private readonly insertPatches;
  private readonly insertCheckpoint;
  private readonly lastPatchAt;
  private readonly lastCheckpointAt;
  private readonly checkpointBefore;
  private readonly patchesBetween;
  private readonly newest;
  private readonly journalAt;
  /** Set when a row could not be written: the next record writes a checkpoint, so no gap stays unbridged. */
  private behind = false;

  constructor(
    private readonly db: Db,
    private readonly options: { checkpointEvery?: number; onFailure?: (error: unknown) => void } = {},
  ) {
    this.insertPatches = db.prepare('INSERT INTO replay_patches (revision, at, patches) VALUES (?, ?, ?)');
    // a revision already checkpointed keeps its row (the table refuses any insert that collides)
    this.insertCheckpoint = db.prepare(
      'INSERT INTO replay_checkpoints (revision, at, doc) SELECT @revision, @at, @doc WHERE NOT EXISTS (SELECT 1 FROM replay_checkpoints WHERE revision = @revision)',
    );
    // by time, then revision: with a clock that stepped back the later revision of equal time wins
    this.lastPatchAt = db.prepare('SELECT revision, at FROM replay_patches WHERE at <= ? ORDER BY at DESC, revision DESC LIMIT 1');
    this.lastCheckpointAt = db.prepare('SELECT revision, at FROM replay_checkpoints WHERE at <= ? ORDER BY at DESC, revision DESC LIMIT 1');
    this.checkpointBefore = db.prepare('SELECT revision, doc FROM replay_checkpoints WHERE revision <= ? ORDER BY revision DESC LIMIT 1');
    this.patchesBetween = db.prepare('SELECT revision, patches FROM replay_patches WHERE revision > ? AND revision <= ? ORDER BY revision');
    this.newest = db.prepare('SELECT max(revision) FROM (SELECT max(revision) AS revision FROM replay_patches UNION ALL SELECT max(revision) FROM replay_checkpoints)').pluck();
    this.journalAt = db.prepare('SELECT at FROM command_journal WHERE revision = ?').pluck();
  }

  private get checkpointEvery(): number {
    return this.options.checkpointEvery ?? replayLimits.checkpointEvery;
  }

  /**
   * Records every revision the source accepts from now on. When the record is empty or behind the
   * source (a new wall, a database from before replay, a crash between commit and record) the
   * current wall is checkpointed first, dated when its revision was journalled.
   */
  follow(source: RevisionSource, now: () => number = Date.now): () => void {
    const revision = source.currentRevision;
    const newest = this.newest.get() as number | null;
    if (newest === null || newest < revision) {
      const at = (this.journalAt.get(revision) as number | undefined) ?? now();
      this.write(() => this.insertCheckpoint.run({ revision, at, doc: JSON.stringify(source.current) }));
    }
    return source.onAccepted((event) => this.record(event, source.current));
  }

  /** Stores one revision's patches, with a checkpoint of `state` (the wall after it) when one is due. */
  record(event: Pick<AcceptedEvent, 'revision' | 'acceptedAt' | 'patches'>, state: WallState): void {
    const checkpoint = this.behind || event.revision % this.checkpointEvery === 0;
    this.write(() =>
      this.db.transaction(() => {
        this.insertPatches.run(event.revision, event.acceptedAt, JSON.stringify(event.patches));
        if (checkpoint) this.insertCheckpoint.run({ revision: event.revision, at: event.acceptedAt, doc: JSON.stringify(state) });
      })(),
    );
  }

  private write(run: () => unknown): void {
    try {
      run();
      this.behind = false;
    } catch (error) {
      // the wall has already changed: replay loses this revision, never the wall its command
      this.behind = true;
      this.options.onFailure?.(error);
    }
  }

  /** The revision on the wall at `time` (the last one recorded at or before it), or null before the record begins. */
  revisionAt(time: number): RevisionMoment | null {
    const patched = this.lastPatchAt.get(time) as RevisionMoment | undefined;
    const checked = this.lastCheckpointAt.get(time) as RevisionMoment | undefined;
    if (!patched || !checked) return patched ?? checked ?? null;
    return checked.at > patched.at || (checked.at === patched.at && checked.revision > patched.revision) ? checked : patched;
  }

  /** The wall document after `revision`: its checkpoint and the patches since. Throws ContractError, naming the revision. */
  stateAt(revision: number): WallState {
    const base = this.checkpointBefore.get(revision) as { revision: number; doc: string } | undefined;
    if (!base) throw new ContractError('not-found', `the wall replay has no record of revision ${revision} (it starts later)`, 'time');
    const rows = this.patchesBetween.all(base.revision, revision) as { revision: number; patches: string }[];
    if (rows.length !== revision - base.revision) {
      const missing = firstMissing(base.revision, rows);
      throw new ContractError('not-found', `the wall replay has no record of revision ${missing} (not written: disk full or a crash); revision ${revision} cannot be rebuilt`, 'time');
    }
    let state = readStored(z.unknown(), base.doc, `checkpoint of revision ${base.revision}`) as WallState;
    for (const row of rows) {
      const patches = readStored(patchList, row.patches, `patches of revision ${row.revision}`) as Patch[];
      try {
        state = applyPatches(state, patches);
      } catch (error) {
        throw new ContractError('internal', `the wall replay's patches of revision ${row.revision} do not apply (${(error as Error).message}): the replay record is damaged`);
      }
    }
    // the whole document is checked once, after the patches: what the console gets is a valid wall
    const checked = wallState.safeParse(state);
    if (!checked.success) throw new ContractError('internal', `the replayed wall of revision ${revision} is invalid (${checked.error.issues[0]?.message}): the replay record in ${this.db.name} is damaged`);
    return checked.data;
  }
}

function firstMissing(after: number, rows: readonly { revision: number }[]): number {
  let expected = after + 1;
  for (const row of rows) {
    if (row.revision !== expected) break;
    expected++;
  }
  return expected;
}

/** A stored row is disk input: unreadable JSON or a wrong shape is refused, naming the row. */
function readStored(schema: z.ZodType, text: string, what: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ContractError('internal', `the wall replay's ${what} is not readable JSON: the replay record is damaged`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ContractError('internal', `the wall replay's ${what} is invalid (${parsed.error.issues[0]?.message}): the replay record is damaged`);
  return parsed.data;
}

/** WallStore on SQLite: the journal row and the state document are written in one transaction. */
import { actor as actorSchema, command as commandSchema, preset as presetSchema, wallState, type Preset, type WallState } from '../../native-bridge/contract.js';
import type { AuditSink, JournalEntry, WallStore } from '../common/ports.js';
import { journalEvent } from './audit/audit-events.js';
import type { Db } from './database.js';
import { isStorageFailure } from './sqlite-files.js';
import { storageFullError } from './storage-watch.js';

interface JournalRow {
  revision: number;
  at: number;
  actor_id: string;
  actor_role: string;
  command: string;
}

const journalEntry = (r: JournalRow): JournalEntry => ({
  revision: r.revision,
  at: r.at,
  actor: actorSchema.parse({ id: r.actor_id, role: r.actor_role }),
  command: commandSchema.parse(JSON.parse(r.command)),
});

export class SqliteWallStore implements WallStore {
  private readonly insertJournal;
  private readonly upsertState;
  private readonly upsertPreset;
  private readonly insertRequest;
  private readonly selectRequest;

  /**
   * `onStorageFailure` hears of a commit the disk had no room for (the command is then refused with
   * 'storage-full'); `audit` chains each journal row in, in the same transaction.
   */
  constructor(
    private readonly db: Db,
    private readonly onStorageFailure: (error: unknown) => void = () => {},
    private readonly audit: AuditSink | null = null,
  ) {
    // Request ids (contract requestId) next to the journal, written in the same transaction.
    db.exec('CREATE TABLE IF NOT EXISTS wall_requests (request_id TEXT PRIMARY KEY, revision INTEGER NOT NULL UNIQUE) WITHOUT ROWID');
    this.insertRequest = db.prepare('INSERT INTO wall_requests (request_id, revision) VALUES (?, ?)');
    this.selectRequest = db.prepare(
      'SELECT j.revision, j.at, j.actor_id, j.actor_role, j.command, r.request_id FROM wall_requests r JOIN command_journal j ON j.revision = r.revision WHERE r.request_id = ?',
    );
    this.insertJournal = db.prepare('INSERT INTO command_journal (revision, at, actor_id, actor_role, command) VALUES (?, ?, ?, ?, ?)');
    this.upsertState = db.prepare(
      'INSERT INTO wall_state (id, revision, doc, updated_at) VALUES (1, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET revision = excluded.revision, doc = excluded.doc, updated_at = excluded.updated_at',
    );
    this.upsertPreset = db.prepare('INSERT INTO presets (name, doc, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at');
  }

  load(): { revision: number; state: WallState } | null {
    const row = this.db.prepare('SELECT revision, doc FROM wall_state WHERE id = 1').get() as { revision: number; doc: string } | undefined;
    if (!row) return null;
    const parsed = wallState.safeParse(JSON.parse(row.doc));
    if (!parsed.success) throw new Error(`stored wall state is invalid: ${parsed.error.issues[0]?.message}`);
    return { revision: row.revision, state: parsed.data };
  }

  commit = (entry: JournalEntry, state: WallState, savedPreset?: Preset): void => {
    try {
      this.db.transaction(() => {
        const command = JSON.stringify(entry.command);
        this.insertJournal.run(entry.revision, entry.at, entry.actor.id, entry.actor.role, command);
        this.audit?.record(journalEvent(entry, command));
        if (entry.requestId) this.insertRequest.run(entry.requestId, entry.revision);
        this.upsertState.run(entry.revision, JSON.stringify(state), entry.at);
        if (savedPreset) this.upsertPreset.run(savedPreset.name, JSON.stringify(savedPreset), entry.at);
      })();
    } catch (error) {
      if (!isStorageFailure(error)) throw error;
      this.onStorageFailure(error);
      throw storageFullError(this.db.name);
    }
  };

  /** With each entry's request id, so a standby that takes over answers a retried request as the old active did. */
  journal(sinceRevision: number, limit: number): JournalEntry[] {
    const rows = this.db
      .prepare('SELECT j.revision, j.at, j.actor_id, j.actor_role, j.command, r.request_id FROM command_journal j LEFT JOIN wall_requests r ON r.revision = j.revision WHERE j.revision > ? ORDER BY j.revision LIMIT ?')
      .all(sinceRevision, limit) as (JournalRow & { request_id: string | null })[];
    return rows.map((row) => (row.request_id === null ? journalEntry(row) : { ...journalEntry(row), requestId: row.request_id }));
  }

  request(requestId: string): JournalEntry | undefined {
    const row = this.selectRequest.get(requestId) as (JournalRow & { request_id: string }) | undefined;
    return row ? { ...journalEntry(row), requestId: row.request_id } : undefined;
  }

  presets(): Preset[] {
    const rows = this.db.prepare('SELECT doc FROM presets ORDER BY name').all() as { doc: string }[];
    return rows.flatMap((r) => {
      const parsed = presetSchema.safeParse(JSON.parse(r.doc));
      return parsed.success ? [parsed.data] : [];
    });
  }
}

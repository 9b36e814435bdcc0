/**
 * The host's SQLite file (SQLCipher-encrypted, sqlite-cipher.ts; WAL). Schema changes are numbered migrations tracked in
 * PRAGMA user_version, applied in one transaction at open.
 */
import { openSqliteFile, type Db } from './sqlite-files.js';
import type { StorageKey } from './storage-key.js';
import { wallDatabaseAdvice } from './wall-backups.js';

export type { Db } from './sqlite-files.js';

/** Triggers that make a table append-only: an UPDATE or DELETE aborts, naming the table. */
const appendOnly = (table: string): string => `CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
    BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;
  CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
    BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;`;

/**
 * An insert that collides with an existing row of an append-only table aborts too: INSERT OR
 * REPLACE (REPLACE INTO) would otherwise delete and rewrite the row without firing the DELETE
 * trigger (SQLite fires it only with recursive_triggers on, a per-connection setting that a tool
 * opening the file would not have). In the schema, the check holds on every connection.
 */
const noOverwrite = (table: string, keys: readonly string[]): string => `CREATE TRIGGER ${table}_no_overwrite BEFORE INSERT ON ${table}
    WHEN EXISTS (SELECT 1 FROM ${table} WHERE ${keys.map((key) => `${key} = NEW.${key}`).join(' OR ')})
    BEGIN SELECT RAISE(ABORT, '${table} is append-only: the row exists'); END;`;

const MIGRATIONS: readonly string[] = [
  // 1: wall state, append-only command journal, presets, alerts
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE wall_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL,
    doc TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE command_journal (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    revision INTEGER NOT NULL UNIQUE,
    at INTEGER NOT NULL,
    actor_id TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    command TEXT NOT NULL
  );
  ${appendOnly('command_journal')}
  CREATE TABLE presets (
    name TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    at INTEGER NOT NULL,
    severity TEXT NOT NULL,
    source TEXT NOT NULL,
    title TEXT NOT NULL,
    acked_by TEXT,
    acked_at INTEGER
  );
  CREATE INDEX alerts_at ON alerts(at);
  `,
  // 2: indicator history (trend sparklines, charts) and open indicator misses (one alert each);
  // an alert's condition can end (resolved_at) apart from its acknowledgement
  `
  ALTER TABLE alerts ADD COLUMN resolved_at INTEGER;
  CREATE TABLE indicator_history (
    indicator TEXT NOT NULL,
    at INTEGER NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (indicator, at)
  ) WITHOUT ROWID;
  CREATE TABLE indicator_miss (
    indicator TEXT PRIMARY KEY,
    alert_id TEXT NOT NULL,
    since INTEGER NOT NULL
  );
  `,
  // 3: scenario runs (the latest document of each run) and their append-only log
  `
  CREATE TABLE scenario_runs (
    run_id TEXT PRIMARY KEY,
    scenario TEXT NOT NULL,
    state TEXT NOT NULL,
    activated_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX scenario_runs_state ON scenario_runs(state, activated_at);
  CREATE TABLE scenario_run_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL REFERENCES scenario_runs(run_id),
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    step_id TEXT,
    detail TEXT,
    data TEXT
  );
  CREATE INDEX scenario_run_log_run ON scenario_run_log(run_id, seq);
  ${appendOnly('scenario_run_log')}
  `,
  // 4: people's accounts (electron/node/accounts): password hashes with their scrypt parameters,
  // TOTP secrets sealed with the data folder's key, lockout, recovery codes and sessions (hashes only)
  `
  CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    role TEXT NOT NULL,
    scope TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT NOT NULL,
    totp_secret TEXT,
    totp_last_step INTEGER,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    created_at INTEGER NOT NULL,
    changed_at INTEGER NOT NULL
  );
  CREATE TABLE recovery_codes (
    account_id TEXT NOT NULL REFERENCES accounts(id),
    code_hash TEXT NOT NULL,
    used_at INTEGER,
    PRIMARY KEY (account_id, code_hash)
  ) WITHOUT ROWID;
  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    created_at INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX sessions_account ON sessions(account_id, created_at);
  `,
  // 5: enrolled display windows (one credential per window, stored as its SHA-256) and one-time enrolment codes
  `
  CREATE TABLE displays (
    window_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    credential_hash TEXT NOT NULL UNIQUE,
    enrolled_by TEXT NOT NULL,
    enrolled_at INTEGER NOT NULL,
    last_seen_at INTEGER
  );
  CREATE TABLE enrolment_codes (
    code_hash TEXT PRIMARY KEY,
    window_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  `,
  // 6: the tamper-evident audit log (electron/node/audit): a hash chain of security events, and its
  // heads signed with the host's Ed25519 key. The triggers only stop mistakes: the chain and the
  // signatures are what tell tampering.
  `
  CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_name TEXT,
    actor_role TEXT,
    action TEXT NOT NULL,
    target TEXT,
    details TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE INDEX audit_log_at ON audit_log(at);
  CREATE INDEX audit_log_actor ON audit_log(actor_id, seq);
  CREATE INDEX audit_log_target ON audit_log(target, seq);
  CREATE INDEX audit_log_action ON audit_log(action, seq);
  -- the verifier looks up the wall command entry of each journal row through this
  CREATE INDEX audit_log_revision ON audit_log(json_extract(details, '$.revision'));
  ${appendOnly('audit_log')}
  CREATE TABLE audit_heads (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    hash TEXT NOT NULL,
    key_id TEXT NOT NULL,
    signature TEXT NOT NULL
  );
  ${appendOnly('audit_heads')}
  `,
  // 7: wall replay (electron/node/replay): each revision's patches and a checkpoint of the whole
  // wall every few revisions, both append-only; indexes to find journal lines, scenario lines and
  // acknowledgements by time (the replay timeline)
  `
  CREATE TABLE replay_patches (
    revision INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    patches TEXT NOT NULL
  );
  CREATE INDEX replay_patches_at ON replay_patches(at);
  CREATE TABLE replay_checkpoints (
    revision INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    doc TEXT NOT NULL
  );
  ${appendOnly('replay_patches')}
  ${appendOnly('replay_checkpoints')}
  CREATE INDEX command_journal_at ON command_journal(at);
  CREATE INDEX scenario_run_log_at ON scenario_run_log(at);
  CREATE INDEX alerts_acked_at ON alerts(acked_at) WHERE acked_at IS NOT NULL;
  `,
  // 8: no insert may overwrite a row of an append-only table (its primary key and UNIQUE columns)
  `
  ${noOverwrite('command_journal', ['seq', 'revision'])}
  ${noOverwrite('scenario_run_log', ['seq'])}
  ${noOverwrite('audit_log', ['seq'])}
  ${noOverwrite('audit_heads', ['seq'])}
  ${noOverwrite('replay_patches', ['revision'])}
  ${noOverwrite('replay_checkpoints', ['revision'])}
  `,
  // 9: the commune an alert concerns (null: province-wide), so a commune-scoped account's list is one query
  `
  ALTER TABLE alerts ADD COLUMN commune TEXT;
  CREATE INDEX alerts_commune_at ON alerts(commune, at);
  `,
  // 10: what a pair's standby keeps of its peer (electron/node/pair): a run log line copied from the
  // peer names the node that wrote it and its number there (NULL: written here); a session copied
  // from the peer names it (NULL: this node's own); the peer's audit chain is kept apart, as it was
  // written there, and is append-only too
  `
  ALTER TABLE scenario_run_log ADD COLUMN origin TEXT;
  ALTER TABLE scenario_run_log ADD COLUMN origin_seq INTEGER;
  CREATE UNIQUE INDEX scenario_run_log_origin ON scenario_run_log(origin, origin_seq) WHERE origin IS NOT NULL;
  ALTER TABLE sessions ADD COLUMN origin TEXT;
  CREATE TABLE peer_audit_log (
    origin TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_name TEXT,
    actor_role TEXT,
    action TEXT NOT NULL,
    target TEXT,
    details TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (origin, seq)
  ) WITHOUT ROWID;
  ${appendOnly('peer_audit_log')}
  CREATE TRIGGER peer_audit_log_no_overwrite BEFORE INSERT ON peer_audit_log
    WHEN EXISTS (SELECT 1 FROM peer_audit_log WHERE origin = NEW.origin AND seq = NEW.seq)
    BEGIN SELECT RAISE(ABORT, 'peer_audit_log is append-only: the row exists'); END;
  `,
];

/** Opens the wall database. A damaged file is refused, never written: the error names it and the newest backup. */
export function openDatabase(file: string, key: StorageKey): Db {
  return openSqliteFile(file, {
    kind: 'wall database',
    key,
    setup: (db) => {
      db.pragma('journal_mode = WAL');
      // Operator commands and acknowledgements must survive power loss: FULL, not NORMAL.
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      migrate(db, file, MIGRATIONS);
    },
    onDamage: { rebuild: false, advice: wallDatabaseAdvice },
  }).db;
}

/**
 * Brings a database to the newest schema: `migrations[v]` takes version v to v + 1 (PRAGMA
 * user_version), all in one transaction. A database newer than this build is refused, not touched.
 */
export function migrate(db: Db, file: string, migrations: readonly string[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    db.close();
    throw new Error(`${file} has schema version ${current}, newer than this build (${migrations.length}); refusing to open it`);
  }
  db.transaction(() => {
    for (let version = current; version < migrations.length; version++) {
      db.exec(migrations[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }
  })();
}

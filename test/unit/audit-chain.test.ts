/**
 * The audit chain against tampering, on real SQLite files: a wall database with audit entries and
 * command journal rows is written through the host's own modules, then copies of it are attacked
 * as someone with the file would (triggers dropped, rows edited, deleted, inserted, reordered, the
 * chain re-hashed, the tail cut, journal rows changed; triggers re-created) and verified — by the
 * module and by `npm run audit -- verify` — which must name the first bad entry each time.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { AuditVerifyReport } from '../../native-bridge/audit.js';
import { emptyWallState } from '../../native-bridge/wall-reducer.js';
import { AlertService } from '../../electron/node/alert-service.js';
import { AuditService } from '../../electron/node/audit/audit-service.js';
import { verifyAuditLog } from '../../electron/node/audit/audit-verify.js';
import { chainFieldsOf, entryHash, GENESIS_HASH, type AuditRow } from '../../electron/node/audit/canonical.js';
import { HEAD_KEY_FILE, HEAD_PUBLIC_KEY_FILE, loadOrCreateHeadKey, readPublicKey, signHead } from '../../electron/node/audit/head-key.js';
import { openDatabase } from '../../electron/node/database.js';
import { loadWallFile } from '../../electron/node/layout-files.js';
import { SqliteWallStore } from '../../electron/node/sqlite-wall-store.js';
import { demoWallFile, projectRoot, tempDir } from '../support/fixtures.js';
import { keyBeside, openHostFile } from '../support/storage.js';
import type { Db } from '../../electron/node/sqlite-cipher.js';
import { STORAGE_KEY_FILE } from '../../electron/node/storage-key.js';

const run = promisify(execFile);
const AUDIT_TRIGGERS = `
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;`;
const JOURNAL_TRIGGERS = `
  CREATE TRIGGER command_journal_no_update BEFORE UPDATE ON command_journal BEGIN SELECT RAISE(ABORT, 'command_journal is append-only'); END;
  CREATE TRIGGER command_journal_no_delete BEFORE DELETE ON command_journal BEGIN SELECT RAISE(ABORT, 'command_journal is append-only'); END;`;

type Row = AuditRow;
const hashOf = (r: Row) => entryHash(chainFieldsOf(r));

describe('audit chain against tampering', () => {
  const dataDir = tempDir();
  const file = join(dataDir, 'demo.sqlite');
  const ats = new Map<number, number>();
  let entries = 0;

  before(() => {
    const db = openDatabase(file, keyBeside(file));
    let now = Date.UTC(2026, 11, 2, 3, 0, 0);
    const audit = new AuditService({ db, dataDir, alerts: new AlertService(db), wallId: 'demo', clock: () => (now += 1000) });
    const store = new SqliteWallStore(db, () => {}, audit);
    const state = emptyWallState(loadWallFile(demoWallFile));
    const operator = { id: 'nguyenvanan', role: 'operator' as const, name: 'Nguyễn Văn An' };
    audit.record({ action: 'auth.sign-in', actor: operator, target: operator.id });
    store.commit({ revision: 1, at: now, actor: operator, command: { type: 'apply-preset', name: 'overview' } }, state);
    audit.log.signHead(); // a first signed head at #3
    store.commit({ revision: 2, at: now, actor: operator, command: { type: 'remove-tile', id: 'notes' } }, state);
    for (let i = 0; i < 6; i++) audit.record({ action: 'auth.sign-in.failed', actor: 'console', target: operator.id, details: { failures: i + 1 } });
    store.commit({ revision: 3, at: now, actor: operator, command: { type: 'remove-tile', id: 'clock' } }, state);
    audit.record({ action: 'auth.sign-out', actor: operator, target: operator.id });
    audit.close(); // signs the head at the last entry
    for (const row of db.prepare('SELECT seq, at FROM audit_log').all() as { seq: number; at: number }[]) ats.set(row.seq, row.at);
    entries = ats.size;
    db.close();
    assert.equal(entries, 12);
  });

  let copies = 0;
  /** A copy of the database attacked with `sql` (after dropping the triggers; they are re-created after), and its verification. */
  async function attacked(sql: string | ((db: Db) => void), publicKeyFile = join(dataDir, HEAD_PUBLIC_KEY_FILE)): Promise<AuditVerifyReport & { file: string }> {
    const dir = tempDir();
    const copy = join(dir, `copy-${++copies}.sqlite`);
    copyFileSync(file, copy);
    // a copied database travels with its data folder's storage key (docs/security.md)
    copyFileSync(keyBeside(file).file, join(dir, STORAGE_KEY_FILE));
    const raw = openHostFile(copy);
    raw.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; DROP TRIGGER command_journal_no_update; DROP TRIGGER command_journal_no_delete;');
    if (typeof sql === 'string') raw.exec(sql);
    else sql(raw);
    raw.exec(AUDIT_TRIGGERS + JOURNAL_TRIGGERS);
    raw.close();
    const db = openDatabase(copy, keyBeside(copy));
    try {
      return { ...(await verifyAuditLog(db, { publicKey: readPublicKey(publicKeyFile) })), file: copy };
    } finally {
      db.close();
    }
  }

  const first = (report: AuditVerifyReport) => {
    assert.equal(report.ok, false, 'the tampering is found');
    return report.problems[0]!;
  };

  it('finds an untouched chain intact: entries, two signed heads, the journal', async () => {
    const report = await attacked('');
    assert.deepEqual(report.problems, []);
    assert.equal(report.ok, true);
    assert.equal(report.entries, entries);
    assert.equal(report.signedHeads, 2);
    assert.equal(report.lastSignedSeq, entries);
    assert.equal(report.unsignedEntries, 0);
    assert.equal(report.journalRows, 3);
  });

  it('names an edited entry by seq and time', async () => {
    const problem = first(await attacked(`UPDATE audit_log SET details = '{"failures":0}' WHERE seq = 7`));
    assert.equal(problem.kind, 'edited');
    assert.equal(problem.seq, 7);
    assert.equal(problem.at, ats.get(7));
  });

  it('names an entry edited and re-hashed (the next one recorded its old hash)', async () => {
    const problem = first(
      await attacked((db) => {
        const row = db.prepare('SELECT * FROM audit_log WHERE seq = 7').get() as Row;
        const forged = { ...row, details: '{"failures":0}' };
        db.prepare('UPDATE audit_log SET details = ?, hash = ? WHERE seq = 7').run(forged.details, hashOf(forged));
      }),
    );
    assert.equal(problem.kind, 'edited');
    assert.equal(problem.seq, 7);
  });

  it('names a deleted entry, and one deleted with the later ones renumbered', async () => {
    const gap = first(await attacked('DELETE FROM audit_log WHERE seq = 6'));
    assert.equal(gap.kind, 'deleted');
    assert.equal(gap.seq, 6);
    const renumbered = first(await attacked('DELETE FROM audit_log WHERE seq = 6; UPDATE audit_log SET seq = -(seq - 1) WHERE seq > 6; UPDATE audit_log SET seq = -seq WHERE seq < 0;'));
    assert.equal(renumbered.kind, 'deleted');
    assert.equal(renumbered.seq, 6);
  });

  it('names an inserted entry, even one forged with a correct hash and link', async () => {
    const problem = first(
      await attacked((db) => {
        db.exec('UPDATE audit_log SET seq = -(seq + 1) WHERE seq >= 5; UPDATE audit_log SET seq = -seq WHERE seq < 0;');
        const previous = db.prepare('SELECT * FROM audit_log WHERE seq = 4').get() as Row;
        const forged: Row = { ...previous, seq: 5, at: previous.at + 1, action: 'auth.sign-in', details: null, prev_hash: previous.hash, hash: '' };
        forged.hash = hashOf(forged);
        db.prepare('INSERT INTO audit_log VALUES (@seq, @at, @actor_kind, @actor_id, @actor_name, @actor_role, @action, @target, @details, @prev_hash, @hash)').run(forged);
      }),
    );
    assert.equal(problem.kind, 'inserted');
    assert.equal(problem.seq, 5);
  });

  it('names reordered entries', async () => {
    const problem = first(await attacked('UPDATE audit_log SET seq = -1 WHERE seq = 8; UPDATE audit_log SET seq = 8 WHERE seq = 9; UPDATE audit_log SET seq = 9 WHERE seq = -1;'));
    assert.equal(problem.kind, 'reordered');
    assert.equal(problem.seq, 8);
  });

  it('detects triggers dropped and the chain rewritten from an edit onwards: the signed head no longer matches', async () => {
    const report = await attacked((db) => {
      db.prepare(`UPDATE audit_log SET details = '{"failures":0}' WHERE seq = 7`).run();
      let prevHash = (db.prepare('SELECT hash FROM audit_log WHERE seq = 6').get() as { hash: string }).hash;
      for (const row of db.prepare('SELECT * FROM audit_log WHERE seq >= 7 ORDER BY seq').all() as Row[]) {
        const hash = hashOf({ ...row, prev_hash: prevHash });
        db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?').run(prevHash, hash, row.seq);
        prevHash = hash;
      }
    });
    const problem = first(report);
    assert.equal(problem.kind, 'rewritten');
    // the first head (#3) still holds: the rewrite is after it, up to the last head
    assert.equal(problem.seq, 4);
    assert.match(problem.message, /#4–#12/);
  });

  it('reports a tail cut before the last signed head as truncation', async () => {
    const problem = first(await attacked('DELETE FROM audit_log WHERE seq >= 10'));
    assert.equal(problem.kind, 'truncated');
    assert.equal(problem.seq, 10);
    assert.equal(problem.at, ats.get(9));
  });

  it('detects heads re-signed with another key, checked against the public key kept elsewhere', async () => {
    const other = loadOrCreateHeadKey(tempDir());
    const forged = await attacked((db) => {
      db.exec('DROP TRIGGER audit_heads_no_update');
      for (const head of db.prepare('SELECT seq, at, hash FROM audit_heads').all() as { seq: number; at: number; hash: string }[]) {
        db.prepare('UPDATE audit_heads SET key_id = ?, signature = ? WHERE seq = ?').run(other.keyId, signHead(other, head), head.seq);
      }
    });
    const problem = first(forged);
    assert.equal(problem.kind, 'bad-signature');
    assert.equal(problem.seq, 3);
    assert.match(problem.message, new RegExp(other.keyId));
    assert.ok(existsSync(join(dataDir, HEAD_KEY_FILE)));
  });

  it('detects the command journal edited, deleted or added to behind the host (the found attack: drop its triggers, rewrite, re-create)', async () => {
    const edited = first(await attacked(`UPDATE command_journal SET command = '{"type":"apply-preset","name":"map"}' WHERE revision = 2`));
    assert.equal(edited.kind, 'journal-edited');
    assert.match(edited.message, /revision 2/);
    const deleted = first(await attacked('DELETE FROM command_journal WHERE revision = 3'));
    assert.equal(deleted.kind, 'journal-deleted');
    assert.match(deleted.message, /revision 3/);
    const inserted = first(await attacked(`INSERT INTO command_journal (revision, at, actor_id, actor_role, command) VALUES (4, 1, 'system', 'system', '{"type":"remove-tile","id":"map"}')`));
    assert.equal(inserted.kind, 'journal-inserted');
    assert.match(inserted.message, /revision 4/);
  });

  it('npm run audit -- verify: exit 0 with a summary when intact, non-zero naming the first bad entry', async () => {
    const cli = join(projectRoot, 'electron', 'node', 'audit', 'audit-cli.ts');
    const intact = await attacked('');
    const ok = await run(process.execPath, ['--import', 'tsx', cli, 'verify', '--database', intact.file, '--public-key', join(dataDir, HEAD_PUBLIC_KEY_FILE)], { cwd: projectRoot });
    assert.match(ok.stdout, /12 entries/);
    assert.match(ok.stdout, /intact/);
    const broken = await attacked(`UPDATE audit_log SET action = 'auth.sign-in' WHERE seq = 7`);
    await assert.rejects(run(process.execPath, ['--import', 'tsx', cli, 'verify', '--database', broken.file, '--public-key', join(dataDir, HEAD_PUBLIC_KEY_FILE)], { cwd: projectRoot }), (error: { code: number; stdout: string }) => {
      assert.equal(error.code, 1);
      assert.match(error.stdout, /TAMPERED \(edited\) at #7, 2026-12-02T03:00:/);
      return true;
    });
  });

  it('starts a new chain from the genesis hash', async () => {
    const db = openHostFile(file, { readonly: true });
    const firstRow = db.prepare('SELECT * FROM audit_log WHERE seq = 1').get() as Row;
    db.close();
    assert.equal(firstRow.prev_hash, GENESIS_HASH);
    assert.equal(firstRow.action, 'audit.started');
  });
});

/**
 * The displays and enrolment_codes tables of the wall database (migration 5). Rows in, typed
 * records out; only hashes of credentials and codes are stored. The rules live in display-access.ts.
 */
import type { Db } from '../database.js';

export interface DisplayRecord {
  windowId: string;
  name: string;
  credentialHash: string;
  enrolledBy: string;
  enrolledAt: number;
  lastSeenAt: number | null;
}

export interface EnrolmentCodeRecord {
  codeHash: string;
  windowId: string;
  name: string;
  createdBy: string;
  expiresAt: number;
}

interface DisplayRow {
  window_id: string;
  name: string;
  credential_hash: string;
  enrolled_by: string;
  enrolled_at: number;
  last_seen_at: number | null;
}

const toDisplay = (row: DisplayRow): DisplayRecord => ({
  windowId: row.window_id,
  name: row.name,
  credentialHash: row.credential_hash,
  enrolledBy: row.enrolled_by,
  enrolledAt: row.enrolled_at,
  lastSeenAt: row.last_seen_at,
});

export class DisplayStore {
  constructor(private readonly db: Db) {}

  list(): DisplayRecord[] {
    return (this.db.prepare('SELECT * FROM displays ORDER BY window_id').all() as DisplayRow[]).map(toDisplay);
  }

  byCredential(credentialHash: string): DisplayRecord | null {
    const row = this.db.prepare('SELECT * FROM displays WHERE credential_hash = ?').get(credentialHash) as DisplayRow | undefined;
    return row ? toDisplay(row) : null;
  }

  /** A window has one credential: enrolling it again replaces the old one. */
  enrol(record: Omit<DisplayRecord, 'lastSeenAt'>): void {
    this.db
      .prepare(
        `INSERT INTO displays (window_id, name, credential_hash, enrolled_by, enrolled_at, last_seen_at) VALUES (?, ?, ?, ?, ?, NULL)
         ON CONFLICT(window_id) DO UPDATE SET name = excluded.name, credential_hash = excluded.credential_hash,
           enrolled_by = excluded.enrolled_by, enrolled_at = excluded.enrolled_at, last_seen_at = NULL`,
      )
      .run(record.windowId, record.name, record.credentialHash, record.enrolledBy, record.enrolledAt);
  }

  revoke(windowId: string): boolean {
    return this.db.prepare('DELETE FROM displays WHERE window_id = ?').run(windowId).changes > 0;
  }

  seen(windowId: string, at: number): void {
    this.db.prepare('UPDATE displays SET last_seen_at = ? WHERE window_id = ?').run(at, windowId);
  }

  /** A window has at most one open code: a new one replaces it. Expired codes go; past `max` open codes the oldest do. */
  addCode(code: EnrolmentCodeRecord, now: number, max: number): void {
    const tx = this.db.transaction(() => {
      this.db.prepare('DELETE FROM enrolment_codes WHERE expires_at <= ? OR window_id = ?').run(now, code.windowId);
      this.db.prepare('DELETE FROM enrolment_codes WHERE code_hash IN (SELECT code_hash FROM enrolment_codes ORDER BY created_at DESC LIMIT -1 OFFSET ?)').run(max - 1);
      this.db.prepare('INSERT INTO enrolment_codes (code_hash, window_id, name, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)').run(code.codeHash, code.windowId, code.name, code.createdBy, now, code.expiresAt);
    });
    tx();
  }

  /** Removes the code and answers it (null: unknown or already used): a code is good for one enrolment. */
  takeCode(codeHash: string): EnrolmentCodeRecord | null {
    const row = this.db.prepare('DELETE FROM enrolment_codes WHERE code_hash = ? RETURNING code_hash, window_id, name, created_by, expires_at').get(codeHash) as
      | { code_hash: string; window_id: string; name: string; created_by: string; expires_at: number }
      | undefined;
    return row ? { codeHash: row.code_hash, windowId: row.window_id, name: row.name, createdBy: row.created_by, expiresAt: row.expires_at } : null;
  }
}

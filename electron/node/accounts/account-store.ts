/**
 * The accounts, recovery codes and sessions tables of the wall database (migration 4). Rows in,
 * typed records out; the rules (lockout, expiry, the last administrator) live in auth-service.ts.
 */
import type { Db } from '../database.js';
import { scope as scopeSchema, type AccountSummary, type PersonRole, type Scope } from '../../../native-bridge/contract.js';

export interface AccountRecord extends AccountSummary {
  passwordHash: string;
  /** Sealed (secret-box.ts); null until enrolment. */
  totpSecret: string | null;
  totpLastStep: number | null;
  failedAttempts: number;
  lockedUntil: number | null;
}

interface AccountRow {
  id: string;
  username: string;
  full_name: string;
  role: string;
  scope: string;
  disabled: number;
  password_hash: string;
  totp_secret: string | null;
  totp_last_step: number | null;
  failed_attempts: number;
  locked_until: number | null;
  created_at: number;
  changed_at: number;
}

export interface SessionRecord {
  tokenHash: string;
  accountId: string;
  createdAt: number;
  lastUsedAt: number;
  expiresAt: number;
}

function toRecord(row: AccountRow): AccountRecord {
  return {
    id: row.id,
    username: row.username,
    fullName: row.full_name,
    role: row.role as PersonRole,
    scope: scopeSchema.parse(JSON.parse(row.scope)),
    disabled: row.disabled === 1,
    totpEnrolled: row.totp_secret !== null,
    createdAt: row.created_at,
    changedAt: row.changed_at,
    passwordHash: row.password_hash,
    totpSecret: row.totp_secret,
    totpLastStep: row.totp_last_step,
    failedAttempts: row.failed_attempts,
    lockedUntil: row.locked_until,
  };
}

export function summaryOf(record: AccountRecord): AccountSummary {
  const { id, username, fullName, role, scope, disabled, totpEnrolled, createdAt, changedAt } = record;
  return { id, username, fullName, role, scope, disabled, totpEnrolled, createdAt, changedAt };
}

export class AccountStore {
  constructor(private readonly db: Db) {}

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM accounts').get() as { n: number }).n;
  }

  enabledAdministrators(): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM accounts WHERE role = 'administrator' AND disabled = 0").get() as { n: number }).n;
  }

  byId(id: string): AccountRecord | null {
    const row = this.db.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as AccountRow | undefined;
    return row ? toRecord(row) : null;
  }

  byUsername(username: string): AccountRecord | null {
    const row = this.db.prepare('SELECT * FROM accounts WHERE username = ?').get(username) as AccountRow | undefined;
    return row ? toRecord(row) : null;
  }

  list(): AccountRecord[] {
    return (this.db.prepare('SELECT * FROM accounts ORDER BY username').all() as AccountRow[]).map(toRecord);
  }

  insert(account: { id: string; username: string; fullName: string; role: PersonRole; scope: Scope; passwordHash: string }, now: number): AccountRecord {
    this.db
      .prepare('INSERT INTO accounts (id, username, full_name, role, scope, password_hash, created_at, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(account.id, account.username, account.fullName, account.role, JSON.stringify(account.scope), account.passwordHash, now, now);
    return this.byId(account.id)!;
  }

  update(id: string, change: { fullName?: string; role?: PersonRole; scope?: Scope; disabled?: boolean; passwordHash?: string }, now: number): void {
    const current = this.byId(id)!;
    this.db
      .prepare('UPDATE accounts SET full_name = ?, role = ?, scope = ?, disabled = ?, password_hash = ?, changed_at = ? WHERE id = ?')
      .run(change.fullName ?? current.fullName, change.role ?? current.role, JSON.stringify(change.scope ?? current.scope), (change.disabled ?? current.disabled) ? 1 : 0, change.passwordHash ?? current.passwordHash, now, id);
  }

  recordFailure(id: string, failedAttempts: number, lockedUntil: number | null): void {
    this.db.prepare('UPDATE accounts SET failed_attempts = ?, locked_until = ? WHERE id = ?').run(failedAttempts, lockedUntil, id);
  }

  clearFailures(id: string): void {
    this.db.prepare('UPDATE accounts SET failed_attempts = 0, locked_until = NULL WHERE id = ?').run(id);
  }

  /** Only a step newer than the stored one is written: two racing sign-ins cannot both use one code. */
  acceptTotpStep(id: string, step: number): boolean {
    return this.db.prepare('UPDATE accounts SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)').run(step, id, step).changes === 1;
  }

  enrolTotp(id: string, sealedSecret: string, step: number, recoveryHashes: readonly string[], now: number): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE accounts SET totp_secret = ?, totp_last_step = ?, changed_at = ? WHERE id = ?').run(sealedSecret, step, now, id);
      this.db.prepare('DELETE FROM recovery_codes WHERE account_id = ?').run(id);
      const insert = this.db.prepare('INSERT INTO recovery_codes (account_id, code_hash) VALUES (?, ?)');
      for (const hash of recoveryHashes) insert.run(id, hash);
    })();
  }

  /** Marks the code used; false when it is unknown or was used already. */
  useRecoveryCode(id: string, hash: string, now: number): boolean {
    return this.db.prepare('UPDATE recovery_codes SET used_at = ? WHERE account_id = ? AND code_hash = ? AND used_at IS NULL').run(now, id, hash).changes === 1;
  }

  // ---------------------------------------------------------------------------------------------
  // Sessions

  insertSession(session: SessionRecord, maxPerAccount: number): void {
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO sessions (token_hash, account_id, created_at, last_used_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(session.tokenHash, session.accountId, session.createdAt, session.lastUsedAt, session.expiresAt);
      // the oldest beyond the bound end: a forgotten console elsewhere, not the person signing in now
      this.db
        .prepare('DELETE FROM sessions WHERE account_id = ? AND token_hash NOT IN (SELECT token_hash FROM sessions WHERE account_id = ? ORDER BY created_at DESC LIMIT ?)')
        .run(session.accountId, session.accountId, maxPerAccount);
    })();
  }

  session(tokenHash: string): SessionRecord | null {
    const row = this.db.prepare('SELECT token_hash, account_id, created_at, last_used_at, expires_at FROM sessions WHERE token_hash = ?').get(tokenHash) as
      | { token_hash: string; account_id: string; created_at: number; last_used_at: number; expires_at: number }
      | undefined;
    return row ? { tokenHash: row.token_hash, accountId: row.account_id, createdAt: row.created_at, lastUsedAt: row.last_used_at, expiresAt: row.expires_at } : null;
  }

  touchSession(tokenHash: string, at: number): void {
    this.db.prepare('UPDATE sessions SET last_used_at = ? WHERE token_hash = ?').run(at, tokenHash);
  }

  deleteSession(tokenHash: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  deleteSessionsOf(accountId: string): void {
    this.db.prepare('DELETE FROM sessions WHERE account_id = ?').run(accountId);
  }

  /** Enabled accounts with a session that has not expired or gone idle at `now`, with the session's last use. */
  signedIn(now: number, idleMs: number): { account: AccountRecord; lastUsedAt: number }[] {
    const rows = this.db
      .prepare('SELECT a.*, MAX(s.last_used_at) AS session_used_at FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE a.disabled = 0 AND s.expires_at > ? AND s.last_used_at > ? GROUP BY a.id')
      .all(now, now - idleMs) as (AccountRow & { session_used_at: number })[];
    return rows.map((row) => ({ account: toRecord(row), lastUsedAt: row.session_used_at }));
  }

  deleteExpiredSessions(now: number, idleMs: number): void {
    this.db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_used_at <= ?').run(now, now - idleMs);
  }
}

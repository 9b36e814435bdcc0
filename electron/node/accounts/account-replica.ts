/**
 * Accounts and sessions as a pair's standby copies them from the active node (the peer link is
 * CURVE-encrypted both ways): password hashes as stored (never a password), recovery codes as
 * hashes, sessions as token hashes. TOTP secrets are sealed under each node's own accounts.key, so
 * the active node opens them for the copy and the standby seals them again under its own.
 *
 * Who owns what: the active node owns the accounts and the sessions signed in on it; a node's own
 * sessions are handed to its peer when it stops driving the wall, and taken back when it drives it
 * again. So a session ended on the active node ends on both, and a session a console signed in on
 * the standby itself is never touched by the copy. A copied account older than this node's own
 * change of it is refused (the copy must not undo a newer change here), and so are the sessions of
 * an account this node does not hold.
 */
import { createHash } from 'node:crypto';
import type { PeerAccount, PeerSession } from '../../../native-bridge/contract.js';
import type { Db } from '../database.js';
import { canonicalJson } from '../audit/canonical.js';
import type { AccountStore } from './account-store.js';
import type { SecretBox } from './secret-box.js';

export interface AccountsCopy {
  accounts: PeerAccount[];
  sessions: PeerSession[];
}

/** What one copy changed here, and what it refused (each naming the account or session). */
export interface MirrorResult {
  taken: number;
  endedSessions: string[];
  changedAccounts: string[];
  refused: string[];
}

export const copyDigest = (copy: AccountsCopy): string => createHash('sha256').update(canonicalJson(copy)).digest('hex');

export class AccountReplica {
  constructor(
    private readonly db: Db,
    private readonly store: AccountStore,
    private readonly box: SecretBox,
  ) {}

  /**
   * Everything the active node hands its standby, at most `limits` rows and about `limits.bytes` of
   * JSON (a frame has a bound: past it, the accounts last by name and the oldest sessions stay out).
   */
  copy(limits: { accounts: number; sessions: number; bytes: number }): AccountsCopy {
    const codes = this.db.prepare('SELECT code_hash, used_at FROM recovery_codes WHERE account_id = ? ORDER BY code_hash');
    const accounts = this.store
      .list()
      .slice(0, limits.accounts)
      .map((a) => ({
        id: a.id,
        fullName: a.fullName,
        role: a.role,
        scope: a.scope,
        disabled: a.disabled,
        passwordHash: a.passwordHash,
        totpSecret: a.totpSecret === null ? null : this.box.open(a.totpSecret),
        totpLastStep: a.totpLastStep,
        createdAt: a.createdAt,
        changedAt: a.changedAt,
        recoveryCodes: (codes.all(a.id) as { code_hash: string; used_at: number | null }[]).map((c) => ({ hash: c.code_hash, usedAt: c.used_at })),
      }));
    const sessions = (
      this.db.prepare('SELECT token_hash, account_id, created_at, last_used_at, expires_at FROM sessions ORDER BY created_at DESC, token_hash LIMIT ?').all(limits.sessions) as {
        token_hash: string;
        account_id: string;
        created_at: number;
        last_used_at: number;
        expires_at: number;
      }[]
    ).map((s) => ({ tokenHash: s.token_hash, accountId: s.account_id, createdAt: s.created_at, lastUsedAt: s.last_used_at, expiresAt: s.expires_at }));
    let budget = limits.bytes;
    const within = <T>(rows: T[]): T[] => {
      const kept: T[] = [];
      for (const row of rows) {
        budget -= JSON.stringify(row).length;
        if (budget < 0) break;
        kept.push(row);
      }
      return kept;
    };
    return { accounts: within(accounts), sessions: within(sessions) };
  }

  /** Takes the active node's copy (node `origin`), in one transaction. */
  mirror(copy: AccountsCopy, origin: string): MirrorResult {
    const result: MirrorResult = { taken: 0, endedSessions: [], changedAccounts: [], refused: [] };
    this.db.transaction(() => {
      const held = new Set<string>();
      for (const account of copy.accounts) {
        if (this.takeAccount(account, result)) held.add(account.id);
      }
      const local = this.db.prepare('SELECT token_hash, account_id, created_at, origin FROM sessions WHERE token_hash = ?');
      const insert = this.db.prepare('INSERT INTO sessions (token_hash, account_id, created_at, last_used_at, expires_at, origin) VALUES (?, ?, ?, ?, ?, ?)');
      const touch = this.db.prepare('UPDATE sessions SET last_used_at = max(last_used_at, ?) WHERE token_hash = ?');
      const wanted = new Set<string>();
      for (const session of copy.sessions) {
        const mine = local.get(session.tokenHash) as { account_id: string; created_at: number; origin: string | null } | undefined;
        if (!held.has(session.accountId) || (mine && (mine.account_id !== session.accountId || mine.created_at !== session.createdAt))) {
          result.refused.push(`session of ${session.accountId}`);
          continue;
        }
        wanted.add(session.tokenHash);
        if (mine) touch.run(session.lastUsedAt, session.tokenHash);
        else insert.run(session.tokenHash, session.accountId, session.createdAt, session.lastUsedAt, session.expiresAt, origin);
        result.taken++;
      }
      // the peer's sessions it no longer holds ended there (signed out, expired, account changed)
      for (const row of this.db.prepare('SELECT token_hash FROM sessions WHERE origin = ?').all(origin) as { token_hash: string }[]) {
        if (wanted.has(row.token_hash)) continue;
        this.store.deleteSession(row.token_hash);
        result.endedSessions.push(row.token_hash);
      }
    })();
    return result;
  }

  /** This node stops driving the wall: the sessions signed in on it so far are the new active node's to end. */
  handOverSessions(peer: string): void {
    this.db.prepare('UPDATE sessions SET origin = ? WHERE origin IS NULL').run(peer);
  }

  /** This node drives the wall: every session it holds is its own. */
  takeOverSessions(): void {
    this.db.prepare('UPDATE sessions SET origin = NULL WHERE origin IS NOT NULL').run();
  }

  private takeAccount(account: PeerAccount, result: MirrorResult): boolean {
    const local = this.store.byId(account.id);
    if (local && local.changedAt > account.changedAt) {
      result.refused.push(`account ${account.id} (changed here after the copy)`);
      return false;
    }
    // what ends an account's sessions on the active node ends its live connections here too
    const ending = !!local && (local.role !== account.role || canonicalJson(local.scope) !== canonicalJson(account.scope) || local.disabled !== account.disabled || local.passwordHash !== account.passwordHash);
    const same =
      local &&
      !ending &&
      local.fullName === account.fullName &&
      (local.totpSecret === null ? null : this.box.open(local.totpSecret)) === account.totpSecret &&
      local.createdAt === account.createdAt &&
      local.changedAt === account.changedAt;
    if (!same) {
      const sealed = account.totpSecret === null ? null : this.box.seal(account.totpSecret);
      this.db
        .prepare(
          `INSERT INTO accounts (id, username, full_name, role, scope, disabled, password_hash, totp_secret, totp_last_step, created_at, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET full_name = excluded.full_name, role = excluded.role, scope = excluded.scope, disabled = excluded.disabled,
             password_hash = excluded.password_hash, totp_secret = excluded.totp_secret, created_at = excluded.created_at, changed_at = excluded.changed_at`,
        )
        .run(account.id, account.id, account.fullName, account.role, JSON.stringify(account.scope), account.disabled ? 1 : 0, account.passwordHash, sealed, account.totpLastStep, account.createdAt, account.changedAt);
      if (ending) result.changedAccounts.push(account.id);
    }
    // a code used on either node is used: the later step, the earlier use
    if (account.totpLastStep !== null) this.store.acceptTotpStep(account.id, account.totpLastStep);
    this.takeRecoveryCodes(account);
    result.taken++;
    return true;
  }

  private takeRecoveryCodes(account: PeerAccount): void {
    const mine = new Map((this.db.prepare('SELECT code_hash, used_at FROM recovery_codes WHERE account_id = ?').all(account.id) as { code_hash: string; used_at: number | null }[]).map((c) => [c.code_hash, c.used_at]));
    const theirs = new Set(account.recoveryCodes.map((c) => c.hash));
    if (mine.size === theirs.size && [...theirs].every((h) => mine.has(h))) {
      const use = this.db.prepare('UPDATE recovery_codes SET used_at = ? WHERE account_id = ? AND code_hash = ? AND used_at IS NULL');
      for (const code of account.recoveryCodes) if (code.usedAt !== null) use.run(code.usedAt, account.id, code.hash);
      return;
    }
    // enrolled again there: its new codes replace the old ones
    this.db.prepare('DELETE FROM recovery_codes WHERE account_id = ?').run(account.id);
    const insert = this.db.prepare('INSERT INTO recovery_codes (account_id, code_hash, used_at) VALUES (?, ?, ?)');
    for (const code of account.recoveryCodes) insert.run(account.id, code.hash, code.usedAt);
  }
}

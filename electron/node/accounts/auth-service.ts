/**
 * Sign-in and accounts: passwords (scrypt), lockout with backoff per account, a bounded rate of
 * attempts per connection, TOTP for the roles that need it (enrolment, replay refused, recovery
 * codes), sessions (random 256-bit tokens stored hashed, idle and absolute expiry, kept across host
 * restarts) and the administrator's account management. Every security event goes to `audit`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  AUTH_LIMITS,
  ContractError,
  type AccountSummary,
  type Actor,
  type AuthStatus,
  type SignedInPerson,
  type SignInResponse,
} from '../../../native-bridge/contract.js';
import type { z } from 'zod';
import type { authRequests } from '../../../native-bridge/auth.js';
import { TOTP_ROLES } from '../../../native-bridge/policy.js';
import { TokenBucket } from '../../../native-bridge/token-bucket.js';
import type { DutyRoster, OnDutyPerson } from '../../common/ports.js';
import type { Db } from '../database.js';
import { AccountReplica, type AccountsCopy, type MirrorResult } from './account-replica.js';
import { inScope } from './scope.js';
import { AccountStore, summaryOf, type AccountRecord } from './account-store.js';
import { decoyHash, hashPassword, verifyPassword } from './password-hash.js';
import { secretBox, type SecretBox } from './secret-box.js';
import { looksLikeRecoveryCode, newRecoveryCodes, newTotpSecret, recoveryCodeHash, verifyTotp } from './totp.js';

/** A security event; the core records it in the tamper-evident audit log (electron/node/audit). */
export interface AuditInput {
  action: string;
  actor: { id: string; role: string } | null;
  subject?: string;
  detail?: Record<string, unknown>;
}

export interface AuthOptions {
  dataDir: string;
  clock?: () => number;
  /** A session unused this long ends (default 30 minutes). */
  idleMs?: number;
  /** A session ends this long after sign-in whatever its use (default 12 hours: one shift). */
  absoluteMs?: number;
  audit?: (entry: AuditInput) => void;
}

export const LOCKOUT = { freeFailures: 4, firstLockMs: 30_000, maxLockMs: 15 * 60_000 } as const;
/** Sign-in attempts (auth.signIn, auth.setup, auth.confirmTotp) per connection: a burst, then one a second. */
export const ATTEMPTS = { burst: 10, perSecond: 1 } as const;
/** How often a session's last use is written back (its idle deadline lives in memory in between). */
const TOUCH_WRITE_MS = 15_000;

/** A connection's signed-in session. */
export interface LiveSession {
  tokenHash: string;
  person: SignedInPerson;
  actor: Actor;
  idleDeadline: number;
  absoluteDeadline: number;
  writtenAt: number;
}

/** What one connection has proved so far. */
export interface AuthConnection {
  session: LiveSession | null;
  /** The password was right on this connection and the account must enrol TOTP (the secret once asked for). */
  enrolling: { accountId: string; secret: string | null } | null;
  attempts: TokenBucket;
}

export type EndReason = 'expired' | 'signed-out' | 'account-changed';
type Ended = { tokenHash: string } | { accountId: string };

type Req<K extends keyof typeof authRequests> = z.output<(typeof authRequests)[K]>;

const GENERIC_REFUSAL = 'wrong username, password or code (or the account is disabled)';
const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
const needsTotp = (account: AccountRecord): boolean => TOTP_ROLES.includes(account.role);

/** Who takes charge of what starts by itself: a commander before an operator. */
const DUTY_ROLES = ['commander', 'operator'] as const;

export class AuthService implements DutyRoster {
  readonly store: AccountStore;
  /** What a pair's standby copies of the accounts and sessions (account-replica.ts). */
  readonly replica: AccountReplica;
  private readonly box: SecretBox;
  private readonly clock: () => number;
  private readonly idleMs: number;
  private readonly absoluteMs: number;
  private readonly audit: (entry: AuditInput) => void;
  private readonly endListeners = new Set<(ended: Ended, reason: EndReason) => void>();
  /** The one-time code that lets the first administrator be created (null once an account exists). */
  private setupCode: string | null = null;

  constructor(db: Db, options: AuthOptions) {
    this.store = new AccountStore(db);
    this.box = secretBox(options.dataDir);
    this.replica = new AccountReplica(db, this.store, this.box);
    this.clock = options.clock ?? Date.now;
    this.idleMs = options.idleMs ?? 30 * 60_000;
    this.absoluteMs = options.absoluteMs ?? 12 * 3600_000;
    this.audit = options.audit ?? (() => {});
    this.store.deleteExpiredSessions(this.clock(), this.idleMs);
  }

  newConnection(): AuthConnection {
    return { session: null, enrolling: null, attempts: new TokenBucket(ATTEMPTS.perSecond, ATTEMPTS.burst, this.clock) };
  }

  /** Sessions ended elsewhere (sign-out, an administrator's change): the host drops them from live connections. */
  onEnded(listener: (ended: Ended, reason: EndReason) => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  setupNeeded(): boolean {
    return this.store.count() === 0;
  }

  /** A new one-time setup code (only while no account exists), for the host to print. */
  issueSetupCode(): string {
    this.setupCode = randomBytes(8).toString('hex');
    return this.setupCode;
  }

  status(conn: AuthConnection): AuthStatus {
    return { setupNeeded: this.setupNeeded(), person: this.alive(conn)?.person ?? null, enrolmentNeeded: conn.enrolling !== null };
  }

  // -------------------------------------------------------------------------------------------
  // First run, sign-in, TOTP

  async setup(request: Req<'setup'>, conn: AuthConnection): Promise<void> {
    this.takeAttempt(conn);
    if (!this.setupNeeded()) throw new ContractError('conflict', 'the host is set up already: sign in', 'setupCode');
    const expected = this.setupCode;
    if (!expected || !sameSecret(request.setupCode.trim(), expected)) {
      this.audit({ action: 'auth.setup.failed', actor: null, subject: request.username });
      throw new ContractError('forbidden', 'wrong setup code (the host prints it at start while no account exists)', 'setupCode');
    }
    this.setupCode = null;
    await this.insertAccount({ username: request.username, fullName: request.fullName, role: 'administrator', scope: { kind: 'province' }, password: request.password }, null);
  }

  async signIn(request: Req<'signIn'>, conn: AuthConnection): Promise<SignInResponse> {
    this.takeAttempt(conn);
    const now = this.clock();
    const account = this.store.byUsername(request.username);
    if (!account || account.disabled) {
      await verifyPassword(request.password, await decoyHash);
      this.audit({ action: 'auth.sign-in.failed', actor: null, subject: request.username, detail: { reason: account ? 'disabled' : 'unknown-user' } });
      throw new ContractError('forbidden', GENERIC_REFUSAL);
    }
    if (account.lockedUntil !== null && now < account.lockedUntil) {
      this.audit({ action: 'auth.sign-in.refused-locked', actor: null, subject: account.id });
      throw new ContractError('rate-limited', `account ${account.username} is locked after repeated failures; try again in ${Math.ceil((account.lockedUntil - now) / 1000)} s`);
    }
    if (!(await verifyPassword(request.password, account.passwordHash))) return this.failed(account, 'password');
    if (needsTotp(account)) {
      if (account.totpSecret === null) {
        conn.enrolling = { accountId: account.id, secret: null };
        return { state: 'enrolment-needed' };
      }
      if (request.code === undefined) return { state: 'second-factor-needed' };
      if (!this.secondFactor(account, request.code)) return this.failed(account, 'code');
    }
    this.store.clearFailures(account.id);
    return this.startSession(account, conn);
  }

  enrolTotp(conn: AuthConnection): { secret: string; uri: string } {
    const enrolling = this.enrolmentOf(conn);
    const account = this.store.byId(enrolling.accountId)!;
    const { secret, uri } = newTotpSecret();
    enrolling.secret = secret;
    return { secret, uri: uri(account.username) };
  }

  confirmTotp(request: Req<'confirmTotp'>, conn: AuthConnection) {
    this.takeAttempt(conn);
    const enrolling = this.enrolmentOf(conn);
    if (enrolling.secret === null) throw new ContractError('conflict', 'ask for a secret first (auth.enrolTotp)', 'code');
    const step = verifyTotp(enrolling.secret, request.code, null);
    if (step === null) throw new ContractError('forbidden', 'the code does not match the new secret: check the phone clock and type the current code', 'code');
    const account = this.store.byId(enrolling.accountId)!;
    const recoveryCodes = newRecoveryCodes();
    this.store.enrolTotp(account.id, this.box.seal(enrolling.secret), step, recoveryCodes.map(recoveryCodeHash), this.clock());
    conn.enrolling = null;
    this.audit({ action: 'auth.totp.enrolled', actor: actorOf(account), subject: account.id });
    this.store.clearFailures(account.id);
    return { ...this.startSession(this.store.byId(account.id)!, conn), recoveryCodes };
  }

  /** A session token presented in session.hello: the connection's session, or null (unknown, expired, account disabled). */
  resume(token: string, conn: AuthConnection): LiveSession | null {
    const tokenHash = hashToken(token);
    const stored = this.store.session(tokenHash);
    const now = this.clock();
    if (!stored) return null;
    const account = this.store.byId(stored.accountId);
    if (!account || account.disabled || now >= stored.expiresAt || now >= stored.lastUsedAt + this.idleMs) {
      this.store.deleteSession(tokenHash);
      return null;
    }
    this.touch(tokenHash, now);
    conn.session = { tokenHash, person: personOf(account), actor: actorOf(account), idleDeadline: Math.min(now + this.idleMs, stored.expiresAt), absoluteDeadline: stored.expiresAt, writtenAt: now };
    return conn.session;
  }

  /** The connection's session if it has not expired (no use recorded: events and status checks). */
  alive(conn: AuthConnection): LiveSession | null {
    const session = conn.session;
    if (!session) return null;
    if (this.clock() < Math.min(session.idleDeadline, session.absoluteDeadline)) return session;
    conn.session = null;
    this.store.deleteSession(session.tokenHash);
    this.audit({ action: 'auth.session.expired', actor: session.actor, subject: session.actor.id });
    return null;
  }

  /** A request on the connection: its session (or null once expired), its idle deadline pushed on. */
  use(conn: AuthConnection): LiveSession | null {
    const session = this.alive(conn);
    if (!session) return null;
    const now = this.clock();
    session.idleDeadline = Math.min(now + this.idleMs, session.absoluteDeadline);
    if (now - session.writtenAt >= TOUCH_WRITE_MS) {
      this.touch(session.tokenHash, now);
      session.writtenAt = now;
    }
    return session;
  }

  signOut(conn: AuthConnection): void {
    const session = conn.session;
    conn.session = null;
    conn.enrolling = null;
    if (!session) return;
    this.store.deleteSession(session.tokenHash);
    this.audit({ action: 'auth.sign-out', actor: session.actor, subject: session.actor.id });
    this.ended({ tokenHash: session.tokenHash }, 'signed-out');
  }

  onDuty(commune: string | null): OnDutyPerson | null {
    const signedIn = this.store.signedIn(this.clock(), this.idleMs).filter(({ account }) => inScope(account.scope, commune));
    for (const role of DUTY_ROLES) {
      const latest = signedIn.filter(({ account }) => account.role === role).sort((a, b) => b.lastUsedAt - a.lastUsedAt)[0];
      if (latest) return { id: latest.account.id, fullName: latest.account.fullName, role };
    }
    return null;
  }

  /** A pair's standby takes the active node's accounts and sessions; live connections of what ended there end here too. */
  mirror(copy: AccountsCopy, origin: string): MirrorResult {
    const result = this.replica.mirror(copy, origin);
    for (const tokenHash of result.endedSessions) this.ended({ tokenHash }, 'signed-out');
    for (const accountId of result.changedAccounts) this.ended({ accountId }, 'account-changed');
    return result;
  }

  // -------------------------------------------------------------------------------------------
  // Accounts (administrator)

  names(): { id: string; fullName: string }[] {
    return this.store.list().map(({ id, fullName }) => ({ id, fullName }));
  }

  list(): AccountSummary[] {
    return this.store.list().map(summaryOf);
  }

  create(request: Req<'create'>, by: Actor): Promise<AccountSummary> {
    return this.insertAccount(request, by);
  }

  update(request: Req<'update'>, by: Actor): AccountSummary {
    const account = this.existing(request.id);
    if (request.role !== undefined && request.role !== 'administrator') this.keepAnAdministrator(account, 'role');
    this.store.update(account.id, request, this.clock());
    const changed = this.store.byId(account.id)!;
    this.audit({ action: 'account.changed', actor: by, subject: account.id, detail: { fullName: request.fullName, role: request.role, scope: request.scope } });
    if (changed.role !== account.role || JSON.stringify(changed.scope) !== JSON.stringify(account.scope)) this.endSessionsOf(account.id);
    return summaryOf(changed);
  }

  async resetPassword(request: Req<'resetPassword'>, by: Actor): Promise<void> {
    const account = this.existing(request.id);
    this.store.update(account.id, { passwordHash: await hashPassword(request.password) }, this.clock());
    this.store.clearFailures(account.id);
    this.audit({ action: 'account.password-reset', actor: by, subject: account.id });
    this.endSessionsOf(account.id);
  }

  disable(request: Req<'disable'>, by: Actor): AccountSummary {
    const account = this.existing(request.id);
    if (request.disabled) this.keepAnAdministrator(account, 'id');
    this.store.update(account.id, { disabled: request.disabled }, this.clock());
    this.audit({ action: request.disabled ? 'account.disabled' : 'account.enabled', actor: by, subject: account.id });
    if (request.disabled) this.endSessionsOf(account.id);
    return summaryOf(this.store.byId(account.id)!);
  }

  // -------------------------------------------------------------------------------------------

  /** Records a session's use; a failed write (a full disk) costs only the idle time a restart would forget, never the sign-in. */
  private touch(tokenHash: string, at: number): void {
    try {
      this.store.touchSession(tokenHash, at);
    } catch (error) {
      console.error(`ioc-wall: could not record a session's use: ${(error as Error).message}`);
    }
  }

  private async insertAccount(request: Req<'create'>, by: Actor | null): Promise<AccountSummary> {
    if (this.store.byUsername(request.username)) throw new ContractError('conflict', `the username ${request.username} is taken`, 'username');
    const passwordHash = await hashPassword(request.password);
    // re-checked after the (slow) hash: two creations of one name cannot both pass
    if (this.store.byUsername(request.username)) throw new ContractError('conflict', `the username ${request.username} is taken`, 'username');
    const account = this.store.insert({ id: request.username, username: request.username, fullName: request.fullName, role: request.role, scope: request.scope, passwordHash }, this.clock());
    this.audit({ action: 'account.created', actor: by, subject: account.id, detail: { role: account.role, scope: account.scope } });
    return summaryOf(account);
  }

  private existing(id: string): AccountRecord {
    const account = this.store.byId(id);
    if (!account) throw new ContractError('not-found', `no account "${id}"`, 'id');
    return account;
  }

  private keepAnAdministrator(account: AccountRecord, field: string): void {
    if (account.role === 'administrator' && !account.disabled && this.store.enabledAdministrators() <= 1) {
      throw new ContractError('conflict', `${account.username} is the last administrator: create another one first`, field);
    }
  }

  private endSessionsOf(accountId: string): void {
    this.store.deleteSessionsOf(accountId);
    this.ended({ accountId }, 'account-changed');
  }

  private ended(ended: Ended, reason: EndReason): void {
    this.endListeners.forEach((listener) => listener(ended, reason));
  }

  private takeAttempt(conn: AuthConnection): void {
    if (!conn.attempts.take()) throw new ContractError('rate-limited', `too many sign-in attempts on this connection (over ${ATTEMPTS.perSecond} a second); wait`);
  }

  private enrolmentOf(conn: AuthConnection): NonNullable<AuthConnection['enrolling']> {
    if (!conn.enrolling) throw new ContractError('forbidden', 'TOTP enrolment follows a right password on this connection: sign in first');
    return conn.enrolling;
  }

  private secondFactor(account: AccountRecord, code: string): boolean {
    const typed = code.trim();
    if (/^\d{6}$/.test(typed)) {
      const step = verifyTotp(this.box.open(account.totpSecret!), typed, account.totpLastStep);
      return step !== null && this.store.acceptTotpStep(account.id, step);
    }
    if (!looksLikeRecoveryCode(typed) || !this.store.useRecoveryCode(account.id, recoveryCodeHash(typed), this.clock())) return false;
    this.audit({ action: 'auth.recovery-code.used', actor: actorOf(account), subject: account.id });
    return true;
  }

  private failed(account: AccountRecord, what: 'password' | 'code'): never {
    const failures = account.failedAttempts + 1;
    const over = failures - LOCKOUT.freeFailures;
    const lockedUntil = over > 0 ? this.clock() + Math.min(LOCKOUT.firstLockMs * 2 ** (over - 1), LOCKOUT.maxLockMs) : null;
    this.store.recordFailure(account.id, failures, lockedUntil);
    this.audit({ action: 'auth.sign-in.failed', actor: null, subject: account.id, detail: { reason: `wrong-${what}`, failures } });
    if (lockedUntil !== null) this.audit({ action: 'auth.lockout', actor: null, subject: account.id, detail: { failures, lockedUntil } });
    throw new ContractError('forbidden', GENERIC_REFUSAL);
  }

  private startSession(account: AccountRecord, conn: AuthConnection) {
    const token = randomBytes(32).toString('hex');
    const now = this.clock();
    const expiresAt = now + this.absoluteMs;
    const tokenHash = hashToken(token);
    this.store.insertSession({ tokenHash, accountId: account.id, createdAt: now, lastUsedAt: now, expiresAt }, AUTH_LIMITS.sessionsPerAccount);
    const person = personOf(account);
    conn.session = { tokenHash, person, actor: actorOf(account), idleDeadline: Math.min(now + this.idleMs, expiresAt), absoluteDeadline: expiresAt, writtenAt: now };
    conn.enrolling = null;
    this.audit({ action: 'auth.sign-in', actor: conn.session.actor, subject: account.id });
    return { state: 'signed-in' as const, token, person, expiresAt };
  }
}

function personOf(account: AccountRecord): SignedInPerson {
  const { id, username, fullName, role, scope } = account;
  return { id, username, fullName, role, scope };
}

function actorOf(account: AccountRecord): Actor {
  return { id: account.id, role: account.role, name: account.fullName };
}

function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

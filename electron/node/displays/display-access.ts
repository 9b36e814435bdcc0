/**
 * Display windows' own credentials: issued at enrolment (a one-time code a technician makes in the
 * console, or the host itself for the windows it opens), stored as SHA-256 only, valid for the one
 * window they were issued for, revocable, and kept across host restarts (any host reading the same
 * wall database accepts them). Codes are short-lived, single use and rate-limited per connection.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { ContractError, DISPLAY_LIMITS, type Actor, type DisplaySummary, type ResponseOf } from '../../../native-bridge/contract.js';
import type { AuditInput } from '../accounts/auth-service.js';
import type { Db } from '../database.js';
import { TokenBucket } from '../../../native-bridge/token-bucket.js';
import { DisplayStore, type DisplayRecord } from './display-store.js';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
/** Codes are read out and typed: no 0/O, 1/I. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const normalCode = (code: string): string => code.trim().toUpperCase().replace('-', '');

/** The name a window gets when its code named none: rows and columns counted from 1, as people count them. */
export function defaultDisplayName(windowId: string): string {
  const [, row, column] = /^r(\d+)c(\d+)$/.exec(windowId) ?? [];
  return `Màn hình hàng ${Number(row) + 1}, cột ${Number(column) + 1}`;
}

export interface DisplayAccessOptions {
  clock?: () => number;
  audit?: (entry: AuditInput) => void;
}

export class DisplayAccess {
  private readonly store: DisplayStore;
  private readonly clock: () => number;
  private readonly audit: (entry: AuditInput) => void;
  private readonly revokedListeners = new Set<(windowId: string) => void>();

  constructor(db: Db, options: DisplayAccessOptions = {}) {
    this.store = new DisplayStore(db);
    this.clock = options.clock ?? Date.now;
    this.audit = options.audit ?? (() => {});
  }

  /** Each connection's enrolment attempts: a short burst, then one every two seconds. */
  newAttempts(): TokenBucket {
    return new TokenBucket(DISPLAY_LIMITS.enrolPerSecond, DISPLAY_LIMITS.enrolBurst, this.clock);
  }

  /** The display a credential was issued for, or null (unknown, revoked, replaced by a later enrolment). */
  verify(credential: string): DisplayRecord | null {
    const hash = sha256(credential);
    const found = this.store.byCredential(hash);
    // the lookup is by hash already; the compare keeps a near-miss from reading differently
    return found && timingSafeEqual(Buffer.from(found.credentialHash), Buffer.from(hash)) ? found : null;
  }

  /**
   * A new credential for the window, replacing any earlier one (whose connections end).
   * `enrolledBy`: the account that made the enrolment code, or "system" (the host's own window).
   */
  issue(windowId: string, name: string, enrolledBy: string): string {
    const credential = `d-${randomBytes(32).toString('hex')}`;
    const replaced = this.store.list().some((d) => d.windowId === windowId);
    this.store.enrol({ windowId, name, credentialHash: sha256(credential), enrolledBy, enrolledAt: this.clock() });
    if (replaced) this.revokedListeners.forEach((l) => l(windowId));
    // the window itself enrolled (with a code someone made), or the host enrolled its own window
    const actor = enrolledBy === 'system' ? { id: 'system', role: 'system' } : { id: windowId, role: 'display' };
    this.audit({ action: 'display.enrolled', actor, subject: windowId, detail: { name, enrolledBy } });
    return credential;
  }

  enrolmentCode(request: { window: string; name?: string | undefined }, by: Actor): ResponseOf<'displays.enrolmentCode'> {
    const now = this.clock();
    const raw = Array.from({ length: 10 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
    const name = request.name ?? defaultDisplayName(request.window);
    const expiresAt = now + DISPLAY_LIMITS.codeLifetimeMs;
    this.store.addCode({ codeHash: sha256(raw), windowId: request.window, name, createdBy: by.id, expiresAt }, now, DISPLAY_LIMITS.openCodesMax);
    this.audit({ action: 'display.code.created', actor: by, subject: request.window });
    return { code: `${raw.slice(0, 5)}-${raw.slice(5)}`, window: request.window, name, expiresAt };
  }

  /** Trades a code for the window's credential; the code is used up whether or not it fits the window. */
  enrol(request: { window: string; code: string }, attempts: TokenBucket): ResponseOf<'displays.enrol'> {
    if (!attempts.take()) throw new ContractError('rate-limited', 'too many enrolment attempts on this connection; wait a few seconds');
    const code = this.store.takeCode(sha256(normalCode(request.code)));
    const refused = (why: string) => {
      // the page's claim of a window is all there is to name it by
      this.audit({ action: 'display.enrol.failed', actor: { id: request.window, role: 'display' }, subject: request.window, detail: { why } });
      return new ContractError('forbidden', 'this enrolment code is unknown, already used or expired: ask for a new one at the console', 'code');
    };
    if (!code) throw refused('unknown or used');
    if (code.expiresAt <= this.clock()) throw refused('expired');
    if (code.windowId !== request.window) throw refused(`made for ${code.windowId}`);
    const credential = this.issue(code.windowId, code.name, code.createdBy);
    return { window: code.windowId, credential };
  }

  revoke(windowId: string, by: Actor): void {
    if (!this.store.revoke(windowId)) throw new ContractError('not-found', `display ${windowId} is not enrolled`, 'window');
    this.audit({ action: 'display.revoked', actor: by, subject: windowId });
    this.revokedListeners.forEach((l) => l(windowId));
  }

  /** Records that the window connected or left now (the console's "last seen"). */
  seen(windowId: string): void {
    this.store.seen(windowId, this.clock());
  }

  /** What people call the window: the name given at enrolment, else its row and column. */
  nameOf(windowId: string): string {
    return this.store.list().find((d) => d.windowId === windowId)?.name ?? defaultDisplayName(windowId);
  }

  list(connected: (windowId: string) => boolean): DisplaySummary[] {
    return this.store.list().map((d) => ({ windowId: d.windowId, name: d.name, enrolledAt: d.enrolledAt, enrolledBy: d.enrolledBy, lastSeenAt: d.lastSeenAt, connected: connected(d.windowId) }));
  }

  /** The enrolled displays as a pair's standby copies them (hashes only, never a credential). */
  enrolments(): Omit<DisplayRecord, 'lastSeenAt'>[] {
    return this.store.list().map(({ lastSeenAt: _seen, ...record }) => record);
  }

  /**
   * A pair's standby takes the active node's enrolments (enrolling and revoking happen there): a
   * display enrolled on either node is then admitted by both. A window no longer enrolled, or
   * enrolled again with a new credential, has its connections here ended as on a revocation.
   */
  mirror(records: readonly Omit<DisplayRecord, 'lastSeenAt'>[]): void {
    const wanted = new Map(records.map((r) => [r.windowId, r]));
    const ended: string[] = [];
    for (const local of this.store.list()) {
      const copy = wanted.get(local.windowId);
      if (!copy) {
        this.store.revoke(local.windowId);
        ended.push(local.windowId);
      } else if (copy.credentialHash !== local.credentialHash || copy.name !== local.name) {
        this.store.enrol(copy);
        ended.push(local.windowId);
      }
      wanted.delete(local.windowId);
    }
    for (const record of wanted.values()) this.store.enrol(record);
    for (const windowId of ended) this.revokedListeners.forEach((l) => l(windowId));
  }

  /** Called with the window whose credential stopped being valid (revoked, or replaced by a new enrolment). */
  onRevoked(listener: (windowId: string) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }
}

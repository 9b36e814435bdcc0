/**
 * The audit log: security events appended to a hash chain in the wall database (migration 6).
 * Each entry's hash covers its fields and the previous entry's hash, so an edited, deleted,
 * inserted or reordered row breaks the chain; the head is signed with the host's Ed25519 key
 * (head-key.ts) periodically and at close, so a chain rewritten whole no longer matches a signed
 * head. The command journal is chained in: each wall command's entry holds its journal row's hash.
 *
 * An event recorded inside a transaction (a journal row, a scenario log line, a field command) is
 * written in it: both or neither. One recorded outside a transaction on a full disk is held in
 * memory (bounded) and written with the next event that can be.
 */
import { AUDIT_LIMITS, type AuditActor } from '../../../native-bridge/audit.js';
import type { AuditEvent, AuditSink } from '../../common/ports.js';
import { AccountStore } from '../accounts/account-store.js';
import type { Db } from '../database.js';
import { isStorageFailure } from '../sqlite-files.js';
import { bounded, boundedDetails, entryHash, GENESIS_HASH, journalRowHash, sha256, type ChainFields } from './canonical.js';
import { signHead, type HeadKey } from './head-key.js';

/** Events kept in memory while the disk is full; past it the oldest go and a count says how many. */
const HELD_LIMIT = 1000;

export interface AuditLogOptions {
  /** Signs the chain's head (null: heads are not signed, e.g. a read-only tool). */
  key: HeadKey | null;
  clock?: () => number;
  /** Told of a write the disk had no room for (StorageWatch). */
  onStorageFailure?: (error: unknown) => void;
}

interface Held {
  at: number;
  event: AuditEvent;
}

const WINDOW_ID = /^(console|r\d{1,2}c\d{1,2})$/;

export class AuditLog implements AuditSink {
  private readonly accounts: AccountStore;
  private readonly clock: () => number;
  private readonly held: Held[] = [];
  private dropped = 0;
  private readonly insert;
  private readonly selectHead;
  private readonly selectSigned;
  private readonly insertHead;

  constructor(
    private readonly db: Db,
    private readonly options: AuditLogOptions,
  ) {
    this.accounts = new AccountStore(db);
    this.clock = options.clock ?? Date.now;
    this.insert = db.prepare(
      'INSERT INTO audit_log (seq, at, actor_kind, actor_id, actor_name, actor_role, action, target, details, prev_hash, hash) VALUES (@seq, @at, @actorKind, @actorId, @actorName, @actorRole, @action, @target, @details, @prevHash, @hash)',
    );
    this.selectHead = db.prepare('SELECT seq, at, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    this.selectSigned = db.prepare('SELECT seq FROM audit_heads ORDER BY seq DESC LIMIT 1').pluck();
    this.insertHead = db.prepare('INSERT INTO audit_heads (seq, at, hash, key_id, signature) VALUES (?, ?, ?, ?, ?)');
    if (!this.head()) this.record(this.startEvent());
  }

  /** Appends the event to the chain. Never throws for lack of space outside a transaction (the event is held). */
  record(event: AuditEvent): void {
    const at = this.clock();
    if (this.db.inTransaction) {
      this.append(event, at);
      return;
    }
    try {
      this.writeHeld();
      this.append(event, at);
    } catch (error) {
      if (!isStorageFailure(error)) throw error;
      this.hold({ at, event });
      this.options.onStorageFailure?.(error);
    }
  }

  /** Records the event only when its details differ from the last entry of the same action (a key set, a configuration). */
  recordIfChanged(event: AuditEvent): void {
    const last = this.db.prepare('SELECT details FROM audit_log WHERE action = ? ORDER BY seq DESC LIMIT 1').pluck().get(event.action) as string | null | undefined;
    if (last === undefined || last !== boundedDetails(event.details)) this.record(event);
  }

  head(): { seq: number; at: number; hash: string } | null {
    return (this.selectHead.get() as { seq: number; at: number; hash: string } | undefined) ?? null;
  }

  /** Signs the current head if entries came since the last signed one. */
  signHead(): void {
    const key = this.options.key;
    const head = this.head();
    if (!key || !head || head.seq <= ((this.selectSigned.get() as number | undefined) ?? 0)) return;
    const signed = { seq: head.seq, at: this.clock(), hash: head.hash };
    try {
      this.insertHead.run(signed.seq, signed.at, signed.hash, key.keyId, signHead(key, signed));
    } catch (error) {
      // a full disk: the next period signs it
      if (!isStorageFailure(error)) throw error;
      this.options.onStorageFailure?.(error);
    }
  }

  private append(event: AuditEvent, at: number): void {
    const head = this.head();
    const actor = this.actorOf(event.actor);
    const fields: ChainFields = {
      seq: (head?.seq ?? 0) + 1,
      at,
      actorKind: actor.kind,
      actorId: actor.id,
      actorName: actor.name,
      actorRole: actor.role,
      action: bounded(event.action, AUDIT_LIMITS.actionMax),
      target: event.target == null ? null : bounded(event.target, AUDIT_LIMITS.targetMax),
      details: boundedDetails(event.details),
      prevHash: head?.hash ?? GENESIS_HASH,
    };
    this.insert.run({ ...fields, hash: entryHash(fields) });
  }

  private writeHeld(): void {
    if (this.dropped > 0) {
      this.append({ action: 'audit.events-dropped', actor: null, details: { count: this.dropped, reason: 'disk full' } }, this.clock());
      this.dropped = 0;
    }
    while (this.held.length > 0) {
      const { at, event } = this.held[0]!;
      this.append(event, at);
      this.held.shift();
    }
  }

  private hold(held: Held): void {
    this.held.push(held);
    if (this.held.length > HELD_LIMIT) {
      this.held.shift();
      this.dropped++;
    }
  }

  /** An account's name and role as they are now (kept in the entry: a later rename does not rewrite history). */
  private actorOf(actor: AuditEvent['actor']): AuditActor {
    if (actor === null) return { kind: 'system', id: 'system', name: null, role: null };
    const id = typeof actor === 'string' ? actor : actor.id;
    const role = typeof actor === 'string' ? null : actor.role;
    if (role === 'system' || id === 'system' || id === 'host') return { kind: 'system', id: 'system', name: null, role: null };
    if (role === 'display' || WINDOW_ID.test(id)) return { kind: 'window', id, name: null, role: null };
    if (id.startsWith('gateway:')) return { kind: 'gateway', id: bounded(id.slice('gateway:'.length), 128), name: null, role: null };
    const account = this.accounts.byId(id);
    const name = (typeof actor === 'string' ? undefined : actor.name) ?? account?.fullName ?? null;
    return { kind: 'account', id: bounded(id, 128), name, role: role ?? account?.role ?? null };
  }

  /**
   * The first entry: the chain starts here, and the command journal rows written before it (an
   * installation from before the audit log) are sealed by one digest.
   */
  private startEvent(): AuditEvent {
    const rows = this.db.prepare('SELECT revision, at, actor_id, actor_role, command FROM command_journal ORDER BY revision').iterate() as Iterable<JournalRow>;
    const { upTo, digest } = journalDigest(rows);
    return { action: 'audit.started', actor: null, details: { journalUpTo: upTo, journalDigest: digest } };
  }
}

export interface JournalRow {
  revision: number;
  at: number;
  actor_id: string;
  actor_role: string;
  command: string;
}

export const hashOfJournalRow = (r: JournalRow): string => journalRowHash({ revision: r.revision, at: r.at, actorId: r.actor_id, actorRole: r.actor_role, command: r.command });

/** One digest over journal rows in revision order (the rows from before the audit log). */
export function journalDigest(rows: Iterable<JournalRow>): { upTo: number; digest: string } {
  let upTo = 0;
  let digest = GENESIS_HASH;
  for (const row of rows) {
    digest = sha256(digest + hashOfJournalRow(row));
    upTo = row.revision;
  }
  return { upTo, digest };
}

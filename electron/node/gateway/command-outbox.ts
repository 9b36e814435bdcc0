/**
 * Titanic for field commands (zguide ch. 4): a command is written to disk BEFORE it is sent, is
 * resent until the gateway acknowledges it by id, and survives a host restart. Acks are idempotent:
 * the first one wins, later ones for the same id are ignored.
 *
 * A command lives until its deadline (command-ttl.ts): past it, it is marked expired and never
 * sent again. Every query the retry sweep makes is indexed and LIMITed, so a sweep costs the same
 * with 0 or 10 000 commands waiting, and a gateway holds at most `maxPendingPerGateway` of them.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { ContractError } from '../../../native-bridge/contract.js';
import type { FieldCommand, MessageOf } from '../../../native-bridge/gateway-protocol.js';
import type { AuditSink } from '../../common/ports.js';
import { fieldAckEvent, fieldCommandEvent, fieldExpiredEvent } from '../audit/audit-events.js';
import { DEFAULT_COMMAND_TTL_MS, EXPIRES_AT_PARAM, withDeadline, type CommandTtls } from './command-ttl.js';

export type CommandAck = MessageOf<'ACK'>;
/** pending: waiting for its ack; acked: answered by the gateway; expired: its deadline passed unanswered. */
export type CommandState = 'pending' | 'acked' | 'expired';

export interface OutboxEntry {
  gatewayId: string;
  command: FieldCommand;
  state: CommandState;
  /** Null until the gateway answers. */
  ack: CommandAck | null;
  expiredAt: number | null;
}

export interface ExpiredCommand {
  gatewayId: string;
  command: FieldCommand;
  expiredAt: number;
}

export interface CommandOutbox {
  /**
   * Durably records a command for a gateway and returns it as it is to be sent (with its deadline
   * in params.expiresAt). Persisting the same id again with the same gateway and command is a
   * no-op; throws a ContractError for the same id with different content, a command already past
   * its deadline ('invalid'), or a gateway whose outbox is full ('conflict').
   */
  persist(gatewayId: string, command: FieldCommand): FieldCommand;
  /** Records the first ack of a pending (or expired: it was sent in time) command; returns false otherwise. */
  markAcked(id: string, ack: CommandAck): boolean;
  /** At most `limit` pending commands of one gateway due for (re)sending at `now`, oldest due first, none past its deadline. */
  due(gatewayId: string, now: number, limit: number): FieldCommand[];
  /** These commands were just sent: not due again before `until`. */
  deferUntil(ids: readonly string[], until: number): void;
  /** Marks at most `limit` pending commands past their deadline expired and returns them. */
  expire(now: number, limit: number): ExpiredCommand[];
  pendingCount(gatewayId: string): number;
  get(id: string): OutboxEntry | undefined;
}

/** A page of the outbox for a pair's standby (SqliteCommandOutbox.pendingSince). */
export interface OutboxFeed {
  entries: { gatewayId: string; command: FieldCommand }[];
  /** The position of the last row read (= `after` when none). */
  last: number;
  /** Rows follow after `last`. */
  more: boolean;
}

export interface SqliteCommandOutboxOptions {
  clock?: () => number;
  ttls?: CommandTtls;
  /** New commands for a gateway are refused while this many wait for it. */
  maxPendingPerGateway?: number;
  /** Each command persisted, acknowledged or expired goes to the audit log (the first in its transaction). */
  audit?: AuditSink;
}

export const DEFAULT_MAX_PENDING_PER_GATEWAY = 1000;

interface Row {
  gateway_id: string;
  command: string;
  state: CommandState;
  ack: string | null;
  expired_at: number | null;
}

export class SqliteCommandOutbox implements CommandOutbox {
  private readonly clock: () => number;
  private readonly ttls: CommandTtls;
  private readonly maxPending: number;
  private readonly audit: AuditSink | null;
  private readonly insert: Database.Statement;
  private readonly ack: Database.Statement;
  private readonly selectDue: Database.Statement;
  private readonly defer: Database.Statement;
  private readonly expireDue: Database.Statement;
  private readonly countPending: Database.Statement;
  private readonly selectOne: Database.Statement;
  private readonly selectSince: Database.Statement;
  private readonly insertChecked: (gatewayId: string, command: FieldCommand) => FieldCommand;
  private readonly deferAll: (ids: readonly string[], until: number) => void;

  /** `db` is the caller's connection (synchronous = FULL, so a persisted command survives power loss). */
  constructor(
    private readonly db: Database.Database,
    options: SqliteCommandOutboxOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
    this.ttls = options.ttls ?? DEFAULT_COMMAND_TTL_MS;
    this.maxPending = options.maxPendingPerGateway ?? DEFAULT_MAX_PENDING_PER_GATEWAY;
    this.audit = options.audit ?? null;
    this.migrate();
    this.insert = db.prepare(
      "INSERT INTO field_commands (id, gateway_id, command, created_at, state, expires_at, next_attempt_at) VALUES (?, ?, ?, ?, 'pending', ?, ?)",
    );
    this.ack = db.prepare("UPDATE field_commands SET state = 'acked', acked_at = ?, ack = ? WHERE id = ? AND state IN ('pending', 'expired')");
    // The literal state = 'pending' lets SQLite use the partial indexes below.
    this.selectDue = db.prepare(
      "SELECT command FROM field_commands WHERE state = 'pending' AND gateway_id = ? AND next_attempt_at <= ? AND expires_at > ? ORDER BY next_attempt_at, rowid LIMIT ?",
    ).pluck();
    this.defer = db.prepare("UPDATE field_commands SET next_attempt_at = ? WHERE id = ? AND state = 'pending'");
    this.expireDue = db.prepare(
      "UPDATE field_commands SET state = 'expired', expired_at = ? WHERE rowid IN (SELECT rowid FROM field_commands WHERE state = 'pending' AND expires_at <= ? ORDER BY expires_at LIMIT ?) RETURNING gateway_id, command, expired_at, expires_at",
    );
    this.countPending = db.prepare("SELECT count(*) AS n FROM field_commands WHERE state = 'pending' AND gateway_id = ?").pluck();
    this.selectOne = db.prepare('SELECT gateway_id, command, state, ack, expired_at FROM field_commands WHERE id = ?');
    this.selectSince = db.prepare('SELECT rowid, gateway_id, command, state FROM field_commands WHERE rowid > ? ORDER BY rowid LIMIT ?');
    this.insertChecked = db.transaction((gatewayId: string, command: FieldCommand) => this.insertOne(gatewayId, command));
    this.deferAll = db.transaction((ids: readonly string[], until: number) => {
      for (const id of ids) this.defer.run(until, id);
    });
  }

  persist(gatewayId: string, command: FieldCommand): FieldCommand {
    let stamped: FieldCommand;
    try {
      stamped = withDeadline(command, this.ttls);
    } catch (error) {
      throw new ContractError('invalid', (error as Error).message, 'params');
    }
    return this.insertChecked(gatewayId, stamped);
  }

  markAcked(id: string, ack: CommandAck): boolean {
    const acked = this.ack.run(this.clock(), JSON.stringify(ack), id).changes === 1;
    if (acked) this.audit?.record(fieldAckEvent(this.get(id)!, ack));
    return acked;
  }

  due(gatewayId: string, now: number, limit: number): FieldCommand[] {
    return (this.selectDue.all(gatewayId, now, now, limit) as string[]).map((json) => JSON.parse(json) as FieldCommand);
  }

  deferUntil(ids: readonly string[], until: number): void {
    if (ids.length > 0) this.deferAll(ids, until);
  }

  expire(now: number, limit: number): ExpiredCommand[] {
    const rows = this.expireDue.all(now, now, limit) as { gateway_id: string; command: string; expired_at: number; expires_at: number }[];
    // RETURNING gives no order: oldest deadline first, as the operator would read them
    rows.sort((a, b) => a.expires_at - b.expires_at);
    const expired = rows.map((row) => ({ gatewayId: row.gateway_id, command: JSON.parse(row.command) as FieldCommand, expiredAt: row.expired_at }));
    for (const entry of expired) this.audit?.record(fieldExpiredEvent(entry));
    return expired;
  }

  pendingCount(gatewayId: string): number {
    return this.countPending.get(gatewayId) as number;
  }

  get(id: string): OutboxEntry | undefined {
    const row = this.selectOne.get(id) as Row | undefined;
    if (!row) return undefined;
    return {
      gatewayId: row.gateway_id,
      command: JSON.parse(row.command) as FieldCommand,
      state: row.state,
      ack: row.ack === null ? null : (JSON.parse(row.ack) as CommandAck),
      expiredAt: row.expired_at,
    };
  }

  /** Commands in the order they were persisted, after position `after` (at most `limit` rows read): the pending ones, and the position reached. */
  pendingSince(after: number, limit: number): OutboxFeed {
    const rows = this.selectSince.all(after, limit + 1) as { rowid: number; gateway_id: string; command: string; state: CommandState }[];
    const page = rows.slice(0, limit);
    return {
      entries: page.filter((row) => row.state === 'pending').map((row) => ({ gatewayId: row.gateway_id, command: JSON.parse(row.command) as FieldCommand })),
      last: page.at(-1)?.rowid ?? after,
      more: rows.length > limit,
    };
  }

  private insertOne(gatewayId: string, command: FieldCommand): FieldCommand {
    const json = JSON.stringify(command);
    const existing = this.selectOne.get(command.id) as Row | undefined;
    if (existing) {
      if (existing.gateway_id !== gatewayId || existing.command !== json) throw new ContractError('invalid', `field command id "${command.id}" is already used by a different command`, 'id');
      return command;
    }
    const now = this.clock();
    const expiresAt = command.params[EXPIRES_AT_PARAM] as number;
    if (expiresAt <= now) {
      throw new ContractError('invalid', `field command ${command.id} (${command.type} → ${command.target}) was issued at ${new Date(command.issuedAt).toISOString()}: already past its deadline, not sent`, 'issuedAt');
    }
    const waiting = this.pendingCount(gatewayId);
    if (waiting >= this.maxPending) {
      throw new ContractError('conflict', `gateway "${gatewayId}" already has ${waiting} commands waiting for delivery (at most ${this.maxPending}): command ${command.type} → ${command.target} refused`, 'gateway');
    }
    this.insert.run(command.id, gatewayId, json, now, expiresAt, now);
    this.audit?.record(fieldCommandEvent(gatewayId, command));
    return command;
  }

  /** Creates the table, or brings one written by an earlier version (no state, deadline or retry time) up to date. */
  private migrate(): void {
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS field_commands (
        id TEXT PRIMARY KEY,
        gateway_id TEXT NOT NULL,
        command TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        acked_at INTEGER,
        ack TEXT
      );
    `);
    const columns = new Set((this.db.prepare('PRAGMA table_info(field_commands)').all() as { name: string }[]).map((c) => c.name));
    if (!columns.has('state')) {
      this.db.transaction(() => {
        this.db.exec(`
          ALTER TABLE field_commands ADD COLUMN state TEXT NOT NULL DEFAULT 'pending';
          ALTER TABLE field_commands ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;
          ALTER TABLE field_commands ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
          ALTER TABLE field_commands ADD COLUMN expired_at INTEGER;
          DROP INDEX IF EXISTS field_commands_pending;
          UPDATE field_commands SET state = 'acked' WHERE acked_at IS NOT NULL;
        `);
        // Commands stored before deadlines existed get one from their type's TTL, counted from when they were stored.
        const setDeadline = this.db.prepare("UPDATE field_commands SET expires_at = created_at + ? WHERE state = 'pending' AND json_extract(command, '$.type') = ?");
        for (const [type, ttl] of Object.entries(this.ttls)) setDeadline.run(ttl, type);
      })();
    }
    this.db.exec(`
      CREATE INDEX IF NOT EXISTS field_commands_due ON field_commands(gateway_id, next_attempt_at) WHERE state = 'pending';
      CREATE INDEX IF NOT EXISTS field_commands_deadline ON field_commands(expires_at) WHERE state = 'pending';
    `);
  }
}

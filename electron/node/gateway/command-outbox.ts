/**
 * Titanic for field commands (zguide ch. 4): a command is written to disk BEFORE it is sent, is
 * resent until the gateway acknowledges it by id, and survives a host restart. Acks are idempotent:
 * the first one wins, later ones for the same id are ignored.
 */
import type Database from 'better-sqlite3';
import type { FieldCommand, MessageOf } from '../../../native-bridge/gateway-protocol.js';

export type CommandAck = MessageOf<'ACK'>;

export interface OutboxEntry {
  gatewayId: string;
  command: FieldCommand;
  /** Null while the command waits for its acknowledgement. */
  ack: CommandAck | null;
}

export interface CommandOutbox {
  /**
   * Durably records a command for a gateway. Persisting the same id again with the same gateway and
   * command is a no-op; the same id with different content throws.
   */
  persist(gatewayId: string, command: FieldCommand): void;
  /** Records the first ack for a pending command; returns false (and changes nothing) otherwise. */
  markAcked(id: string, ack: CommandAck): boolean;
  /** Commands still waiting for an ack, oldest first. */
  pending(): { gatewayId: string; command: FieldCommand }[];
  get(id: string): OutboxEntry | undefined;
}

interface Row {
  gateway_id: string;
  command: string;
  ack: string | null;
}

export class SqliteCommandOutbox implements CommandOutbox {
  private readonly insert: Database.Statement;
  private readonly ack: Database.Statement;
  private readonly selectPending: Database.Statement;
  private readonly selectOne: Database.Statement;

  /** `db` is the caller's connection (synchronous = FULL, so a persisted command survives power loss). */
  constructor(
    db: Database.Database,
    private readonly clock: () => number = Date.now,
  ) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS field_commands (
        id TEXT PRIMARY KEY,
        gateway_id TEXT NOT NULL,
        command TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        acked_at INTEGER,
        ack TEXT
      );
      CREATE INDEX IF NOT EXISTS field_commands_pending ON field_commands(created_at) WHERE acked_at IS NULL;
    `);
    this.insert = db.prepare('INSERT INTO field_commands (id, gateway_id, command, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO NOTHING');
    this.ack = db.prepare('UPDATE field_commands SET acked_at = ?, ack = ? WHERE id = ? AND acked_at IS NULL');
    this.selectPending = db.prepare('SELECT gateway_id, command, ack FROM field_commands WHERE acked_at IS NULL ORDER BY created_at, rowid');
    this.selectOne = db.prepare('SELECT gateway_id, command, ack FROM field_commands WHERE id = ?');
  }

  persist(gatewayId: string, command: FieldCommand): void {
    const json = JSON.stringify(command);
    if (this.insert.run(command.id, gatewayId, json, this.clock()).changes === 1) return;
    const existing = this.selectOne.get(command.id) as Row | undefined;
    if (!existing || existing.gateway_id !== gatewayId || existing.command !== json) {
      throw new Error(`field command id "${command.id}" is already used by a different command`);
    }
  }

  markAcked(id: string, ack: CommandAck): boolean {
    return this.ack.run(this.clock(), JSON.stringify(ack), id).changes === 1;
  }

  pending(): { gatewayId: string; command: FieldCommand }[] {
    return (this.selectPending.all() as Row[]).map((row) => ({ gatewayId: row.gateway_id, command: JSON.parse(row.command) as FieldCommand }));
  }

  get(id: string): OutboxEntry | undefined {
    const row = this.selectOne.get(id) as Row | undefined;
    if (!row) return undefined;
    return { gatewayId: row.gateway_id, command: JSON.parse(row.command) as FieldCommand, ack: row.ack === null ? null : (JSON.parse(row.ack) as CommandAck) };
  }
}

/**
 * Seams of the controller. Later work plugs roles, the tamper-evident audit log and standby
 * replication in here; the controller only knows these interfaces.
 */
import type { Actor, Command, Preset, WallState } from '../../native-bridge/contract.js';

/** Decides whether an actor may run a command; throws a "forbidden" ContractError if not. */
export interface Authorizer {
  authorize(actor: Actor, command: Command): void;
}

export interface JournalEntry {
  revision: number;
  at: number;
  actor: Actor;
  command: Command;
}

/** Durable wall state: the append-only command journal and the state document, committed together. */
export interface WallStore {
  load(): { revision: number; state: WallState } | null;
  /** Appends the journal entry and replaces the state document in one atomic, durable step. */
  commit(entry: JournalEntry, state: WallState, savedPreset?: Preset): void;
  journal(sinceRevision: number, limit: number): JournalEntry[];
  presets(): Preset[];
}

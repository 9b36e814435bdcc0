/**
 * The wall controller: one revisioned wall document. Every command is validated, authorized,
 * journalled and persisted (one SQLite transaction) before it is applied and fanned out as a
 * patch event; windows that missed events resync by revision.
 */
import {
  command as commandSchema,
  ContractError,
  parseOrThrow,
  type Actor,
  type Command,
  type Preset,
  type WallDefinition,
  type WallPatchEvent,
  type WallState,
} from '../../native-bridge/contract.js';
import type { Authorizer, JournalEntry, WallStore } from '../common/ports.js';
import { emptyWallState, reduceWall } from '../../native-bridge/wall-reducer.js';

/** Patch events kept in memory so a reconnecting window gets patches instead of a snapshot. */
const HISTORY_LIMIT = 512;

export interface AcceptedEvent extends WallPatchEvent {
  acceptedAt: number;
  actor: Actor;
  command: Command;
  /** The wall before and after the command (for undo and replay; not sent to windows). */
  before: WallState;
  after: WallState;
}

export interface WallControllerOptions {
  wall: WallDefinition;
  store: WallStore;
  authorizer: Authorizer;
  filePresets: readonly Preset[];
  clock?: () => number;
}

export type ResyncResult =
  | { kind: 'patches'; revision: number; events: WallPatchEvent[] }
  | { kind: 'snapshot'; revision: number; state: WallState };

export class WallController {
  private state: WallState;
  private revision: number;
  private readonly history: WallPatchEvent[] = [];
  private readonly listeners = new Set<(event: AcceptedEvent) => void>();
  private readonly clock: () => number;
  /** The standby of a pair: only the active node's journal entries change this wall (replicate). */
  private replicaOf: string | null = null;

  constructor(private readonly options: WallControllerOptions) {
    this.clock = options.clock ?? Date.now;
    const stored = options.store.load();
    this.revision = stored?.revision ?? 0;
    // The wall definition file is the source of truth for geometry; stored tiles must still fit it.
    this.state = stored ? { ...stored.state, wall: options.wall } : emptyWallState(options.wall);
  }

  get currentRevision(): number {
    return this.revision;
  }

  get current(): WallState {
    return this.state;
  }

  /**
   * Makes this controller a replica that takes its changes only from `activeAddress`'s journal
   * (null: it accepts commands again). Its own execute() is then refused with 'standby'.
   */
  followActive(activeAddress: string | null): void {
    this.replicaOf = activeAddress;
  }

  get following(): boolean {
    return this.replicaOf !== null;
  }

  onAccepted(listener: (event: AcceptedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Validates, authorizes, journals and persists, then applies. Throws ContractError. A request id
   * seen before (in this process or a previous one) answers its first result and applies nothing.
   */
  execute(rawCommand: unknown, actor: Actor, requestId?: string): { revision: number; acceptedAt: number } {
    const command = parseOrThrow(commandSchema, rawCommand, 'command', ['command']);
    this.options.authorizer.authorize(actor, command);
    if (this.replicaOf !== null) throw new ContractError('standby', `this node is the standby: the wall is changed on the active node at ${this.replicaOf}`);
    const earlier = requestId === undefined ? undefined : this.options.store.request(requestId);
    if (earlier) {
      if (JSON.stringify(earlier.command) !== JSON.stringify(command)) {
        throw new ContractError('conflict', `request id "${requestId}" was already used for a different command (revision ${earlier.revision})`, 'requestId');
      }
      return { revision: earlier.revision, acceptedAt: earlier.at };
    }
    const revision = this.revision + 1;
    const acceptedAt = this.clock();
    this.apply({ revision, at: acceptedAt, actor, command, requestId });
    return { revision, acceptedAt };
  }

  /**
   * The standby applies the active node's journal entry as it was committed there (same revision,
   * time, actor, request id), through the same reducer, store and fan-out as a command of its own,
   * so the two nodes hold the same journal and state. Entries must come in order.
   */
  replicate(entry: JournalEntry): void {
    if (entry.revision !== this.revision + 1) throw new Error(`journal entry ${entry.revision} does not follow revision ${this.revision}`);
    this.apply(entry);
  }

  /** The journal after a revision, for the standby to catch up from. */
  journal(sinceRevision: number, limit: number): JournalEntry[] {
    return this.options.store.journal(sinceRevision, limit);
  }

  private apply(entry: JournalEntry): void {
    const { revision, at: acceptedAt, command, actor } = entry;
    const reduction = reduceWall(this.state, command, { findPreset: (name) => this.findPreset(name) });
    this.options.store.commit(entry, reduction.state, reduction.savedPreset);
    const before = this.state;
    this.state = reduction.state;
    this.revision = revision;
    const event: WallPatchEvent = { revision, baseRevision: revision - 1, patches: reduction.patches };
    this.history.push(event);
    if (this.history.length > HISTORY_LIMIT) this.history.shift();
    this.listeners.forEach((l) => l({ ...event, acceptedAt, actor, command, before, after: this.state }));
  }

  /** What a request id got the first time it was executed (in this process or a previous one). */
  answered(requestId: string): { revision: number; acceptedAt: number } | undefined {
    const earlier = this.options.store.request(requestId);
    return earlier ? { revision: earlier.revision, acceptedAt: earlier.at } : undefined;
  }

  resync(sinceRevision: number): ResyncResult {
    if (sinceRevision > 0 && sinceRevision <= this.revision) {
      const events = this.history.filter((e) => e.baseRevision >= sinceRevision);
      const continuous = events.length === this.revision - sinceRevision && (events.length === 0 || events[0]!.baseRevision === sinceRevision);
      if (continuous) return { kind: 'patches', revision: this.revision, events };
    }
    return { kind: 'snapshot', revision: this.revision, state: this.state };
  }

  /** File presets overlaid by those saved from the console (the database wins on a name clash). */
  presets(): { preset: Preset; source: 'file' | 'database' }[] {
    const byName = new Map<string, { preset: Preset; source: 'file' | 'database' }>();
    for (const preset of this.options.filePresets) byName.set(preset.name, { preset, source: 'file' });
    for (const preset of this.options.store.presets()) byName.set(preset.name, { preset, source: 'database' });
    return [...byName.values()].sort((a, b) => a.preset.name.localeCompare(b.preset.name));
  }

  private findPreset(name: string): Preset | undefined {
    return this.presets().find((p) => p.preset.name === name)?.preset;
  }
}

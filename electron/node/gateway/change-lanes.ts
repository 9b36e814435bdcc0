/**
 * Hands each gateway's changes to the hub's listeners in order, in slices: a snapshot of a
 * million items is delivered a few thousand at a time with the event loop free in between (so
 * liveness timers, other gateways and windows keep running), and a slice whose listener returns a
 * promise (the telemetry cache catching up) is waited for before the next. One lane per gateway;
 * lanes do not wait for each other.
 *
 * Bounded: a new full state replaces whatever of that gateway is still queued (it supersedes it),
 * and when live changes queued behind a slow delivery exceed `maxQueued`, the lane is collapsed
 * into one delivery of the gateway's whole current state.
 */
import type { StateItem } from '../../../native-bridge/gateway-protocol.js';

export type ItemChange = { op: 'set' | 'delete'; item: StateItem };
/** Delivers one slice; a returned promise holds the lane until it settles. */
export type SliceSink = (gatewayId: string, changes: ItemChange[], replacedAll: boolean) => Promise<unknown> | undefined;

interface Segment {
  /** A full state (its first slice replaces everything) or live changes. */
  full: boolean;
  items: readonly StateItem[] | readonly ItemChange[];
  offset: number;
}

interface Lane {
  segments: Segment[];
  queued: number;
  busy: boolean;
}

export interface ChangeLanesOptions {
  /** Items per delivery. */
  sliceItems: number;
  /** Live changes queued per gateway before the lane is collapsed into its full state. */
  maxQueued: number;
  /** The gateway's whole current state, for a collapse. */
  stateOf: (gatewayId: string) => readonly StateItem[];
}

export class ChangeLanes {
  private readonly lanes = new Map<string, Lane>();
  private closed = false;

  constructor(
    private readonly sink: SliceSink,
    private readonly options: ChangeLanesOptions,
  ) {}

  /** The gateway's whole state is now `items`. */
  replaceAll(gatewayId: string, items: readonly StateItem[]): void {
    const lane = this.lane(gatewayId);
    lane.segments = [{ full: true, items, offset: 0 }];
    lane.queued = items.length;
    this.pump(gatewayId, lane);
  }

  /** Live changes, after everything queued before them. */
  changes(gatewayId: string, changes: readonly ItemChange[]): void {
    const lane = this.lane(gatewayId);
    if (lane.queued + changes.length > this.options.maxQueued) return this.replaceAll(gatewayId, this.options.stateOf(gatewayId));
    lane.segments.push({ full: false, items: changes, offset: 0 });
    lane.queued += changes.length;
    this.pump(gatewayId, lane);
  }

  /** Items still waiting to be delivered, over every gateway. */
  get backlog(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.queued;
    return n;
  }

  close(): void {
    this.closed = true;
    this.lanes.clear();
  }

  private lane(gatewayId: string): Lane {
    let lane = this.lanes.get(gatewayId);
    if (!lane) this.lanes.set(gatewayId, (lane = { segments: [], queued: 0, busy: false }));
    return lane;
  }

  /** Delivers synchronously while the lane is idle and what is queued fits one slice; else yields between slices. */
  private pump(gatewayId: string, lane: Lane): void {
    if (lane.busy) return;
    lane.busy = true;
    void this.run(gatewayId, lane);
  }

  /** Runs synchronously up to its first await, and frees the lane synchronously when the queue is empty. */
  private async run(gatewayId: string, lane: Lane): Promise<void> {
    try {
      let first = true;
      while (!this.closed && lane.segments.length > 0) {
        if (!first) await new Promise((resolve) => setImmediate(resolve));
        first = false;
        if (this.closed || lane.segments.length === 0) return;
        const { changes, replacedAll } = this.nextSlice(lane);
        const wait = this.sink(gatewayId, changes, replacedAll);
        if (wait) await wait.catch(() => undefined);
      }
    } finally {
      lane.busy = false;
    }
  }

  /** Up to sliceItems changes from the head; a full state's first slice is never merged behind others. */
  private nextSlice(lane: Lane): { changes: ItemChange[]; replacedAll: boolean } {
    const changes: ItemChange[] = [];
    const replacedAll = lane.segments[0]!.full && lane.segments[0]!.offset === 0;
    while (changes.length < this.options.sliceItems && lane.segments.length > 0) {
      const segment = lane.segments[0]!;
      if (segment.full && segment.offset === 0 && changes.length > 0) break;
      const end = Math.min(segment.items.length, segment.offset + this.options.sliceItems - changes.length);
      for (let i = segment.offset; i < end; i++) {
        const entry = segment.items[i]!;
        changes.push(segment.full ? { op: 'set', item: entry as StateItem } : (entry as ItemChange));
      }
      lane.queued -= end - segment.offset;
      segment.offset = end;
      if (segment.offset >= segment.items.length) lane.segments.shift();
    }
    return { changes, replacedAll };
  }
}

/**
 * Splits a live snapshot into frames: the first LIVE_OBJECTS_PER_FRAME moving objects travel with
 * it and the rest wait here, frozen as of the snapshot's seq, for `live.objects` pages. Freezing
 * matters: paging the live map instead would skip objects that others' removals shift past the
 * offset, and a window replays the batches after seq on top of exactly this picture.
 */
import { randomUUID } from 'node:crypto';
import { ContractError, LIVE_OBJECTS_PER_FRAME, type LiveObject, type LiveSnapshot } from '../../../native-bridge/contract.js';

/** Long enough for a loaded window to fetch 25 pages, short enough not to pile up. */
const CURSOR_TTL_MS = 60_000;
/** A few windows resyncing at once; older cursors are dropped first. */
const MAX_CURSORS = 32;

export class SnapshotPages {
  private readonly held = new Map<string, { objects: LiveObject[]; expires: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The snapshot as one frame carries it: the first objects, and a cursor to the rest if any. */
  split(snapshot: LiveSnapshot): LiveSnapshot {
    const { objects, ...rest } = snapshot;
    if (objects.length <= LIVE_OBJECTS_PER_FRAME) return snapshot;
    this.expire();
    const cursor = randomUUID();
    this.held.set(cursor, { objects, expires: this.now() + CURSOR_TTL_MS });
    if (this.held.size > MAX_CURSORS) this.held.delete(this.held.keys().next().value!);
    return { ...rest, objects: objects.slice(0, LIVE_OBJECTS_PER_FRAME), objectPages: { cursor, total: objects.length } };
  }

  page(cursor: string, offset: number): LiveObject[] {
    this.expire();
    const held = this.held.get(cursor);
    if (!held) throw new ContractError('not-found', 'this snapshot page expired: take a new live.snapshot');
    const page = held.objects.slice(offset, offset + LIVE_OBJECTS_PER_FRAME);
    if (offset + LIVE_OBJECTS_PER_FRAME >= held.objects.length) this.held.delete(cursor);
    return page;
  }

  private expire(): void {
    const now = this.now();
    for (const [cursor, { expires }] of this.held) if (expires <= now) this.held.delete(cursor);
  }
}

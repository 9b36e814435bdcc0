/**
 * Live players per window are limited (16 by default; `?maxPlayers=N` overrides):
 * a cell asks for a slot when it becomes visible and gives it back when hidden or gone. Cells
 * beyond the limit show the camera's snapshot and get a slot, in asking order, as one frees up.
 *
 * `window.__iocPlayers` counts the hls.js instances alive in this window (a make-before-break
 * switch briefly holds two for one cell); `window.__iocPlayerPool` shows the slot accounting.
 */

declare global {
  interface Window {
    __iocPlayers?: number;
    __iocPlayerPool?: { limit: number; held: number; waiting: number };
  }
}

export const DEFAULT_PLAYER_LIMIT = 16;

function limitFromUrl(): number {
  if (typeof location === 'undefined') return DEFAULT_PLAYER_LIMIT;
  const raw = Number(new URLSearchParams(location.search).get('maxPlayers'));
  return Number.isInteger(raw) && raw >= 0 && raw <= 64 && new URLSearchParams(location.search).has('maxPlayers') ? raw : DEFAULT_PLAYER_LIMIT;
}

export class PlayerPool {
  private readonly held = new Set<object>();
  private waiters: { owner: object; grant: () => void }[] = [];

  constructor(readonly limit: number) {}

  /** True when `owner` holds (or now gets) a slot; otherwise it queues and `grant` runs later. */
  request(owner: object, grant: () => void): boolean {
    if (this.held.has(owner)) return true;
    if (this.held.size < this.limit) {
      this.held.add(owner);
      this.publish();
      return true;
    }
    if (!this.waiters.some((w) => w.owner === owner)) this.waiters.push({ owner, grant });
    this.publish();
    return false;
  }

  release(owner: object): void {
    this.waiters = this.waiters.filter((w) => w.owner !== owner);
    if (this.held.delete(owner)) {
      const next = this.waiters.shift();
      if (next) {
        this.held.add(next.owner);
        next.grant();
      }
    }
    this.publish();
  }

  get size(): number {
    return this.held.size;
  }

  private publish(): void {
    if (typeof window !== 'undefined') window.__iocPlayerPool = { limit: this.limit, held: this.held.size, waiting: this.waiters.length };
  }
}

export const playerPool = new PlayerPool(limitFromUrl());

let livePlayers = 0;

/** Called by the engine when it creates (+1) or destroys (-1) an hls.js instance. */
export function countPlayer(delta: 1 | -1): void {
  livePlayers += delta;
  if (typeof window !== 'undefined') window.__iocPlayers = livePlayers;
}

if (typeof window !== 'undefined') window.__iocPlayers = 0;

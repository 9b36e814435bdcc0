/**
 * What every part of a running demo province (sensors, movers, reports, commands, incidents)
 * shares: the one seeded generator, timeouts that end with the province, and raising/clearing
 * events on its gateways. Passed to each part explicitly, so none reaches into another's state.
 */
import type { SimGateway, StateItemInput } from '../gateway.js';
import { mulberry32 } from '../random.js';
import type { ProvinceGatewayId } from './inventory.js';

export type Gateways = ReadonlyMap<ProvinceGatewayId, SimGateway>;

/** The province's only source of randomness: a seed replays a run exactly as long as the draws keep their order. */
export class Dice {
  readonly random: () => number;

  constructor(
    seed: number,
    private readonly rateScale: number,
  ) {
    this.random = mulberry32(seed);
  }

  /** ~N(0, 0.5). */
  noise(): number {
    return this.random() + this.random() + this.random() - 1.5;
  }

  /** A publishing period scaled by the rate, ±20 % so the sensors do not tick in step. */
  jitter(ms: number): number {
    return (ms / this.rateScale) * (0.8 + 0.4 * this.random());
  }
}

/** Timeouts that die with the province: none fires once stop() has run. */
export class Timers {
  private readonly pending = new Set<NodeJS.Timeout>();
  private isStopped = false;

  get stopped(): boolean {
    return this.isStopped;
  }

  later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      if (!this.isStopped) fn();
    }, ms);
    timer.unref();
    this.pending.add(timer);
  }

  stop(): void {
    this.isStopped = true;
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}

export type EventInput = Omit<Extract<StateItemInput, { type: 'event' }>, 'type' | 'at'>;

/** Raises and clears events on the province's gateways; one counter keeps every generated event id unique. */
export class EventDesk {
  private counter = 0;

  constructor(
    private readonly gateways: Gateways,
    private readonly timers: Timers,
    private readonly timeScale: number,
  ) {}

  newId(prefix: string): string {
    return `ev-${prefix}-${Date.now().toString(36)}-${(this.counter++).toString(36)}`;
  }

  /** Sets the event on the gateway (if it runs) and returns its id. */
  raise(gateway: ProvinceGatewayId, event: EventInput): string {
    this.gateways.get(gateway)?.set({ type: 'event', at: Date.now(), ...event });
    return event.id;
  }

  /** Marks the event cleared, then deletes it after deleteAfterMs (scaled like the incident scripts). */
  clear(gateway: ProvinceGatewayId, id: string, deleteAfterMs = 120_000): void {
    const g = this.gateways.get(gateway);
    const item = g?.get('event', id);
    if (!g || !item || item.type !== 'event') return;
    g.set({ ...item, at: Date.now(), cleared: true });
    this.timers.later(deleteAfterMs * this.timeScale, () => g.delete('event', id));
  }

  /** Clears every open (not cleared) event of a gateway whose id starts with prefix. */
  clearOpen(gateway: ProvinceGatewayId, prefix: string): void {
    const g = this.gateways.get(gateway);
    if (!g) return;
    for (const item of [...g.state.values()]) if (item.type === 'event' && item.id.startsWith(prefix) && !item.cleared) this.clear(gateway, item.id);
  }
}

/**
 * The running province's sensors: each one's state, the incident overlays on top of its model,
 * sampling (publishing a reading) and the threshold watcher that raises and clears its events.
 */
import type { SensorKind } from '../../native-bridge/gateway-protocol.js';
import type { Alarm, SensorDef } from './inventory.js';
import { bump, clamp, lightModel, localHour, round, type ModelInput } from './models.js';
import type { Dice, EventDesk, Gateways } from './shared.js';

interface SensorState extends ModelInput {
  def: SensorDef;
  nextAt: number;
  /** The open event raised by the threshold watcher: id and level. */
  openEvent: { id: string; level: 'warning' | 'critical' } | null;
}

/** An incident's push on a sensor, eased from `from` to `to` over durationMs. */
interface Ramp {
  from: number;
  to: number;
  startAt: number;
  durationMs: number;
}

const CATEGORY: Record<SensorKind, 'flood' | 'pollution' | 'fire' | 'traffic' | 'device'> = {
  rain: 'flood',
  'water-level': 'flood',
  'air-quality': 'pollution',
  'water-quality': 'pollution',
  'fire-alarm': 'fire',
  traffic: 'traffic',
  'smart-light': 'device',
};

const THRESHOLD_TEXT: Record<SensorKind, [string, string]> = {
  rain: ['Mưa lớn', 'Heavy rain'],
  'water-level': ['Mực nước vượt ngưỡng', 'Water level above threshold'],
  'air-quality': ['Chất lượng không khí kém', 'Poor air quality'],
  'water-quality': ['Chất lượng nước vượt ngưỡng', 'Water quality above limit'],
  'fire-alarm': ['Báo cháy', 'Fire alarm'],
  traffic: ['Ùn tắc giao thông', 'Traffic congestion'],
  'smart-light': ['Đèn hỏng', 'Light fault'],
};

const levelOf = (alarm: Alarm | undefined, value: number): 'warning' | 'critical' | null => {
  if (!alarm) return null;
  if (alarm.direction === 'above') return value >= alarm.critical ? 'critical' : value >= alarm.warning ? 'warning' : null;
  return value <= alarm.critical ? 'critical' : value <= alarm.warning ? 'warning' : null;
};

/** Hysteresis: an open event clears only once the value is 5 % (above) / 10 % (below) back past the warning level. */
const backToNormal = (alarm: Alarm, value: number): boolean => (alarm.direction === 'above' ? value < alarm.warning * 0.95 : value > alarm.warning * 1.1);

interface SensorBoardOptions {
  gateways: Gateways;
  events: EventDesk;
  dice: Dice;
  rateScale: number;
  /** Incident script time multiplier: ramps last durationS × timeScale. */
  timeScale: number;
}

/** Every sensor of a running gateway: sampled on its own period, pushed by incidents through overlays. */
export class SensorBoard {
  readonly states = new Map<string, SensorState>();
  private readonly overlays = new Map<string, Ramp>();

  constructor(private readonly o: SensorBoardOptions) {}

  /** Declares every sensor of a running gateway and publishes its first reading (they are in the state before the gateways start). */
  install(defs: readonly SensorDef[], now: number): void {
    const { gateways, dice, rateScale } = this.o;
    // One light is faulty from the start; drawn even when the lighting gateway is not running, so the draws after it stay put.
    const lightIds = defs.filter((d) => d.kind === 'smart-light').map((d) => d.id);
    const faultyLight = lightIds[Math.floor(dice.random() * lightIds.length)];
    for (const def of defs) {
      const g = gateways.get(def.gateway);
      if (!g) continue;
      const s: SensorState = { def, nextAt: now + dice.random() * (def.periodMs / rateScale), drift: 0, shower: 0, energyWh: 0, fault: def.id === faultyLight, openEvent: null };
      this.states.set(def.id, s);
      const thresholds = def.kind === 'fire-alarm' ? { critical: 1 } : def.alarm?.direction === 'above' ? { warning: def.alarm.warning, critical: def.alarm.critical } : {};
      g.set({ type: 'sensor', id: def.id, kind: def.kind, name: def.name, commune: def.commune, location: def.location, unit: def.unit, thresholds });
      this.sample(s, now);
    }
  }

  /** Samples every sensor whose time has come and sets its next time. */
  sampleDue(now: number): void {
    for (const s of this.states.values()) {
      if (now < s.nextAt) continue;
      s.nextAt = now + this.o.dice.jitter(s.def.periodMs);
      this.sample(s, now);
    }
  }

  /** Publishes a sensor's reading now, out of turn (an incident step that must show at once). */
  sampleNow(sensorId: string): void {
    const s = this.states.get(sensorId);
    if (s) this.sample(s, Date.now());
  }

  /** The overlays in force, by sensor id. */
  get ramps(): ReadonlyMap<string, Ramp> {
    return this.overlays;
  }

  /** Eases the sensor's overlay from where it is now to `to` over durationS of script time. */
  rampTo(sensorId: string, to: number, durationS: number): void {
    const now = Date.now();
    this.overlays.set(sensorId, { from: this.overlayValue(sensorId, now), to, startAt: now, durationMs: Math.max(0, durationS * 1000 * this.o.timeScale) });
  }

  /** Ends the sensor's overlay: its next reading is the plain model again. */
  dropOverlay(sensorId: string): void {
    this.overlays.delete(sensorId);
  }

  /** Ends the overlay and publishes the plain reading at once (the end of an incident). */
  settle(sensorId: string): void {
    this.dropOverlay(sensorId);
    this.sampleNow(sensorId);
  }

  /** The overlay's value at now, smoothstep-eased (0 without one). */
  private overlayValue(sensorId: string, now: number): number {
    const ramp = this.overlays.get(sensorId);
    if (!ramp) return 0;
    if (ramp.durationMs <= 0) return ramp.to;
    const x = clamp((now - ramp.startAt) / Math.max(1, ramp.durationMs), 0, 1);
    const s = x * x * (3 - 2 * x);
    return ramp.from + (ramp.to - ramp.from) * s;
  }

  private sample(s: SensorState, now: number): void {
    const { gateways, dice, rateScale } = this.o;
    const g = gateways.get(s.def.gateway);
    if (!g) return;
    // Slow trend and rain showers evolve on every sample.
    s.drift = s.drift * 0.97 + dice.noise() * 0.35;
    if (s.def.kind === 'rain') {
      const h = localHour(now);
      const showerChance = 0.01 + 0.04 * bump(h, 15.5, 2); // afternoon showers
      s.shower = s.shower * 0.85 + (dice.random() < showerChance ? 4 + dice.random() * 10 : 0);
    }
    if (s.def.kind === 'smart-light') {
      s.energyWh += (lightModel(now, s).extra.powerW ?? 0) * (s.def.periodMs / rateScale / 3_600_000);
      if (localHour(now) < 0.1) s.energyWh = 0;
    }
    const base = s.def.model(now, s);
    const extra = { ...base.extra };
    let value = base.value;
    const over = this.overlayValue(s.def.id, now);
    switch (s.def.kind) {
      case 'rain':
        value = round(Math.max(0, value + over + (over > 0 ? dice.noise() * 3 : 0)));
        break;
      case 'water-level':
        value = round(value + over, 2);
        break;
      case 'air-quality':
        value = Math.round(Math.max(5, value + over + dice.noise() * 3));
        extra.pm25 = round(Math.max(2, value * 0.42 + dice.noise()));
        extra.pm10 = round(Math.max(4, value * 0.75 + dice.noise() * 2));
        break;
      case 'water-quality':
        value = round(Math.max(1, value + over));
        break;
      case 'traffic': {
        // over is a congestion fraction 0..1.
        value = round(Math.max(2, value * (1 - clamp(over, 0, 0.95)) + dice.noise()));
        if (over > 0) extra.flow = Math.round((extra.flow ?? 0) * (1 - over * 0.6));
        break;
      }
      case 'fire-alarm':
        value = over >= 0.5 ? 1 : 0;
        break;
      case 'smart-light':
        break;
    }
    g.set({ type: 'reading', id: s.def.id, at: now, value, extra });
    this.watchThresholds(s, value);
  }

  private watchThresholds(s: SensorState, value: number): void {
    // Fire alarms raise their event in the fire script (a real panel's alarm is its own event).
    if (!s.def.alarm || s.def.kind === 'fire-alarm') return;
    const { events } = this.o;
    const level = levelOf(s.def.alarm, value);
    if (level && (!s.openEvent || s.openEvent.level !== level)) {
      const id = s.openEvent?.id ?? events.newId(s.def.id);
      s.openEvent = { id, level };
      const [vi, en] = THRESHOLD_TEXT[s.def.kind];
      const word = level === 'critical' ? ['mức nguy hiểm', 'critical'] : ['mức cảnh báo', 'warning'];
      events.raise(s.def.gateway, {
        id,
        severity: level,
        category: CATEGORY[s.def.kind],
        // a gateway writes its Vietnamese with the decimal comma, as the province's own systems do
        title: { vi: `${vi} (${word[0]}): ${s.def.name} – ${String(value).replace('.', ',')} ${s.def.unit}`.trim(), en: `${en} (${word[1]}): ${s.def.name} – ${value} ${s.def.unit}`.trim() },
        location: s.def.location,
        sensor: s.def.id,
      });
    } else if (!level && s.openEvent && backToNormal(s.def.alarm, value)) {
      events.clear(s.def.gateway, s.openEvent.id);
      s.openEvent = null;
    }
  }
}

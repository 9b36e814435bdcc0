/**
 * DEMO DATA — how each kind of simulated sensor's headline value moves with the time of day
 * (Asia/Ho_Chi_Minh), tides and the sensor's slow drift, before any incident overlay. Pure: the
 * randomness (drift, showers) lives in the sensor's state, which sensors.ts advances.
 */

/** What a model reads: the sensor's fixed parameters and its evolving state. */
export interface ModelInput {
  def: { base: number; amp: number };
  /** Slow random trend (Ornstein–Uhlenbeck-like). */
  drift: number;
  /** Rain shower state (mm/h), decays. */
  shower: number;
  /** Lights: cumulative energy today (Wh); faulty. */
  energyWh: number;
  fault: boolean;
}

interface ModelReading {
  value: number;
  extra: Record<string, number>;
}

export type ValueModel = (t: number, s: ModelInput) => ModelReading;

/** Local hour of day (Asia/Ho_Chi_Minh, UTC+7, no DST) as a fraction 0..24. */
export const localHour = (t: number): number => (((t / 3_600_000 + 7) % 24) + 24) % 24;
/** A bump centred on hour h with width w hours (wraps midnight). */
export const bump = (hour: number, h: number, w: number): number => {
  const d = Math.min(Math.abs(hour - h), 24 - Math.abs(hour - h));
  return Math.exp(-(d * d) / (2 * w * w));
};
export const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;
export const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

const TIDE_MS = 12.42 * 3_600_000;

export function rainModel(_t: number, s: ModelInput): ModelReading {
  return { value: round(Math.max(0, s.shower)), extra: {} };
}
export function levelModel(t: number, s: ModelInput): ModelReading {
  const tide = Math.sin((2 * Math.PI * t) / TIDE_MS + s.def.base * 3);
  return { value: round(s.def.base + s.def.amp * tide + s.drift * 0.05, 2), extra: {} };
}
export function aqiModel(t: number, s: ModelInput): ModelReading {
  const h = localHour(t);
  const aqi = Math.max(5, s.def.base + s.def.amp * (bump(h, 7.5, 1.5) + bump(h, 18, 2)) + s.drift * 6);
  return { value: Math.round(aqi), extra: {} };
}
export function waterQualityModel(t: number, s: ModelInput): ModelReading {
  const h = localHour(t);
  const cod = Math.max(2, s.def.base + s.def.amp * bump(h, 10, 4) + s.drift * 0.8);
  return { value: round(cod), extra: { ph: round(7 + s.drift * 0.1 - (cod - s.def.base) * 0.03, 2), doMgL: round(Math.max(0.5, 6.2 - (cod - s.def.base) * 0.15), 2) } };
}
export function trafficModel(t: number, s: ModelInput): ModelReading {
  const h = localHour(t);
  const rush = bump(h, 7.5, 1) + bump(h, 17.5, 1.2);
  const night = bump(h, 3, 2.5);
  const speed = Math.max(3, s.def.base * (1 - 0.45 * rush + 0.1 * night) + s.drift * 2);
  const flow = Math.max(20, s.def.amp * (0.35 + 0.9 * rush + 0.5 * bump(h, 12, 4) - 0.3 * night) * (1 + s.drift * 0.03));
  return { value: round(speed), extra: { flow: Math.round(flow) } };
}
export function fireAlarmModel(): ModelReading {
  return { value: 0, extra: {} };
}

export function lightModel(t: number, s: ModelInput): ModelReading {
  const h = localHour(t);
  const on = h >= 18 || h < 5.5 ? 1 : 0;
  const powerW = on && !s.fault ? s.def.base * (h >= 23 || h < 4.5 ? 0.6 : 1) : 0;
  return { value: s.fault ? 0 : on, extra: { powerW: Math.round(powerW), energyWh: Math.round(s.energyWh), dimPct: on && !s.fault ? (h >= 23 || h < 4.5 ? 60 : 100) : 0, fault: s.fault ? 1 : 0 } };
}

/**
 * DEMO DATA — the demo province: "Tỉnh Đồng Nai (dữ liệu mô phỏng)".
 *
 * Everything here is SYNTHETIC: commune names, places, coordinates, sensors, thresholds,
 * readings, vessels, people and phone numbers are made up for the demo and the tests. Names are
 * real-sounding so the wall looks like a real one, and every commune, gateway and item name says
 * "(mô phỏng)" / is listed as demo. Nothing here is an official boundary, station, alarm level or
 * registration. Coordinates are WGS 84, roughly around Biên Hòa, Trảng Bom, Long Thành and Nhơn
 * Trạch. Đồng Nai has no sea coast of its own; the fisheries gateway's vessels move on the Thị Vải /
 * Gò Gia river-mouth waters south of Nhơn Trạch — fine for a demo.
 *
 * Seven gateways (sim/gateway.ts each): hydrology, environment, traffic (+ cameras), fire &
 * rescue, lighting, fisheries, citizens (reports + resident warnings). Readings vary with the time
 * of day (Asia/Ho_Chi_Minh), tides, noise and slow trends; threshold crossings raise and clear
 * events by themselves. Scripted incidents (flood, fire, traffic, pollution, vessel-zone) unfold
 * over 1–3 minutes and clear afterwards, on trigger() or on a schedule.
 */
import type { FieldCommand, GeoPoint, SensorKind, StateItem } from '../native-bridge/gateway-protocol.js';
import { defaultDemoCameraDir, startCameraServer, type CameraServer } from './cameras/camera-server.js';
import { SimGateway, type CommandResult, type CurveKeyPair, type GatewayEndpoints, type HostTarget, type StateItemInput } from './gateway.js';
import {
  GATEWAY_NAMES,
  JUNCTIONS,
  SIRENS,
  communeById as C,
  demoCameras as cameras,
  demoCommunes,
  demoMovers as movers,
  demoSensors as sensors,
  p,
  provinceGatewayIds,
  type Alarm,
  type MoverState,
  type ProvinceGatewayId,
  type SensorDef,
  type Zone,
} from './province/inventory.js';
import { bump, clamp, lightModel, localHour, round } from './province/models.js';
import { mulberry32 } from './random.js';

export {
  DEMO_PROVINCE,
  demoCommandTargets,
  demoCommunes,
  demoGatewayDefinitions,
  demoInventory,
  demoSites,
  provinceGatewayIds,
  type DemoCommandTarget,
  type DemoCommune,
  type DemoGatewayDefinition,
  type ProvinceGatewayId,
} from './province/inventory.js';
export { localHour } from './province/models.js';


interface SensorState {
  def: SensorDef;
  nextAt: number;
  /** Slow random trend (Ornstein–Uhlenbeck-like). */
  drift: number;
  /** Rain shower state (mm/h), decays. */
  shower: number;
  /** Lights: cumulative energy today (Wh); faulty. */
  energyWh: number;
  fault: boolean;
  lastValue: number;
  /** The open event raised by the threshold watcher: id and level. */
  openEvent: { id: string; level: 'warning' | 'critical' } | null;
}

// ------------------------------------------------------------------ incidents

export const incidentNames = ['flood', 'fire', 'traffic', 'pollution', 'vessel-zone'] as const;
export type IncidentName = (typeof incidentNames)[number];

export interface IncidentStep {
  incident: IncidentName;
  /** Seconds since the incident started (unscaled script time). */
  atS: number;
  vi: string;
  en: string;
}

// ------------------------------------------------------------------ the running province

export interface ProvinceOptions {
  endpoints: GatewayEndpoints;
  hostPublicKey: string;
  gatewayKeys: Record<string, CurveKeyPair>;
  /** More hosts (the standby); every gateway connects to each. */
  extraHosts?: HostTarget[];
  /** Publishing rate multiplier: 2 = twice as often (default 1: every 3–15 s per sensor). */
  rateScale?: number;
  /** Incident script time multiplier: 0.1 = ten times faster (default 1). */
  incidentTimeScale?: number;
  /**
   * Base of camera HLS URLs: {base}/cameras/{id}/main.m3u8. Default: the camera server's baseUrl
   * when it runs, else http://127.0.0.1:8090. Set it with the camera server to advertise another
   * address (e.g. the server listens on 0.0.0.0 and the wall is on another machine).
   */
  cameraBaseUrl?: string;
  /**
   * Serve the cameras' DEMO footage as live HLS (sim/cameras/camera-server.ts) on this port
   * (default 0 = a free one) and host (default 127.0.0.1), from mediaDir (default the committed
   * resources/demo-cameras). The cameras then advertise the footage's sizes. Default false.
   */
  cameraServer?: { port?: number; host?: string; mediaDir?: string } | false;
  /** Seed of the pseudo-random generator (default 1): the same seed gives the same noise sequence. */
  seed?: number;
  /** Mean seconds between citizen reports (default 90; 0 = none). Scaled by rateScale. */
  reportEverySeconds?: number;
  /** Only these gateways (default all). */
  only?: readonly ProvinceGatewayId[];
  /** One line per incident step and notable command. */
  log?: (line: string) => void;
  /** Called for every incident step. */
  onStep?: (step: IncidentStep) => void;
}

export interface ProvinceHandle {
  gateways: SimGateway[];
  gateway(id: ProvinceGatewayId): SimGateway;
  /** Runs a scripted incident; resolves when it has cleared. A running incident is not started twice. */
  trigger(incident: IncidentName): Promise<void>;
  /** Runs the incidents one after another, one every `everyMs` (default 6 minutes). */
  schedule(everyMs?: number): void;
  readonly activeIncidents: ReadonlySet<IncidentName>;
  /** The simulated cameras' HLS server (options.cameraServer), or null. Closed by stop(). */
  readonly cameraServer: CameraServer | null;
  stop(): Promise<void>;
}

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

const REPORTERS = ['Nguyễn Văn Hùng', 'Trần Thị Mai', 'Lê Minh Tuấn', 'Phạm Thu Hà', 'Hoàng Đức Anh', 'Võ Thị Lan', 'Đặng Quốc Bảo', 'Bùi Ngọc Ánh'];
const REPORT_KINDS: [string, string][] = [
  ['ngap-nuoc', 'Đường ngập khoảng 20 cm, xe máy đi lại khó khăn.'],
  ['rac-thai', 'Bãi rác tự phát ven đường, bốc mùi hôi.'],
  ['un-tac', 'Xe ùn ứ kéo dài, đèn tín hiệu không hoạt động.'],
  ['den-hong', 'Đèn đường không sáng cả đoạn khoảng 200 m.'],
  ['mui-hoi', 'Khu dân cư ngửi thấy mùi khét từ khu công nghiệp.'],
  ['cay-do', 'Cây xanh có nguy cơ gãy đổ sau mưa lớn.'],
];

export async function startProvince(options: ProvinceOptions): Promise<ProvinceHandle> {
  const rateScale = options.rateScale ?? 1;
  const timeScale = options.incidentTimeScale ?? 1;
  const random = mulberry32(options.seed ?? 1);
  const log = options.log ?? (() => {});
  const ids = provinceGatewayIds.filter((id) => !options.only || options.only.includes(id));
  const gateways = new Map<ProvinceGatewayId, SimGateway>();
  const timers = new Set<NodeJS.Timeout>();
  const active = new Set<IncidentName>();
  const running = new Map<IncidentName, Promise<void>>();
  let stopped = false;
  let scheduleTimer: NodeJS.Timeout | null = null;
  let eventCounter = 0;

  const noise = (): number => random() + random() + random() - 1.5; // ~N(0, 0.5)
  const jitter = (ms: number): number => (ms / rateScale) * (0.8 + 0.4 * random());
  const gw = (id: ProvinceGatewayId): SimGateway | undefined => gateways.get(id);
  const newEventId = (prefix: string): string => `ev-${prefix}-${Date.now().toString(36)}-${(eventCounter++).toString(36)}`;

  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped) fn();
    }, ms);
    timer.unref();
    timers.add(timer);
  };

  const raise = (gateway: ProvinceGatewayId, event: Omit<Extract<StateItemInput, { type: 'event' }>, 'type' | 'at'>): string => {
    gw(gateway)?.set({ type: 'event', at: Date.now(), ...event });
    return event.id;
  };
  const clearEvent = (gateway: ProvinceGatewayId, id: string, deleteAfterMs = 120_000): void => {
    const g = gw(gateway);
    const item = g?.get('event', id);
    if (!g || !item || item.type !== 'event') return;
    g.set({ ...item, at: Date.now(), cleared: true });
    later(deleteAfterMs * timeScale, () => g.delete('event', id));
  };

  // ---- sensors
  const sensorStates = new Map<string, SensorState>();
  const overlays = new Map<string, Ramp>();
  /** Extra overlays for extras (e.g. pm25 follows AQI; nothing else yet). */
  const overlayValue = (id: string, now: number): number => {
    const ramp = overlays.get(id);
    if (!ramp) return 0;
    if (ramp.durationMs <= 0) return ramp.to;
    const x = clamp((now - ramp.startAt) / Math.max(1, ramp.durationMs), 0, 1);
    const s = x * x * (3 - 2 * x);
    return ramp.from + (ramp.to - ramp.from) * s;
  };
  const rampTo = (id: string, to: number, durationS: number): void => {
    const now = Date.now();
    overlays.set(id, { from: overlayValue(id, now), to, startAt: now, durationMs: Math.max(0, durationS * 1000 * timeScale) });
  };

  const levelOf = (alarm: Alarm | undefined, value: number): 'warning' | 'critical' | null => {
    if (!alarm) return null;
    if (alarm.direction === 'above') return value >= alarm.critical ? 'critical' : value >= alarm.warning ? 'warning' : null;
    return value <= alarm.critical ? 'critical' : value <= alarm.warning ? 'warning' : null;
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

  /** Hysteresis: an open event clears only once the value is 5 % (above) / 10 % (below) back past the warning level. */
  const backToNormal = (alarm: Alarm, value: number): boolean => (alarm.direction === 'above' ? value < alarm.warning * 0.95 : value > alarm.warning * 1.1);

  const watchThresholds = (s: SensorState, value: number): void => {
    // Fire alarms raise their event in the fire script (a real panel's alarm is its own event).
    if (!s.def.alarm || s.def.kind === 'fire-alarm') return;
    const level = levelOf(s.def.alarm, value);
    const g = gw(s.def.gateway);
    if (!g) return;
    if (level && (!s.openEvent || s.openEvent.level !== level)) {
      const id = s.openEvent?.id ?? newEventId(s.def.id);
      s.openEvent = { id, level };
      const [vi, en] = THRESHOLD_TEXT[s.def.kind];
      const word = level === 'critical' ? ['mức nguy hiểm', 'critical'] : ['mức cảnh báo', 'warning'];
      raise(s.def.gateway, {
        id,
        severity: level,
        category: CATEGORY[s.def.kind],
        title: { vi: `${vi} (${word[0]}): ${s.def.name} – ${value} ${s.def.unit}`.trim(), en: `${en} (${word[1]}): ${s.def.name} – ${value} ${s.def.unit}`.trim() },
        location: s.def.location,
        sensor: s.def.id,
      });
    } else if (!level && s.openEvent && backToNormal(s.def.alarm, value)) {
      clearEvent(s.def.gateway, s.openEvent.id);
      s.openEvent = null;
    }
  };

  const sample = (s: SensorState, now: number): void => {
    const g = gw(s.def.gateway);
    if (!g) return;
    // Slow trend and rain showers evolve on every sample.
    s.drift = s.drift * 0.97 + noise() * 0.35;
    if (s.def.kind === 'rain') {
      const h = localHour(now);
      const showerChance = 0.01 + 0.04 * bump(h, 15.5, 2); // afternoon showers
      s.shower = s.shower * 0.85 + (random() < showerChance ? 4 + random() * 10 : 0);
    }
    if (s.def.kind === 'smart-light') {
      s.energyWh += (lightModel(now, s).extra.powerW ?? 0) * (s.def.periodMs / rateScale / 3_600_000);
      if (localHour(now) < 0.1) s.energyWh = 0;
    }
    const base = s.def.model(now, s);
    const extra = { ...base.extra };
    let value = base.value;
    const over = overlayValue(s.def.id, now);
    switch (s.def.kind) {
      case 'rain':
        value = round(Math.max(0, value + over + (over > 0 ? noise() * 3 : 0)));
        break;
      case 'water-level':
        value = round(value + over, 2);
        break;
      case 'air-quality':
        value = Math.round(Math.max(5, value + over + noise() * 3));
        extra.pm25 = round(Math.max(2, value * 0.42 + noise()));
        extra.pm10 = round(Math.max(4, value * 0.75 + noise() * 2));
        break;
      case 'water-quality':
        value = round(Math.max(1, value + over));
        break;
      case 'traffic': {
        // over is a congestion fraction 0..1.
        value = round(Math.max(2, value * (1 - clamp(over, 0, 0.95)) + noise()));
        if (over > 0) extra.flow = Math.round((extra.flow ?? 0) * (1 - over * 0.6));
        break;
      }
      case 'fire-alarm':
        value = over >= 0.5 ? 1 : 0;
        break;
      case 'smart-light':
        break;
    }
    s.lastValue = value;
    g.set({ type: 'reading', id: s.def.id, at: now, value, extra });
    watchThresholds(s, value);
  };

  // ---- moving objects
  const moverStates = movers();
  const KM_PER_DEG = 111.32;
  const publishMover = (m: MoverState, now: number): void => {
    gw(m.gateway)?.set({ type: 'object', id: m.id, kind: m.kind, name: m.name, at: now, location: { lat: round(m.location.lat, 6), lon: round(m.location.lon, 6) }, headingDeg: round(((m.headingDeg % 360) + 360) % 360, 0), speedKmh: round(m.speedKmh, 1) });
  };
  const headingTo = (from: GeoPoint, to: GeoPoint): number => {
    const dy = to.lat - from.lat;
    const dx = (to.lon - from.lon) * Math.cos((from.lat * Math.PI) / 180);
    return ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360;
  };
  const inZone = (pt: GeoPoint, z: Zone): boolean => pt.lat >= z.latMin && pt.lat <= z.latMax && pt.lon >= z.lonMin && pt.lon <= z.lonMax;

  const moveTruck = (m: MoverState, now: number): void => {
    if (!m.trip) {
      m.speedKmh = 0;
      return;
    }
    const x = clamp((now - m.trip.startAt) / m.trip.durationMs, 0, 1);
    m.location = { lat: m.trip.from.lat + (m.trip.to.lat - m.trip.from.lat) * x, lon: m.trip.from.lon + (m.trip.to.lon - m.trip.from.lon) * x };
    m.headingDeg = headingTo(m.trip.from, m.trip.to);
    m.speedKmh = x >= 1 ? 0 : 40 + noise() * 5;
    if (x >= 1) {
      m.trip = null;
      m.nextAt = 0; // publish the arrival now
    }
  };

  const startTrip = (m: MoverState, to: GeoPoint, travelS: number): void => {
    m.trip = { from: { ...m.location }, to: { ...to }, startAt: Date.now(), durationMs: travelS * 1000 * timeScale };
    m.nextAt = 0;
  };

  const moveVessel = (m: MoverState, dtMs: number): void => {
    const zone = m.zone!;
    if (m.escapeTo) {
      m.headingDeg = headingTo(m.location, m.escapeTo);
      m.speedKmh = 14;
    } else {
      m.headingDeg = (m.headingDeg + noise() * 25 + 360) % 360;
      m.speedKmh = clamp(m.speedKmh + noise(), 3, 12);
      if (!inZone(m.location, zone)) m.headingDeg = headingTo(m.location, { lat: (zone.latMin + zone.latMax) / 2, lon: (zone.lonMin + zone.lonMax) / 2 });
    }
    // Demo speed-up: vessels move 20× faster than their speed so the map shows motion (and with the
    // incident script's time scale while one is heading out).
    const km = (m.speedKmh * dtMs * (m.escapeTo ? 45 / timeScale : 20)) / 3_600_000;
    const rad = (m.headingDeg * Math.PI) / 180;
    m.location = { lat: m.location.lat + (km * Math.cos(rad)) / KM_PER_DEG, lon: m.location.lon + (km * Math.sin(rad)) / (KM_PER_DEG * Math.cos((m.location.lat * Math.PI) / 180)) };
    if (!m.escapeTo && !inZone(m.location, zone)) {
      // Turn back at the border.
      m.location = { lat: clamp(m.location.lat, zone.latMin, zone.latMax), lon: clamp(m.location.lon, zone.lonMin, zone.lonMax) };
      m.headingDeg = (m.headingDeg + 180) % 360;
    }
    const outside = !inZone(m.location, zone);
    if (outside && !m.outside) {
      const id = newEventId(m.id);
      m.outside = { eventId: id };
      raise('gw-thuy-san', {
        id,
        severity: 'warning',
        category: 'vessel',
        title: { vi: `Tàu rời vùng hoạt động được phép: ${m.name}`, en: `Vessel left its permitted zone: ${m.name}` },
        location: { lat: round(m.location.lat, 6), lon: round(m.location.lon, 6) },
      });
    } else if (!outside && m.outside) {
      clearEvent('gw-thuy-san', m.outside.eventId);
      m.outside = null;
    }
  };

  // ---- citizen reports
  const reportIds: string[] = [];
  let reportCounter = 0;
  const report = (category: string, text: string, communeId: string, at?: GeoPoint): void => {
    const g = gw('gw-cong-dan');
    if (!g) return;
    const c = C[communeId]!;
    const id = `pa-${Date.now().toString(36)}-${(reportCounter++).toString(36)}`;
    const phone = `09${Math.floor(random() * 1e8)
      .toString()
      .padStart(8, '0')}`;
    g.set({
      type: 'report',
      id,
      at: Date.now(),
      category,
      text: `${text} (phản ánh mô phỏng)`,
      location: at ?? { lat: round(c.center.lat + noise() * 0.01, 6), lon: round(c.center.lon + noise() * 0.01, 6) },
      commune: c.name,
      reporter: { name: REPORTERS[Math.floor(random() * REPORTERS.length)]!, phone },
    });
    reportIds.push(id);
    while (reportIds.length > 40) g.delete('report', reportIds.shift()!);
  };

  // ---- commands
  const commandHandlers: Partial<Record<ProvinceGatewayId, (command: FieldCommand) => CommandResult>> = {
    'gw-thuy-van': (command) => {
      if (command.type !== 'siren') return { status: 'rejected', detail: `unsupported command type ${command.type} on gw-thuy-van` };
      const siren = SIRENS[command.target];
      if (!siren) return { status: 'rejected', detail: `unknown siren ${command.target}` };
      const durationS = typeof command.params.durationS === 'number' ? clamp(command.params.durationS, 10, 3600) : 300;
      const id = raise('gw-thuy-van', {
        id: `ev-siren-${command.id}`.slice(0, 128),
        severity: 'warning',
        category: 'flood',
        title: { vi: `Đã bật còi cảnh báo: ${siren.name} (${durationS} giây)`, en: `Siren on: ${siren.name} (${durationS} s)` },
        location: siren.location,
      });
      later(durationS * 1000, () => clearEvent('gw-thuy-van', id));
      log(`command ${command.id}: siren ${command.target} on for ${durationS} s`);
      return { status: 'done', detail: `siren ${command.target} on for ${durationS} s` };
    },
    'gw-giao-thong': (command) => {
      if (command.type !== 'traffic-signal-plan') return { status: 'rejected', detail: `unsupported command type ${command.type} on gw-giao-thong` };
      const junction = JUNCTIONS[command.target];
      if (!junction) return { status: 'rejected', detail: `unknown junction ${command.target}` };
      const plan = typeof command.params.plan === 'string' ? command.params.plan.slice(0, 100) : 'default';
      const id = raise('gw-giao-thong', {
        id: `ev-plan-${command.id}`.slice(0, 128),
        severity: 'info',
        category: 'traffic',
        title: { vi: `Đã áp dụng phương án đèn tín hiệu "${plan}" tại ${junction.name}`, en: `Signal plan "${plan}" applied at ${junction.name}` },
        location: junction.location,
      });
      later(600_000, () => clearEvent('gw-giao-thong', id));
      // A diversion eases the congested corridor a little.
      for (const [sensorId, ramp] of overlays) if (sensorId.startsWith('gt-') && ramp.to > 0.2) rampTo(sensorId, ramp.to * 0.7, 20);
      log(`command ${command.id}: signal plan "${plan}" at ${command.target}`);
      return { status: 'done', detail: `plan ${plan} active at ${command.target}` };
    },
    'gw-cong-dan': (command) => {
      if (command.type !== 'resident-warning') return { status: 'rejected', detail: `unsupported command type ${command.type} on gw-cong-dan` };
      const c = C[command.target];
      if (!c) return { status: 'rejected', detail: `unknown commune ${command.target}` };
      const message = typeof command.params.message === 'string' ? command.params.message.slice(0, 300) : 'Cảnh báo';
      const id = raise('gw-cong-dan', {
        id: `ev-warn-${command.id}`.slice(0, 128),
        severity: 'info',
        category: 'other',
        title: { vi: `Đã gửi cảnh báo tới người dân ${c.name}: ${message}`.slice(0, 500), en: `Warning sent to residents of ${c.name}: ${message}`.slice(0, 500) },
        location: c.center,
      });
      later(600_000, () => clearEvent('gw-cong-dan', id));
      log(`command ${command.id}: resident warning to ${command.target}`);
      return { status: 'done', detail: `warning sent to ${command.target}` };
    },
  };

  // ---- build the gateways and their initial state (in state before start: the host gets it by snapshot)
  for (const id of ids) {
    const keyPair = options.gatewayKeys[id];
    if (!keyPair) throw new Error(`no CURVE key pair for gateway ${id} in gatewayKeys`);
    const handler = commandHandlers[id];
    gateways.set(
      id,
      new SimGateway({
        id,
        name: GATEWAY_NAMES[id][0],
        endpoints: options.endpoints,
        hostPublicKey: options.hostPublicKey,
        keyPair,
        extraHosts: options.extraHosts,
        onCommand: (command) => (handler ? handler(command) : { status: 'rejected', detail: `gateway ${id} accepts no commands` }),
        log,
      }),
    );
  }
  const now0 = Date.now();
  const lightIds = sensors()
    .filter((d) => d.kind === 'smart-light')
    .map((d) => d.id);
  const faultyLight = lightIds[Math.floor(random() * lightIds.length)];
  for (const def of sensors()) {
    const g = gw(def.gateway);
    if (!g) continue;
    const s: SensorState = { def, nextAt: now0 + random() * (def.periodMs / rateScale), drift: 0, shower: 0, energyWh: 0, fault: def.id === faultyLight, lastValue: 0, openEvent: null };
    sensorStates.set(def.id, s);
    const thresholds = def.kind === 'fire-alarm' ? { critical: 1 } : def.alarm?.direction === 'above' ? { warning: def.alarm.warning, critical: def.alarm.critical } : {};
    g.set({ type: 'sensor', id: def.id, kind: def.kind, name: def.name, commune: def.commune, location: def.location, unit: def.unit, thresholds });
    sample(s, now0);
  }
  // ---- cameras (and their simulated live streams)
  const cameraServer = options.cameraServer
    ? await startCameraServer({
        port: options.cameraServer.port,
        host: options.cameraServer.host,
        mediaDir: options.cameraServer.mediaDir ?? defaultDemoCameraDir(),
        cameras: cameras().map((c) => c.id),
      })
    : null;
  const cameraBase = (options.cameraBaseUrl ?? cameraServer?.baseUrl ?? 'http://127.0.0.1:8090').replace(/\/+$/, '');
  // Without the camera server the URLs point elsewhere: keep the historical nominal sizes.
  const cameraSize = cameraServer?.renditions ?? { main: { width: 1920, height: 1080 }, sub: { width: 640, height: 360 } };
  for (const cam of cameras()) {
    gw(cam.gateway)?.set({
      type: 'camera',
      id: cam.id,
      name: cam.name,
      commune: cam.commune,
      location: cam.location,
      streams: {
        main: { url: `${cameraBase}/cameras/${cam.id}/main.m3u8`, width: cameraSize.main.width, height: cameraSize.main.height },
        sub: { url: `${cameraBase}/cameras/${cam.id}/sub.m3u8`, width: cameraSize.sub.width, height: cameraSize.sub.height },
      },
    });
  }
  for (const m of moverStates) {
    if (!gw(m.gateway)) continue;
    m.nextAt = now0 + random() * 2000;
    publishMover(m, now0);
  }

  try {
    await Promise.all([...gateways.values()].map((g) => g.start()));
  } catch (error) {
    await cameraServer?.close();
    throw error;
  }

  // ---- the tick: due sensors and movers
  let lastTick = Date.now();
  let nextReportAt = Date.now() + jitter((options.reportEverySeconds ?? 90) * 1000);
  const tick = setInterval(() => {
    if (stopped) return;
    const now = Date.now();
    const dt = now - lastTick;
    lastTick = now;
    for (const s of sensorStates.values()) {
      if (now < s.nextAt) continue;
      s.nextAt = now + jitter(s.def.periodMs);
      sample(s, now);
    }
    for (const m of moverStates) {
      if (!gw(m.gateway)) continue;
      if (m.kind === 'vessel') moveVessel(m, dt);
      else moveTruck(m, now);
      if (now < m.nextAt) continue;
      const moving = m.kind === 'vessel' || m.trip;
      m.nextAt = now + Math.min(jitter(moving ? 3000 : 30_000), m.trip ? m.trip.durationMs / 5 : Infinity);
      publishMover(m, now);
    }
    if ((options.reportEverySeconds ?? 90) > 0 && now >= nextReportAt) {
      nextReportAt = now + jitter((options.reportEverySeconds ?? 90) * 1000 * 2 * random());
      const [category, text] = REPORT_KINDS[Math.floor(random() * REPORT_KINDS.length)]!;
      report(category, text, demoCommunes[Math.floor(random() * demoCommunes.length)]!.id);
    }
  }, 250);
  tick.unref();

  // ---- incident scripts
  const forceSample = (sensorId: string): void => {
    const s = sensorStates.get(sensorId);
    if (s) sample(s, Date.now());
  };

  type Step = { atS: number; vi: string; en: string; run: () => void };
  const scripts: Record<IncidentName, () => Step[]> = {
    flood: () => {
      const gauges = ['mua-bien-hoa', 'mua-tam-hiep', 'mua-long-binh', 'mua-trang-bom'];
      const stations: [string, number][] = [
        ['mn-dong-nai-bien-hoa', 1.95],
        ['mn-suoi-linh', 1.3],
        ['mn-song-buong', 1.35],
      ];
      return [
        { atS: 0, vi: 'Mưa lớn bắt đầu tại Biên Hòa, Trảng Bom', en: 'Heavy rain starts over Biên Hòa and Trảng Bom', run: () => gauges.forEach((id, i) => rampTo(id, 40 + i * 8, 30)) },
        { atS: 25, vi: 'Mưa rất to, vượt ngưỡng cảnh báo', en: 'Very heavy rain, above warning level', run: () => gauges.forEach((id, i) => rampTo(id, 55 + i * 6, 15)) },
        { atS: 30, vi: 'Mực nước sông, suối bắt đầu lên nhanh', en: 'River and stream levels rise fast', run: () => stations.forEach(([id, rise]) => rampTo(id, rise, 60)) },
        { atS: 45, vi: 'Người dân phản ánh ngập tại Tam Hiệp', en: 'Residents report flooding in Tam Hiệp', run: () => report('ngap-nuoc', 'Nước suối Linh tràn vào nhà dân, ngập khoảng 40 cm.', 'phuong-tam-hiep', p(10.9276, 106.8711)) },
        {
          atS: 95,
          vi: 'Mực nước vượt mức nguy hiểm tại nhiều trạm',
          en: 'Water levels above critical at several stations',
          run: () => {
            stations.forEach(([id]) => forceSample(id));
            raise('gw-thuy-van', {
              id: newEventId('lu'),
              severity: 'critical',
              category: 'flood',
              title: { vi: 'Nguy cơ ngập lụt diện rộng tại Biên Hòa, Trảng Bom (mô phỏng)', en: 'Risk of widespread flooding in Biên Hòa, Trảng Bom (simulated)' },
              location: C['phuong-tam-hiep']!.center,
            });
          },
        },
        { atS: 110, vi: 'Mưa giảm dần', en: 'Rain eases', run: () => gauges.forEach((id) => rampTo(id, 0, 25)) },
        { atS: 130, vi: 'Nước rút dần', en: 'Water recedes', run: () => stations.forEach(([id]) => rampTo(id, 0, 45)) },
        {
          atS: 180,
          vi: 'Kết thúc đợt ngập; các cảnh báo được gỡ',
          en: 'Flood over; warnings cleared',
          run: () => {
            [...gauges, ...stations.map(([id]) => id)].forEach((id) => {
              overlays.delete(id);
              forceSample(id);
            });
            clearOpen('gw-thuy-van', 'ev-lu-');
          },
        },
      ];
    },
    fire: () => {
      const facility = 'bc-kho-amata';
      const where = sensorStates.get(facility)?.def.location ?? p(10.9531, 106.9048);
      let fireEvent = '';
      const trucks = moverStates.filter((m) => m.kind === 'fire-truck').slice(0, 2);
      const travelS = 50;
      return [
        {
          atS: 0,
          vi: 'Báo cháy tại Kho hàng KCN Amata',
          en: 'Fire alarm at the Amata industrial park warehouse',
          run: () => {
            rampTo(facility, 1, 0);
            forceSample(facility);
            fireEvent = raise('gw-pccc', {
              id: newEventId('chay'),
              severity: 'critical',
              category: 'fire',
              title: { vi: 'Cháy kho hàng KCN Amata – có khói dày đặc (mô phỏng)', en: 'Fire at the Amata industrial park warehouse – dense smoke (simulated)' },
              location: where,
              sensor: facility,
            });
          },
        },
        {
          atS: 5,
          vi: 'Điều động 2 xe chữa cháy từ Đội PCCC&CNCH Biên Hòa',
          en: 'Two fire trucks dispatched from the Biên Hòa fire station',
          run: () => trucks.forEach((m, i) => startTrip(m, { lat: where.lat + i * 0.0004, lon: where.lon - 0.0006 }, travelS)),
        },
        { atS: 5 + travelS + 2, vi: 'Xe chữa cháy đến hiện trường', en: 'Fire trucks on scene', run: () => trucks.forEach((m) => publishMover(m, Date.now())) },
        {
          atS: 100,
          vi: 'Đám cháy được khống chế; tắt báo cháy',
          en: 'Fire under control; alarm reset',
          run: () => {
            rampTo(facility, 0, 0);
            forceSample(facility);
            if (fireEvent) clearEvent('gw-pccc', fireEvent);
          },
        },
        {
          atS: 110,
          vi: 'Xe chữa cháy trở về đơn vị',
          en: 'Fire trucks return to the station',
          run: () => trucks.forEach((m) => startTrip(m, m.home, travelS)),
        },
        { atS: 110 + travelS + 2, vi: 'Kết thúc sự cố cháy', en: 'Fire incident over', run: () => overlays.delete(facility) },
      ];
    },
    traffic: () => {
      const corridor: [string, number][] = [
        ['gt-ql1a-01', 0.7],
        ['gt-ql1a-02', 0.85],
        ['gt-ql1a-03', 0.8],
        ['gt-ql1a-04', 0.6],
      ];
      let jam = '';
      return [
        { atS: 0, vi: 'Tai nạn trên QL1A đoạn Tam Hiệp–Amata, xe bắt đầu chậm', en: 'Crash on QL1A Tam Hiệp–Amata, traffic slows', run: () => corridor.slice(1, 3).forEach(([id, f]) => rampTo(id, f * 0.5, 20)) },
        {
          atS: 20,
          vi: 'Ùn tắc lan dọc QL1A từ Tân Phong đến Trảng Bom',
          en: 'Congestion spreads along QL1A from Tân Phong to Trảng Bom',
          run: () => {
            corridor.forEach(([id, f]) => rampTo(id, f, 30));
            jam = raise('gw-giao-thong', {
              id: newEventId('un-tac'),
              severity: 'warning',
              category: 'traffic',
              title: { vi: 'Ùn tắc kéo dài trên QL1A đoạn Tân Phong–Trảng Bom (mô phỏng)', en: 'Long congestion on QL1A Tân Phong–Trảng Bom (simulated)' },
              location: p(10.947, 106.88),
            });
          },
        },
        { atS: 40, vi: 'Người dân phản ánh ùn tắc tại vòng xoay Tam Hiệp', en: 'Residents report a jam at the Tam Hiệp roundabout', run: () => report('un-tac', 'Xe kẹt cứng vòng xoay Tam Hiệp hơn 30 phút.', 'phuong-tam-hiep', p(10.9368, 106.8612)) },
        { atS: 90, vi: 'Giải tỏa hiện trường, giao thông hồi phục dần', en: 'Scene cleared, traffic recovering', run: () => corridor.forEach(([id]) => rampTo(id, 0, 40)) },
        {
          atS: 135,
          vi: 'Giao thông trở lại bình thường',
          en: 'Traffic back to normal',
          run: () => {
            corridor.forEach(([id]) => {
              overlays.delete(id);
              forceSample(id);
            });
            if (jam) clearEvent('gw-giao-thong', jam);
          },
        },
      ];
    },
    pollution: () => {
      const sources: [string, number][] = [
        ['kk-kcn-bien-hoa-2', 150],
        ['kk-cong-vien-bien-hung', 60],
        ['kk-kcn-amata', 70],
      ];
      return [
        { atS: 0, vi: 'AQI tăng bất thường tại KCN Biên Hòa 2', en: 'AQI rising unusually at Biên Hòa 2 industrial park', run: () => rampTo('kk-kcn-bien-hoa-2', 70, 20) },
        { atS: 20, vi: 'Khói bụi lan sang khu dân cư lân cận', en: 'Smoke spreads to nearby neighbourhoods', run: () => sources.forEach(([id, rise]) => rampTo(id, rise, 40)) },
        { atS: 35, vi: 'Người dân phản ánh mùi khét', en: 'Residents report a burning smell', run: () => report('mui-hoi', 'Mùi khét nồng nặc từ KCN Biên Hòa 2, khó thở.', 'phuong-long-binh', p(10.9301, 106.8655)) },
        { atS: 45, vi: 'Chất lượng nước suối Linh xấu đi', en: 'Suối Linh water quality worsens', run: () => rampTo('nc-suoi-linh', 22, 40) },
        {
          atS: 100,
          vi: 'Nguồn thải được kiểm soát, AQI giảm',
          en: 'Source controlled, AQI falling',
          run: () => {
            sources.forEach(([id]) => rampTo(id, 0, 40));
            rampTo('nc-suoi-linh', 0, 40);
          },
        },
        {
          atS: 150,
          vi: 'Kết thúc sự cố ô nhiễm',
          en: 'Pollution incident over',
          run: () =>
            [...sources.map(([id]) => id), 'nc-suoi-linh'].forEach((id) => {
              overlays.delete(id);
              forceSample(id);
            }),
        },
      ];
    },
    'vessel-zone': () => {
      const vessel = moverStates.find((m) => m.kind === 'vessel');
      return [
        {
          atS: 0,
          vi: `${vessel?.name ?? 'Tàu cá'} chuyển hướng ra khỏi vùng được phép`,
          en: `${vessel?.name ?? 'A vessel'} heads out of its permitted zone`,
          run: () => {
            if (vessel?.zone) vessel.escapeTo = { lat: vessel.zone.latMin - 0.05, lon: vessel.zone.lonMax + 0.04 };
          },
        },
        {
          atS: 70,
          vi: 'Tàu được yêu cầu quay lại vùng hoạt động',
          en: 'Vessel told to return to its zone',
          run: () => {
            if (vessel) vessel.escapeTo = vessel.zone ? { lat: (vessel.zone.latMin + vessel.zone.latMax) / 2, lon: (vessel.zone.lonMin + vessel.zone.lonMax) / 2 } : null;
          },
        },
        {
          atS: 110,
          vi: 'Tàu đã trở lại vùng được phép',
          en: 'Vessel back in its zone',
          run: () => {
            if (vessel) {
              vessel.escapeTo = null;
              if (vessel.zone && !inZone(vessel.location, vessel.zone)) vessel.location = { ...vessel.home };
              moveVessel(vessel, 0);
              publishMover(vessel, Date.now());
            }
          },
        },
      ];
    },
  };

  /** Clears every open (not cleared) event of a gateway whose id starts with prefix. */
  const clearOpen = (gateway: ProvinceGatewayId, prefix: string): void => {
    const g = gw(gateway);
    if (!g) return;
    for (const item of [...g.state.values()]) if (item.type === 'event' && item.id.startsWith(prefix) && !item.cleared) clearEvent(gateway, item.id);
  };

  const trigger = (incident: IncidentName): Promise<void> => {
    if (!incidentNames.includes(incident)) return Promise.reject(new Error(`unknown incident "${String(incident)}"; one of ${incidentNames.join(', ')}`));
    const existing = running.get(incident);
    if (existing) return existing;
    active.add(incident);
    const steps = scripts[incident]();
    const done = new Promise<void>((resolve) => {
      let left = steps.length;
      for (const step of steps) {
        later(step.atS * 1000 * timeScale, () => {
          try {
            step.run();
          } catch (error) {
            log(`incident ${incident}: step failed: ${String(error)}`);
          }
          log(`[incident ${incident} +${step.atS}s] ${step.vi} — ${step.en}`);
          options.onStep?.({ incident, atS: step.atS, vi: step.vi, en: step.en });
          if (--left === 0) {
            active.delete(incident);
            running.delete(incident);
            resolve();
          }
        });
      }
    });
    running.set(incident, done);
    return done;
  };

  const handle: ProvinceHandle = {
    gateways: [...gateways.values()],
    gateway(id) {
      const g = gateways.get(id);
      if (!g) throw new Error(`gateway ${id} is not running`);
      return g;
    },
    trigger,
    schedule(everyMs = 6 * 60_000) {
      if (scheduleTimer) clearInterval(scheduleTimer);
      let next = 0;
      const run = () => {
        const incident = incidentNames[next++ % incidentNames.length]!;
        void trigger(incident);
      };
      scheduleTimer = setInterval(run, everyMs);
      scheduleTimer.unref();
    },
    get activeIncidents() {
      return active;
    },
    cameraServer,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(tick);
      if (scheduleTimer) clearInterval(scheduleTimer);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all([...gateways.values()].map((g) => g.stop()));
      await cameraServer?.close();
    },
  };
  return handle;
}

export type { StateItem };

/**
 * DEMO DATA — runs the demo province: one SimGateway (sim/gateway.ts) per gateway, holding the
 * inventory's sensors, cameras and moving objects; a 250 ms tick that samples what is due, moves
 * the vehicles and files random citizen reports; the commands the gateways accept; and the
 * scripted incidents on trigger() or on a schedule.
 *
 * Every random draw comes from one seeded generator (options.seed), in a fixed order: the faulty
 * light and the sensors' first samples, the movers' first times, the first report's time; then
 * on each tick the due sensors, the movers, a due report (incident steps and commands draw when
 * they run). Keep that order when changing anything here, or a seed no longer replays its run.
 */
import type { FieldCommand } from '../../native-bridge/gateway-protocol.js';
import type { DrillIncident } from '../../native-bridge/contract.js';
import { defaultDemoCameraDir, startCameraServer, type CameraServer } from '../cameras/camera-server.js';
import { SimGateway, type CommandResult, type CurveKeyPair, type GatewayEndpoints, type HostTarget } from '../gateway.js';
import { IncidentPlayer, type IncidentName, type IncidentStep } from './incidents.js';
import { GATEWAY_NAMES, JUNCTIONS, SIRENS, communeById, demoCameras, demoSensors, provinceGatewayIds, type ProvinceGatewayId } from './inventory.js';
import { clamp } from './models.js';
import { MoverFleet } from './movers.js';
import { CitizenReports } from './reports.js';
import { SensorBoard } from './sensors.js';
import { Dice, EventDesk, Timers, type EventInput, type Gateways } from './shared.js';

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
  /** The same, for a drill started from the console (RunningSimulator.playDrill). */
  playDrill(incident: DrillIncident): Promise<void>;
  /** Runs the incidents one after another, one every `everyMs` (default 6 minutes). */
  schedule(everyMs?: number): void;
  readonly activeIncidents: ReadonlySet<IncidentName>;
  /** The simulated cameras' HLS server (options.cameraServer), or null. Closed by stop(). */
  readonly cameraServer: CameraServer | null;
  stop(): Promise<void>;
}

export async function startProvince(options: ProvinceOptions): Promise<ProvinceHandle> {
  const rateScale = options.rateScale ?? 1;
  const timeScale = options.incidentTimeScale ?? 1;
  const log = options.log ?? (() => {});
  const dice = new Dice(options.seed ?? 1, rateScale);
  const timers = new Timers();
  // Filled below, once the command handlers (which raise events on them) exist.
  const gateways = new Map<ProvinceGatewayId, SimGateway>();
  const events = new EventDesk(gateways, timers, timeScale);
  const sensors = new SensorBoard({ gateways, events, dice, rateScale, timeScale });
  const fleet = new MoverFleet({ gateways, events, dice, timeScale });
  const handlers = commandHandlers({ events, timers, sensors, log });
  for (const id of provinceGatewayIds) if (!options.only || options.only.includes(id)) gateways.set(id, createGateway(id, options, handlers[id], log));

  // The initial state is in place before start: the host gets it by snapshot.
  const now0 = Date.now();
  sensors.install(demoSensors(), now0);
  const cameraServer = await startCameras(options, gateways);
  fleet.install(now0);
  try {
    await Promise.all([...gateways.values()].map((g) => g.start()));
  } catch (error) {
    await cameraServer?.close();
    throw error;
  }

  let lastTick = Date.now();
  const reports = new CitizenReports(gateways, dice, (options.reportEverySeconds ?? 90) * 1000, Date.now());
  const tick = setInterval(() => {
    if (timers.stopped) return;
    const now = Date.now();
    const dt = now - lastTick;
    lastTick = now;
    sensors.sampleDue(now);
    fleet.tick(now, dt);
    reports.tick(now);
  }, 250);
  tick.unref();

  const incidents = new IncidentPlayer({ sensors, fleet, events, report: reports.file, timers, timeScale, log, onStep: options.onStep });
  return {
    gateways: [...gateways.values()],
    gateway(id) {
      const g = gateways.get(id);
      if (!g) throw new Error(`gateway ${id} is not running`);
      return g;
    },
    trigger: (incident) => incidents.trigger(incident),
    playDrill: (incident) => incidents.trigger(incident),
    schedule: (everyMs) => incidents.schedule(everyMs),
    get activeIncidents() {
      return incidents.active;
    },
    cameraServer,
    async stop() {
      if (timers.stopped) return;
      timers.stop();
      clearInterval(tick);
      incidents.stopSchedule();
      await Promise.all([...gateways.values()].map((g) => g.stop()));
      await cameraServer?.close();
    },
  };
}

type ApplyCommand = (command: FieldCommand) => CommandResult;

function createGateway(id: ProvinceGatewayId, options: ProvinceOptions, handler: ApplyCommand | undefined, log: (line: string) => void): SimGateway {
  const keyPair = options.gatewayKeys[id];
  if (!keyPair) throw new Error(`no CURVE key pair for gateway ${id} in gatewayKeys`);
  return new SimGateway({
    id,
    name: GATEWAY_NAMES[id][0],
    endpoints: options.endpoints,
    hostPublicKey: options.hostPublicKey,
    keyPair,
    extraHosts: options.extraHosts,
    onCommand: handler ?? (() => ({ status: 'rejected', detail: `gateway ${id} accepts no commands` })),
    log,
  });
}

/** Starts the DEMO footage server when asked to, and declares every camera of a running gateway with its stream URLs. */
async function startCameras(options: ProvinceOptions, gateways: Gateways): Promise<CameraServer | null> {
  const cameras = demoCameras();
  const server = options.cameraServer
    ? await startCameraServer({
        port: options.cameraServer.port,
        host: options.cameraServer.host,
        mediaDir: options.cameraServer.mediaDir ?? defaultDemoCameraDir(),
        cameras: cameras.map((c) => c.id),
      })
    : null;
  const base = (options.cameraBaseUrl ?? server?.baseUrl ?? 'http://127.0.0.1:8090').replace(/\/+$/, '');
  // Without the camera server the URLs point elsewhere: keep the historical nominal sizes.
  const size = server?.renditions ?? { main: { width: 1920, height: 1080 }, sub: { width: 640, height: 360 } };
  for (const cam of cameras) {
    gateways.get(cam.gateway)?.set({
      type: 'camera',
      id: cam.id,
      name: cam.name,
      commune: cam.commune,
      location: cam.location,
      streams: {
        main: { url: `${base}/cameras/${cam.id}/main.m3u8`, width: size.main.width, height: size.main.height },
        sub: { url: `${base}/cameras/${cam.id}/sub.m3u8`, width: size.sub.width, height: size.sub.height },
      },
    });
  }
  return server;
}

/** A command type a gateway accepts, and the targets it may name. */
interface CommandKind<T> {
  type: FieldCommand['type'];
  /** Names a target in "unknown …" rejections. */
  noun: string;
  targets: Record<string, T>;
  /** The applied event's id is ev-{eventPrefix}-{command id}. */
  eventPrefix: string;
}

/** What applying a command did: the event that shows it on the wall, how long that stays, and what to log and answer. */
interface Applied {
  event: Omit<EventInput, 'id'>;
  clearAfterMs: number;
  log: string;
  detail: string;
}

interface CommandDeps {
  events: EventDesk;
  timers: Timers;
  sensors: SensorBoard;
  log: (line: string) => void;
}

/** A text parameter cut to max characters, or the fallback when it is absent or not text. */
const textParam = (value: unknown, max: number, fallback: string): string => (typeof value === 'string' ? value.slice(0, max) : fallback);

function commandHandlers({ events, timers, sensors, log }: CommandDeps): Partial<Record<ProvinceGatewayId, ApplyCommand>> {
  const accept =
    <T>(gateway: ProvinceGatewayId, kind: CommandKind<T>, apply: (command: FieldCommand, target: T) => Applied): ApplyCommand =>
    (command) => {
      if (command.type !== kind.type) return { status: 'rejected', detail: `unsupported command type ${command.type} on ${gateway}` };
      const target = kind.targets[command.target];
      if (!target) return { status: 'rejected', detail: `unknown ${kind.noun} ${command.target}` };
      const applied = apply(command, target);
      const id = events.raise(gateway, { id: `ev-${kind.eventPrefix}-${command.id}`.slice(0, 128), ...applied.event });
      timers.later(applied.clearAfterMs, () => events.clear(gateway, id));
      log(`command ${command.id}: ${applied.log}`);
      return { status: 'done', detail: applied.detail };
    };
  return {
    'gw-thuy-van': accept('gw-thuy-van', { type: 'siren', noun: 'siren', targets: SIRENS, eventPrefix: 'siren' }, (command, siren) => {
      const durationS = typeof command.params.durationS === 'number' ? clamp(command.params.durationS, 10, 3600) : 300;
      const title = { vi: `Đã bật còi cảnh báo: ${siren.name} (${durationS} giây)`, en: `Siren on: ${siren.name} (${durationS} s)` };
      const on = `siren ${command.target} on for ${durationS} s`;
      return { event: { severity: 'warning', category: 'flood', title, location: siren.location }, clearAfterMs: durationS * 1000, log: on, detail: on };
    }),
    'gw-giao-thong': accept('gw-giao-thong', { type: 'traffic-signal-plan', noun: 'junction', targets: JUNCTIONS, eventPrefix: 'plan' }, (command, junction) => {
      const plan = textParam(command.params.plan, 100, 'default');
      // A diversion eases the congested corridor a little.
      for (const [sensorId, ramp] of sensors.ramps) if (sensorId.startsWith('gt-') && ramp.to > 0.2) sensors.rampTo(sensorId, ramp.to * 0.7, 20);
      const title = { vi: `Đã áp dụng phương án đèn tín hiệu "${plan}" tại ${junction.name}`, en: `Signal plan "${plan}" applied at ${junction.name}` };
      return { event: { severity: 'info', category: 'traffic', title, location: junction.location }, clearAfterMs: 600_000, log: `signal plan "${plan}" at ${command.target}`, detail: `plan ${plan} active at ${command.target}` };
    }),
    'gw-cong-dan': accept('gw-cong-dan', { type: 'resident-warning', noun: 'commune', targets: communeById, eventPrefix: 'warn' }, (command, c) => {
      const message = textParam(command.params.message, 300, 'Cảnh báo');
      const title = { vi: `Đã gửi cảnh báo tới người dân ${c.name}: ${message}`.slice(0, 500), en: `Warning sent to residents of ${c.name}: ${message}`.slice(0, 500) };
      return { event: { severity: 'info', category: 'other', title, location: c.center }, clearAfterMs: 600_000, log: `resident warning to ${command.target}`, detail: `warning sent to ${command.target}` };
    }),
  };
}

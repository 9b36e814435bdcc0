/**
 * The core both hosts run: wall definition, database, controller, alerts, window sessions and the
 * fan-out of events to windows. The Electron shell and the Chromium host only add transports and
 * windows around it.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import {
  ContractError,
  parseOrThrow,
  tileLayoutIssues,
  windowId as windowIdSchema,
  type Actor,
  type EventName,
  type EventOf,
  type FieldCommand,
  type GisImportRequest,
  type ImportProgress,
  type LiveBatch,
  type NodeStatus,
  type RequestOf,
  type ResponseOf,
  type Scope,
  type WallDefinition,
  type WindowId,
} from '../../native-bridge/contract.js';
import { checkEvent, ContractServer, receives, type Handlers, type ServerSession } from '../../native-bridge/channel.js';
import { roleAuthorizer } from '../common/authorization.js';
import type { FieldCommandPort, GatewayAdminPort, GisImportPort, IndicatorsPort, PairPort, PdfPrinter, ScenarioService, SpatialQueryPort } from '../common/ports.js';
import { AlertService } from './alert-service.js';
import { openDatabase, type Db } from './database.js';
import { callerParams } from './gateway/command-ttl.js';
import { geometryNotesText } from './gis/import/geometry-notes-text.js';
import { restoreWallBackup } from './wall-backups.js';
import { loadStorageKey, type StorageKey } from './storage-key.js';
import { refusingWhenFull, StorageWatch, wallDatabaseProbe } from './storage-watch.js';
import { loadPresetDir, loadWallFile } from './layout-files.js';
import { SqliteWallStore } from './sqlite-wall-store.js';
import { hostLimits } from '../../native-bridge/limits.js';
import { displaySlots } from '../../native-bridge/wall-geometry.js';
import { coalesced } from './coalesced.js';
import { WindowPresence } from './window-presence.js';
import { WallController } from './wall-controller.js';
import { WallUndo } from './wall-undo.js';
import { LiveState } from './live/live-state.js';
import { SnapshotPages } from './live/snapshot-pages.js';
import { CameraHealthBoard, nearestCameras } from './live/cameras.js';
import { liveIdOf } from './gis/field-points.js';
import { AuthService, type AuthConnection, type AuthOptions } from './accounts/auth-service.js';
import { authEvent } from './audit/audit-events.js';
import { AuditService } from './audit/audit-service.js';
import { inScope, PROVINCE, requireAlertInScope, requireInScope, scopedFigures, scopedPicture, scopeKey } from './accounts/scope.js';
import { batchByCommune, liveFilter } from './live/live-view.js';
import { batchForInterest, resyncBatch, widens, windowInterest, type WindowInterest } from './live/window-interest.js';
import { DisplayAccess } from './displays/display-access.js';
import type { TokenBucket } from '../../native-bridge/token-bucket.js';
import { ReplayService } from './replay/replay-service.js';
import { refusingOnStandby } from './pair/standby-gate.js';
import { DrillService, type DrillPlayer } from './drills/drill-service.js';

export interface CoreOptions {
  wallFile: string;
  presetsDir: string;
  dataDir: string;
  host: 'electron' | 'chromium';
  nodeId?: string;
  /** How long a display window may be gone before it raises an alert. */
  windowLossAlertMs?: number;
  /** Why the previous host process died, as its supervisor saw it (exit code or signal, last stderr lines). */
  restartCause?: string | undefined;
  /** A wall database backup ('latest' or a file) to put back before opening it. */
  restoreBackup?: string | undefined;
  /** The data folder's storage key; default the plain key file in dataDir (the Electron shell passes the one it unsealed). */
  storageKey?: StorageKey | undefined;
  /** Session lifetimes and the clock sign-in uses (tests shorten them). */
  auth?: Pick<AuthOptions, 'idleMs' | 'absoluteMs' | 'clock'>;
  /** Prints the after-action report as PDF (each host brings its own); none: scenarios.reportPdf is refused. */
  pdfPrinter?: PdfPrinter | undefined;
}

export type Emit = <E extends EventName>(event: E, payload: EventOf<E>) => void;

export interface CoreSession extends ServerSession {
  close(): void;
}

export interface PaintReport {
  windowId: WindowId;
  revision: number;
  at: number;
  /** The live picture painted with it, once the window holds a live snapshot (contract `window.painted`). */
  live?: { seq: number; readings: number };
}

export interface Core {
  wall: WallDefinition;
  attachField(port: FieldCommandPort | null): void;
  /** The gateways' keys and allow-list answering gateways.keys / gateways.reload; attached by the host with the gateway link. */
  attachGatewayAdmin(port: GatewayAdminPort | null): void;
  /** The spatial index answering gis.query / gis.aggregate (and nearest cameras); attached by the host once GIS runs. */
  attachSpatial(port: SpatialQueryPort | null): void;
  /** The GIS dataset store answering gis.datasets / gis.import; attached by the host once GIS runs. */
  attachGisImport(port: GisImportPort | null): void;
  /** The indicator service answering indicators.*; its changes go to every window as indicators.changed. */
  attachIndicators(port: IndicatorsPort | null): void;
  /** The scenario engine answering scenarios.*; its changes go to every window as scenarios.changed. */
  attachScenarios(service: ScenarioService | null): void;
  /** The primary/backup pair (wall file `pair:`): role, NodeStatus.pair, pair.*, and the standby's refusals. */
  attachPair(port: PairPort | null): void;
  /** What plays a drill's incident (the embedded simulated province's playDrill); null: drill.start is refused. */
  attachDrills(player: DrillPlayer | null): void;
  /**
   * Puts the start preset on an empty wall, or on a saved layout that no longer fits the grid. A
   * standalone host does it at start; a node of a pair when it becomes active (a standby's wall is
   * the active node's).
   */
  seedWall(): void;
  /** The services attached now (null = not running), for services that use each other through the core. */
  attached: {
    field(): FieldCommandPort | null;
    spatial(): SpatialQueryPort | null;
    indicators(): IndicatorsPort | null;
    /** The primary/backup pair (null: a standalone wall, which always drives its wall). */
    pair(): PairPort | null;
  };
  controller: WallController;
  /** Accounts, sign-in and sessions. */
  auth: AuthService;
  /** Enrolled display windows and their credentials. */
  displays: DisplayAccess;
  /** The tamper-evident audit log: `audit.record(event)` from anything security-relevant. */
  audit: AuditService;
  alerts: AlertService;
  /** The wall as it was at a moment (replay.at, replay.timeline); sensor values once a telemetry cache is attached. */
  replay: ReplayService;
  live: LiveState;
  cameraHealth: CameraHealthBoard;
  db: Db;
  databaseFile: string;
  /** What every SQLite file of this data folder is encrypted with (the cache, the GIS datasets and the backups too). */
  storageKey: StorageKey;
  /** Failed writes for lack of space (any of the host's files) go here: one alert, then retries until space is back. */
  storage: StorageWatch;
  /**
   * A connection's session. With enrolledAs its transport vouches for the window (Electron IPC): it
   * may only say hello as that window, and a display needs no credential. `end` closes the
   * connection (a second hello, a revoked credential).
   */
  openSession(emit: Emit, options?: { enrolledAs?: WindowId; end?: (reason: string) => void }): CoreSession;
  onPainted(listener: (report: PaintReport) => void): () => void;
  status(): NodeStatus;
  close(): Promise<void>;
}

interface SessionContext {
  /** The window this connection was opened for, when its transport knows (Electron IPC); it may say hello only as that window. */
  enrolledAs: WindowId | null;
  windowId: WindowId | null;
  /** A display window's actor (the console's person comes from its session). */
  display: Actor | null;
  /** The credential the display said hello with (null: none, or vouched for by the transport). */
  displayCredential: string | null;
  enrolAttempts: TokenBucket;
  end: (reason: string) => void;
  /** What this connection has proved of a person: the console's sign-in. */
  auth: AuthConnection;
  emit: Emit;
}

/** How often signed-in connections are checked for expiry when they make no request (auth.ended is then pushed). */
const SESSION_SWEEP_MS = 5000;

function markRunning(db: Db, running: boolean, storage: StorageWatch): boolean {
  const previous = db.prepare("SELECT value FROM meta WHERE key = 'running'").get() as { value: string } | undefined;
  try {
    db.prepare("INSERT INTO meta (key, value) VALUES ('running', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(running ? '1' : '0');
  } catch (error) {
    // a full disk must not stop the host from starting (or stopping): it serves the last picture
    if (!storage.failed(db.name, error)) throw error;
  }
  return previous?.value === '1';
}

/** At start: say so when the last run ended abnormally, and report broken preset files. */
function reportStart(db: Db, alerts: AlertService, storage: StorageWatch, presetErrors: readonly { message: string }[], restartCause?: string): void {
  const abnormal = markRunning(db, true, storage);
  if (restartCause !== undefined) {
    // One alert, with the cause the supervisor saw, instead of the bare abnormal-stop one.
    const cause = restartCause.slice(0, 400);
    alerts.raise('warning', 'host', { vi: `Máy chủ tường đã khởi động lại sau sự cố: ${cause}`, en: `The wall host restarted after a crash: ${cause}` });
  } else if (abnormal) {
    alerts.raise('warning', 'host', { vi: 'Máy chủ khởi động lại sau khi dừng bất thường; tường đã được khôi phục', en: 'Host restarted after an abnormal stop; the wall was restored' });
  }
  for (const error of presetErrors) {
    console.error(`ioc-wall: preset skipped: ${error.message}`);
    alerts.raise('warning', 'layouts', { vi: `Bỏ qua tệp bố cục lỗi: ${error.message}`, en: `Skipped a broken layout file: ${error.message}` });
  }
}

/** The start preset on a new wall or on a saved layout that no longer fits the wall's grid. */
function seedWall(alerts: AlertService, controller: WallController, wall: WallDefinition): void {
  const stale = tileLayoutIssues(wall, controller.current.tiles)[0];
  if (controller.currentRevision > 0 && !stale) return;
  if (stale) alerts.raise('warning', 'layouts', { vi: `Bố cục đã lưu không còn vừa tường: ${stale.message}`, en: `The saved layout no longer fits the wall: ${stale.message}` });
  const system: Actor = { id: 'system', role: 'system' };
  if (wall.startPreset) controller.execute({ type: 'apply-preset', name: wall.startPreset }, system);
  else for (const t of controller.current.tiles) controller.execute({ type: 'remove-tile', id: t.id }, system);
}

export async function startCore(options: CoreOptions): Promise<Core> {
  const wall = loadWallFile(options.wallFile);
  const { presets: filePresets, errors: presetErrors } = loadPresetDir(options.presetsDir, wall);
  const databaseFile = join(options.dataDir, `${wall.id}.sqlite`);
  const storageKey = options.storageKey ?? loadStorageKey(options.dataDir);
  const restoredFrom = options.restoreBackup ? restoreWallBackup(databaseFile, options.restoreBackup, storageKey) : null;
  const db = openDatabase(databaseFile, storageKey);
  const alerts = new AlertService(db);
  const storage = new StorageWatch(alerts, wallDatabaseProbe(db));
  alerts.onStorageFailure = (error) => storage.failed(databaseFile, error);
  if (restoredFrom) {
    alerts.raise('warning', 'storage', {
      vi: `Cơ sở dữ liệu tường ${databaseFile} đã được khôi phục từ bản sao lưu ${restoredFrom}; các thay đổi sau lần sao lưu đó không còn`,
      en: `The wall database ${databaseFile} was restored from the backup ${restoredFrom}; changes made after that backup are gone`,
    });
  }
  const audit = new AuditService({ db, dataDir: options.dataDir, alerts, wallId: wall.id, onStorageFailure: (error) => storage.failed(databaseFile, error) });
  const live = new LiveState();
  const snapshotPages = new SnapshotPages();
  const cameraHealth = new CameraHealthBoard(alerts, (id) => live.deviceCommune(id), (id) => live.camera(id)?.name ?? null);
  const auth = new AuthService(db, { dataDir: options.dataDir, ...options.auth, audit: (input) => audit.record(authEvent(input)) });
  const displays = new DisplayAccess(db, { ...(options.auth?.clock ? { clock: options.auth.clock } : {}), audit: (input) => audit.record(authEvent(input)) });
  const controller = new WallController({ wall, store: new SqliteWallStore(db, (error) => storage.failed(databaseFile, error), audit), authorizer: roleAuthorizer(), filePresets });
  const replay = new ReplayService({ db, alerts, sensors: () => live.sensorList(), names: () => new Map(auth.names().map((p) => [p.id, p.fullName])), communeOf: (id) => live.deviceCommune(id), onFailure: (error) => {
    if (!storage.failed(databaseFile, error)) console.error(`ioc-wall: a wall revision was not recorded for replay: ${(error as Error).message}`);
  } });
  // before the start preset goes up, so its revision is recorded too
  const unfollowReplay = replay.follow(controller);
  const undo = new WallUndo(controller);
  const startedAt = Date.now();
  const nodeId = options.nodeId ?? hostname();
  reportStart(db, alerts, storage, presetErrors, options.restartCause);
  // a node of a pair changes nothing until its pair service knows it is the active one
  if (wall.pair) controller.followActive('the active node');
  else seedWall(alerts, controller, wall);
  const windows = new WindowPresence(wall, alerts, options.windowLossAlertMs ?? 5000, (id) => displays.nameOf(id));
  // changed is called only once a drill starts, after broadcastStatus below exists
  const drills = new DrillService({ alerts, audit, changed: () => broadcastStatus(), log: (line) => console.error(line) });
  const sessions = new Set<SessionContext>();
  let fieldPort: FieldCommandPort | null = null;
  let spatialPort: SpatialQueryPort | null = null;
  let gatewayAdminPort: GatewayAdminPort | null = null;
  function requireGatewayAdmin(): GatewayAdminPort {
    if (!gatewayAdminPort) throw new ContractError('not-found', 'this host has no gateway link');
    return gatewayAdminPort;
  }
  const requireSpatial = (): SpatialQueryPort => {
    if (!spatialPort) throw new ContractError('internal', 'the spatial index is not running yet');
    return spatialPort;
  };
  let gisImportPort: GisImportPort | null = null;
  const requireGisImport = (): GisImportPort => {
    if (!gisImportPort) throw new ContractError('internal', 'GIS is not running yet');
    return gisImportPort;
  };
  let indicatorsPort: IndicatorsPort | null = null;
  let unsubscribeIndicators = () => {};
  const requireIndicators = (): IndicatorsPort => {
    if (!indicatorsPort) throw new ContractError('internal', 'indicators are not running yet');
    return indicatorsPort;
  };
  const paintListeners = new Set<(report: PaintReport) => void>();

  let pairPort: PairPort | null = null;
  let unsubscribePair = (): void => {};
  const requirePair = (): PairPort => {
    if (!pairPort) throw new ContractError('not-found', 'this host runs alone: it has no primary/standby pair');
    return pairPort;
  };
  const status = (): NodeStatus => ({
    nodeId,
    role: pairPort ? (pairPort.serving() ? 'primary' : 'standby') : 'standalone',
    pair: pairPort ? pairPort.status() : null,
    host: options.host,
    startedAt,
    revision: controller.currentRevision,
    windows: windows.list(),
    links: live.linkList().map((link) => ({
      id: link.gateway,
      name: link.name,
      state: link.state === 'live' ? 'up' : link.state === 'offline' ? 'down' : 'stale',
      lastSeen: link.lastHeard,
    })),
    drill: drills.state(),
  });

  /**
   * The connection's actor: its display window, or the console's signed-in person (null signed out).
   * `use` records a request (pushes the idle deadline). A session found expired is told auth.ended.
   */
  const actorOf = (ctx: SessionContext, use: boolean): Actor | null => {
    if (ctx.display) return ctx.display;
    const had = ctx.auth.session !== null;
    const live = use ? auth.use(ctx.auth) : auth.alive(ctx.auth);
    if (had && !live) ctx.emit('auth.ended', { reason: 'expired' });
    return live?.actor ?? null;
  };
  /** A signed-in person's scope; display windows and the host see the province. */
  const scopeOf = (ctx: SessionContext): Scope => ctx.auth.session?.person.scope ?? PROVINCE;
  /** To every session whose role the event's policy (native-bridge/policy.ts) reaches. */
  const broadcast = <E extends EventName>(event: E, payload: EventOf<E>) => {
    const checked = checkEvent(event, payload);
    for (const session of sessions) if (receives(event, actorOf(session, false))) session.emit(event, checked);
  };
  /** The same, each session getting the event as its scope sees it: computed once per distinct scope, not per session. */
  const broadcastScoped = <E extends EventName>(event: E, payloadFor: (scope: Scope) => EventOf<E>) => {
    const byScope = new Map<string, EventOf<E>>();
    for (const session of sessions) {
      if (!receives(event, actorOf(session, false))) continue;
      const scope = scopeOf(session);
      const key = scopeKey(scope);
      let payload = byScope.get(key);
      if (payload === undefined) byScope.set(key, (payload = checkEvent(event, payloadFor(scope))));
      session.emit(event, payload);
    }
  };
  const sessionSweep = setInterval(() => sessions.forEach((ctx) => actorOf(ctx, false)), SESSION_SWEEP_MS);
  sessionSweep.unref();
  const unsubscribeEnded = auth.onEnded((ended, reason) => {
    for (const ctx of sessions) {
      const live = ctx.auth.session;
      if (!live || ('tokenHash' in ended ? live.tokenHash !== ended.tokenHash : live.person.id !== ended.accountId)) continue;
      ctx.auth.session = null;
      ctx.emit('auth.ended', { reason });
    }
  });
  /** The areas a scope's spatial answers are limited to (its communes, by name); undefined: everywhere. */
  const withinScope = (scope: Scope): readonly string[] | undefined => (scope.kind === 'province' ? undefined : scope.communes);
  const requireWallWindow = (id: WindowId): void => {
    if (id !== 'console' && !displaySlots(wall).some((slot) => slot.windowId === id)) throw new ContractError('not-found', `window "${id}" is not part of wall "${wall.id}"`, 'window');
  };
  /**
   * A display window's actor: its transport vouches for it (Electron IPC), or it presents the
   * credential issued for this very window. Anything else is refused: it must enrol first.
   */
  const displayActor = (id: WindowId, credential: RequestOf<'session.hello'>['credential'], vouched: boolean): Actor => {
    if (vouched) return { id, role: 'display' };
    if (credential?.kind === 'session') throw new ContractError('forbidden', 'a person\'s session cannot open a display window: enrol the display', 'credential');
    const enrolled = credential ? displays.verify(credential.token) : null;
    if (!enrolled) throw new ContractError('unauthenticated', `display ${id} is not enrolled (no credential, or a revoked one): enrol it with a code from the console`, 'credential');
    if (enrolled.windowId !== id) throw new ContractError('forbidden', `this credential was issued for display "${enrolled.windowId}", not "${id}"`, 'window');
    return { id, role: 'display', name: enrolled.name };
  };
  /** A revoked (or replaced) credential's connections end; the page then asks to be enrolled again. */
  const unsubscribeRevoked = displays.onRevoked((windowId) => {
    for (const ctx of sessions) {
      if (ctx.windowId !== windowId || ctx.displayCredential === null || displays.verify(ctx.displayCredential)) continue;
      ctx.display = null;
      ctx.end('display credential revoked');
    }
  });
  /** A scenario's commune: its incident's, or its suggestion's (null: none known, a wall-wide activation). */
  const activationCommune = (request: RequestOf<'scenarios.activate'>): string | null => {
    if (request.incident) return request.incident.commune ?? null;
    const suggestion = request.suggestionId === undefined ? undefined : requireScenarios().picture().suggestions.find((s) => s.suggestionId === request.suggestionId);
    return suggestion?.incident?.commune ?? null;
  };
  const unsubscribeAccepted = controller.onAccepted(({ revision, baseRevision, patches }) => broadcast('wall.patch', { revision, baseRevision, patches }));
  const unsubscribeAlerts = alerts.onChange(() => broadcastScoped('alerts.changed', (scope) => ({ alerts: alerts.list(scope) })));
  const broadcastStatus = coalesced(() => broadcast('status.changed', status()), hostLimits.statusEventIntervalMs);
  const sensorOf = (id: string) => live.sensor(id);
  /** Each display window's interest as of a revision (recomputed when the layout changes), and the one its last batch was cut for. */
  const interests = new WeakMap<SessionContext, { revision: number; interest: WindowInterest; sent: WindowInterest | null }>();
  const interestOf = (ctx: SessionContext, windowId: WindowId) => {
    let known = interests.get(ctx);
    const revision = controller.currentRevision;
    if (known?.revision !== revision) {
      const interest = windowInterest(wall, controller.current.tiles, windowId);
      known = { revision, interest, sent: known?.sent ?? null };
      interests.set(ctx, known);
    }
    return known;
  };
  /**
   * live.batch to every session: a console cut to its scope, a display window to what its tiles
   * show (live/window-interest.ts). Each cut is made once per distinct scope or interest; a
   * window whose tiles now show more than its last batch carried is made to resync instead.
   */
  const unsubscribeLive = live.onBatch((batch) => {
    const viewOf = batchByCommune(batch, sensorOf, (id) => live.removedSensor(id));
    const views = new Map<string, LiveBatch>();
    const view = (key: string, make: () => LiveBatch) => views.get(key) ?? views.set(key, checkEvent('live.batch', make())).get(key)!;
    for (const session of sessions) {
      const actor = actorOf(session, false);
      if (!receives('live.batch', actor)) continue;
      if (session.display === null || session.windowId === null || session.windowId === 'console') {
        const scope = scopeOf(session);
        session.emit('live.batch', view(`scope:${scopeKey(scope)}`, () => viewOf(liveFilter(scope))));
        continue;
      }
      const known = interestOf(session, session.windowId);
      const { interest } = known;
      const resync = known.sent !== null && widens(known.sent, interest);
      known.sent = interest;
      session.emit('live.batch', resync ? view('resync', () => resyncBatch(batch)) : view(`window:${interest.key}`, () => batchForInterest(batch, interest, sensorOf)));
    }
    if (batch.links) broadcastStatus();
  });

  let scenarioService: ScenarioService | null = null;
  let unsubscribeScenarios = (): void => {};
  const requireScenarios = (): ScenarioService => {
    if (!scenarioService) throw new ContractError('not-found', 'this host runs no scenario engine');
    return scenarioService;
  };

  // Who may call what is the policy table (native-bridge/policy.ts), checked by ContractServer
  // before a handler runs: no handler checks roles itself (scope, below, is per request).
  const handlers: Handlers<SessionContext> = {
    'session.hello': ({ window, credential }, ctx) => {
      const id = parseOrThrow(windowIdSchema, window, 'window', ['window']);
      // a connection is one window, once: saying hello again (as the console, say) ends it
      if (ctx.windowId !== null) {
        setImmediate(() => ctx.end('a second session.hello'));
        throw new ContractError('forbidden', `this connection already said hello as "${ctx.windowId}"; open a new connection`, 'window');
      }
      if (ctx.enrolledAs !== null && id !== ctx.enrolledAs) throw new ContractError('forbidden', `this connection was opened for window "${ctx.enrolledAs}", not "${id}"`, 'window');
      requireWallWindow(id);
      if (id === 'console') {
        if (credential?.kind === 'display') throw new ContractError('forbidden', 'a display credential cannot open the console: sign in as a person', 'credential');
        // the console is the person its session names, or signed out (it signs in on this connection)
        if (credential) auth.resume(credential.token, ctx.auth);
      } else {
        ctx.display = displayActor(id, credential, ctx.enrolledAs !== null);
        ctx.displayCredential = credential?.kind === 'display' ? credential.token : null;
        if (ctx.enrolledAs === null) displays.seen(id);
      }
      windows.connected(id, null);
      ctx.windowId = id;
      broadcastStatus();
      return { windowId: id, actor: actorOf(ctx, false), status: status() };
    },
    'auth.status': (_request, ctx) => auth.status(ctx.auth),
    'auth.setup': async (request, ctx) => {
      await auth.setup(request, consoleAuth(ctx));
      return {};
    },
    'auth.signIn': (request, ctx) => auth.signIn(request, consoleAuth(ctx)),
    'auth.enrolTotp': (_request, ctx) => auth.enrolTotp(consoleAuth(ctx)),
    'auth.confirmTotp': (request, ctx) => auth.confirmTotp(request, consoleAuth(ctx)),
    'auth.signOut': (_request, ctx) => {
      auth.signOut(ctx.auth);
      return {};
    },
    'accounts.names': () => ({ people: auth.names() }),
    'accounts.list': () => ({ accounts: auth.list() }),
    'accounts.create': async (request, _ctx, actor) => ({ account: await auth.create(request, actor) }),
    'accounts.update': (request, _ctx, actor) => ({ account: auth.update(request, actor) }),
    'accounts.resetPassword': async (request, _ctx, actor) => {
      await auth.resetPassword(request, actor);
      return {};
    },
    'accounts.disable': (request, _ctx, actor) => ({ account: auth.disable(request, actor) }),
    'displays.list': () => ({ displays: displays.list((id) => windows.list().some((w) => w.windowId === id && w.connected)) }),
    'displays.enrolmentCode': (request, _ctx, actor) => {
      requireWallWindow(request.window);
      return displays.enrolmentCode(request, actor);
    },
    'displays.revoke': ({ window }, _ctx, actor) => {
      displays.revoke(window, actor);
      return {};
    },
    'displays.enrol': (request, ctx) => {
      if (ctx.windowId !== null) throw new ContractError('forbidden', 'enrol before session.hello, on a display page without a credential', 'method');
      return displays.enrol(request, ctx.enrolAttempts);
    },
    'audit.list': (request) => audit.list(request),
    'audit.export': (request) => audit.export(request),
    'audit.verify': () => audit.verify(),
    'wall.resync': ({ sinceRevision }) => controller.resync(sinceRevision),
    'wall.execute': ({ command, requestId }, _ctx, actor) => controller.execute(command, actor, requestId),
    'wall.undo': ({ requestId }, _ctx, actor) => undo.undo(actor, requestId),
    'wall.redo': ({ requestId }, _ctx, actor) => undo.redo(actor, requestId),
    'presets.list': () => ({ presets: controller.presets().map(({ preset, source }) => ({ name: preset.name, title: preset.title, source, tiles: preset.tiles.length })) }),
    'window.painted': ({ revision, live }, ctx) => {
      const id = ctx.windowId!;
      const at = Date.now();
      windows.painted(id, revision, at);
      paintListeners.forEach((l) => l({ windowId: id, revision, at, ...(live ? { live } : {}) }));
      return {};
    },
    'alerts.list': (_request, ctx) => ({ alerts: alerts.list(scopeOf(ctx)) }),
    'alerts.ack': ({ id }, ctx, actor) => {
      const commune = alerts.communeOf(id);
      // an unknown id goes on to acknowledge's 'not-found'
      if (commune !== undefined) requireAlertInScope(scopeOf(ctx), commune, id);
      alerts.acknowledge(id, actor);
      return {};
    },
    'cameras.nearest': async ({ location, radiusKm, limit }, ctx) => {
      const scope = scopeOf(ctx);
      if (!spatialPort) return { cameras: nearestCameras(live.cameraList().filter((c) => inScope(scope, c.commune)), location, radiusKm, limit) };
      const { items } = await spatialPort.query({ shape: { type: 'radius', lon: location.lon, lat: location.lat, radiusM: radiusKm * 1000 }, filter: { layers: ['camera'] }, groupBy: [], limit }, withinScope(scope));
      const names = new Map(live.cameraList().map((c) => [c.id, c.name]));
      return { cameras: items.map((item) => ({ id: liveIdOf(item.id), name: names.get(liveIdOf(item.id)) ?? item.id, distanceM: item.distanceM ?? 0 })) };
    },
    'gis.query': (query, ctx) => requireSpatial().query(query, withinScope(scopeOf(ctx))),
    'gis.aggregate': (request, ctx) => requireSpatial().aggregateByArea(request, withinScope(scopeOf(ctx))),
    'gis.datasets': () => ({ datasets: requireGisImport().datasets() }),
    'gis.import': (request, _ctx, actor) => importGisData(request, actor),
    'indicators.list': (request, ctx) => {
      const answer = requireIndicators().list(request);
      return { ...answer, indicators: scopedFigures(scopeOf(ctx), answer.indicators) };
    },
    'indicators.history': (request) => requireIndicators().history(request),
    'cameras.health': ({ reports }, ctx) => {
      cameraHealth.report(ctx.windowId!, reports);
      return {};
    },
    'field.command': (request, ctx, actor) => {
      requireInScope(scopeOf(ctx), live.deviceCommune(request.target), `field command to ${request.target}`);
      return sendFieldCommand(fieldPort, actor, request);
    },
    'gateways.keys': () => requireGatewayAdmin().keys(),
    'gateways.reload': (_request, _ctx, actor) => requireGatewayAdmin().reload(actor),
    'live.snapshot': (_request, ctx) => snapshotPages.split(live.snapshot(liveFilter(scopeOf(ctx))), scopeKey(scopeOf(ctx))),
    'live.sensors': ({ cursor, offset }, ctx) => snapshotPages.sensorPage(cursor, offset, scopeKey(scopeOf(ctx))),
    // a commune account's snapshot holds no objects, so it has no cursor to page: none for it either way
    'live.objects': ({ cursor, offset }, ctx) => ({ objects: scopeOf(ctx).kind === 'province' ? snapshotPages.objectPage(cursor, offset, scopeKey(scopeOf(ctx))) : [] }),
    'scenarios.list': () => requireScenarios().list(),
    'scenarios.runs': (_request, ctx) => scopedPicture(scopeOf(ctx), requireScenarios().picture()),
    'scenarios.activate': async (request, ctx, actor) => {
      requireInScope(scopeOf(ctx), activationCommune(request), `scenario ${request.scenario}`);
      return { run: await requireScenarios().activate(request, actor) };
    },
    'scenarios.step': (request, _ctx, actor) => ({ run: requireScenarios().step(request, actor) }),
    'scenarios.confirm': (request, _ctx, actor) => ({ run: requireScenarios().confirm(request, actor) }),
    'scenarios.command': (request, _ctx, actor) => requireScenarios().command(request, actor),
    'scenarios.escalate': (request, _ctx, actor) => ({ run: requireScenarios().escalate(request, actor) }),
    'scenarios.pause': (request, _ctx, actor) => ({ run: requireScenarios().pause(request, actor) }),
    'scenarios.resume': (request, _ctx, actor) => ({ run: requireScenarios().resume(request, actor) }),
    'scenarios.handover': (request, _ctx, actor) => ({ run: requireScenarios().handover(request, actor) }),
    'scenarios.close': (request, _ctx, actor) => ({ run: requireScenarios().close(request, actor) }),
    'scenarios.keep': (request, _ctx, actor) => ({ run: requireScenarios().keep(request, actor) }),
    'scenarios.dismiss': (request, _ctx, actor) => {
      requireScenarios().dismiss(request, actor);
      return {};
    },
    'scenarios.log': ({ runId }) => ({ entries: requireScenarios().log(runId) }),
    'scenarios.report': ({ runId }) => requireScenarios().report(runId),
    'scenarios.reportPdf': async ({ runId }) => {
      const printer = options.pdfPrinter;
      // refused before the report is built: a host without a printer does no work for nothing
      if (!printer) throw new ContractError('not-found', 'this host cannot print PDF; export the HTML report');
      const { html, fileName } = await requireScenarios().report(runId);
      const pdf = await printer(html);
      return { pdf: Buffer.from(pdf).toString('base64'), fileName: fileName.replace(/\.html$/, '') + '.pdf' };
    },
    'replay.at': ({ time }, ctx) => replay.at(time, scopeOf(ctx)),
    'replay.timeline': ({ from, to }, ctx) => replay.timeline(from, to, scopeOf(ctx)),
    'pair.status': () => ({ status: status() }),
    'pair.switchover': async ({ reason }, _ctx, actor) => ({ status: await requirePair().switchover(actor, reason) }),
    'pair.failback': async ({ reason }, _ctx, actor) => ({ status: await requirePair().failback(actor, reason) }),
    'drill.start': ({ incident }, _ctx, actor) => ({ drill: drills.start(incident, actor) }),
    'pair.activeLost': ({ lostNode }, ctx) => {
      if (ctx.windowId === null) throw new ContractError('forbidden', 'say session.hello first', 'method');
      return { status: requirePair().activeLost(lostNode) };
    },
  };
  const server = new ContractServer(
    refusingOnStandby(refusingWhenFull(handlers, storage, options.dataDir), () => pairPort),
    (ctx) => actorOf(ctx, true),
    (ctx) => ctx.windowId === 'console',
  );
  /** Sign-in belongs to the console: a display window's connection cannot sign anyone in. */
  function consoleAuth(ctx: SessionContext): AuthConnection {
    if (ctx.windowId !== 'console') throw new ContractError('forbidden', 'sign in at the console: say session.hello as "console" first', 'method');
    return ctx.auth;
  }
  /**
   * The request id becomes the command's id, so the outbox row is the request's record: a retry
   * finds it and gets the same answer (persistedAt is the issuedAt stored with the command).
   */
  async function sendFieldCommand(port: FieldCommandPort | null, actor: Actor, request: RequestOf<'field.command'>) {
    if (!port) throw new ContractError('not-found', 'this host has no gateway link');
    const { gateway, type, target, params, requestId } = request;
    const earlier = requestId === undefined ? undefined : port.persisted(requestId);
    if (earlier) {
      const same = earlier.gateway === gateway && earlier.command.type === type && earlier.command.target === target && JSON.stringify(callerParams(earlier.command)) === JSON.stringify(params);
      if (!same) throw new ContractError('conflict', `request id "${requestId}" was already used for a different field command`, 'requestId');
      return { id: earlier.command.id, persistedAt: earlier.command.issuedAt };
    }
    const command: FieldCommand = { id: requestId ?? randomUUID(), type, target, params, issuedAt: Date.now(), issuedBy: actor.id };
    await port.send(gateway, command);
    return { id: command.id, persistedAt: command.issuedAt };
  }
  async function importGisData(request: GisImportRequest, actor: Actor): Promise<ResponseOf<'gis.import'>> {
    const importId = randomUUID();
    // only an import that got going is reported: a refused one ('conflict', 'not-found') is the caller's answer alone
    let last = null as ImportProgress | null;
    const { file, ...importOptions } = request;
    try {
      const dataset = await requireGisImport().importFile(file, importOptions, (progress) => {
        last = progress;
        broadcast('gis.import.progress', { importId, ...progress, state: 'running' });
      });
      broadcast('gis.import.progress', { importId, file, phase: 'write', done: dataset.features, total: dataset.features, state: 'done', dataset });
      const { name, features, sourceFile } = dataset;
      const notes = geometryNotesText(dataset.geometryNotes);
      alerts.raise(notes ? 'warning' : 'info', 'gis', {
        vi: `Đã nhập dữ liệu GIS "${name}": ${features} đối tượng từ ${sourceFile}${notes ? `; ${notes.vi}` : ''}`,
        en: `Imported GIS dataset "${name}": ${features} features from ${sourceFile}${notes ? `; ${notes.en}` : ''}`,
      });
      audit.record({ action: 'gis.import', actor, target: name, details: { file: sourceFile, features } });
      return { importId, dataset };
    } catch (error) {
      audit.record({ action: 'gis.import.failed', actor, target: request.dataset ?? file, details: { file, reason: error instanceof Error ? error.message : String(error) } });
      if (last) broadcast('gis.import.progress', { importId, ...last, state: 'failed', message: error instanceof ContractError ? error.message : 'internal error' });
      throw error;
    }
  }
  function attachScenarios(service: ScenarioService | null): void {
    unsubscribeScenarios();
    scenarioService = service;
    unsubscribeScenarios = service
      ? service.onChange(() => {
          const picture = service.picture();
          broadcastScoped('scenarios.changed', (scope) => scopedPicture(scope, picture));
        })
      : () => {};
    service?.fieldAttached?.(fieldPort);
  }
  let presetsSeen = controller.presets().length;
  controller.onAccepted(() => {
    const count = controller.presets().length;
    if (count !== presetsSeen) broadcast('presets.changed', {});
    presetsSeen = count;
  });

  return {
    wall,
    controller,
    auth,
    displays,
    audit,
    alerts,
    replay,
    live,
    cameraHealth,
    db,
    databaseFile,
    storageKey,
    storage,
    status,
    attachField(port) {
      fieldPort = port;
      scenarioService?.fieldAttached?.(port);
    },
    attachGatewayAdmin(port) {
      gatewayAdminPort = port;
    },
    attachSpatial(port) {
      spatialPort = port;
    },
    attachGisImport(port) {
      gisImportPort = port;
    },
    attachIndicators(port) {
      unsubscribeIndicators();
      indicatorsPort = port;
      unsubscribeIndicators = port ? port.onChanged((event) => broadcastScoped('indicators.changed', (scope) => ({ ...event, indicators: scopedFigures(scope, event.indicators) }))) : () => {};
    },
    attachScenarios,
    attachDrills(player) {
      drills.attach(player);
    },
    attachPair(port) {
      unsubscribePair();
      pairPort = port;
      unsubscribePair = port ? port.onChange(() => broadcastStatus()) : () => {};
      broadcastStatus();
    },
    seedWall: () => seedWall(alerts, controller, wall),
    attached: { field: () => fieldPort, spatial: () => spatialPort, indicators: () => indicatorsPort, pair: () => pairPort },
    openSession(emit, options = {}) {
      const ctx: SessionContext = {
        enrolledAs: options.enrolledAs ?? null,
        windowId: null,
        display: null,
        displayCredential: null,
        enrolAttempts: displays.newAttempts(),
        auth: auth.newConnection(),
        emit,
        end: options.end ?? (() => {}),
      };
      sessions.add(ctx);
      return {
        handle: (method, payload) => server.handle(method, payload, ctx),
        close() {
          if (!sessions.delete(ctx) || !ctx.windowId) return;
          const id = ctx.windowId;
          if (ctx.displayCredential !== null) displays.seen(id);
          windows.disconnected(id);
          broadcastStatus();
        },
      };
    },
    onPainted(listener) {
      paintListeners.add(listener);
      return () => paintListeners.delete(listener);
    },
    async close() {
      clearInterval(sessionSweep);
      unsubscribeEnded();
      unsubscribeRevoked();
      unsubscribeAccepted();
      unfollowReplay();
      undo.dispose();
      unsubscribeAlerts();
      unsubscribeLive();
      broadcastStatus.cancel();
      unsubscribeScenarios();
      unsubscribeIndicators();
      unsubscribePair();
      live.close();
      windows.dispose();
      sessions.clear();
      audit.close();
      markRunning(db, false, storage);
      storage.dispose();
      db.close();
    },
  };
}


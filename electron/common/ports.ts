/**
 * The seams of the host. The core, its services and the runtime that composes them know each
 * other only through these interfaces; later work plugs roles, the tamper-evident audit log and
 * standby replication in here. Plain TypeScript: no Node, no DOM.
 */
import type {
  Actor,
  AreaAggregateInput,
  AreaAggregateResult,
  Command,
  DrillIncident,
  DatasetSummary,
  EventOf,
  FieldCommand,
  GatewayKeysAnswer,
  GatewaysReloadAnswer,
  GisImportRequest,
  ImportProgress,
  PairStatus,
  Preset,
  RequestOf,
  ResponseOf,
  RunLogEntry,
  ScenarioRequest,
  ScenarioRun,
  ScenariosPicture,
  SpatialQueryInput,
  SpatialQueryResult,
  WallState,
} from '../../native-bridge/contract.js';
import type { IndicatorView } from '../../native-bridge/indicators.js';

// ---------------------------------------------------------------------------------------------
// The tamper-evident audit log (electron/node/audit)

/**
 * A security-relevant event. The actor is an account or window (Actor), an id as other logs keep
 * it ("system", "console", "r0c1", "gateway:<id>", an account id), or null for the host itself.
 */
export interface AuditEvent {
  action: string;
  actor: { id: string; role: string; name?: string | undefined } | string | null;
  /** What it was done to: an account id, a preset, a run, a device, a file. */
  target?: string | null;
  /** Bounded: stored canonical JSON, cut beyond a few kB. */
  details?: Record<string, unknown> | null;
}

/** Where events go: every service that does something security-relevant records it here, in one line. */
export interface AuditSink {
  record(event: AuditEvent): void;
}

// ---------------------------------------------------------------------------------------------
// Wall state

/** Decides whether an actor may run a command; throws a "forbidden" ContractError if not. */
export interface Authorizer {
  authorize(actor: Actor, command: Command): void;
}

export interface JournalEntry {
  revision: number;
  at: number;
  actor: Actor;
  command: Command;
  /** The client's idempotency key (contract requestId), when it gave one. */
  requestId?: string;
}

/** Durable wall state: the append-only command journal and the state document, committed together. */
export interface WallStore {
  load(): { revision: number; state: WallState } | null;
  /** Appends the journal entry and replaces the state document in one atomic, durable step. */
  commit(entry: JournalEntry, state: WallState, savedPreset?: Preset): void;
  journal(sinceRevision: number, limit: number): JournalEntry[];
  /** The journal entry committed under a request id, if any. */
  request(requestId: string): JournalEntry | undefined;
  presets(): Preset[];
}

// ---------------------------------------------------------------------------------------------
// Services the core answers contract methods with (attached by the runtime)

/** The spatial index answering gis.query / gis.aggregate and nearest cameras. */
export interface SpatialQueryPort {
  /** `within`: only points in these areas (ids or names): a commune-scoped reader's communes; absent = everywhere. */
  query(query: SpatialQueryInput, within?: readonly string[]): Promise<SpatialQueryResult>;
  aggregateByArea(request: AreaAggregateInput, within?: readonly string[]): Promise<AreaAggregateResult>;
}

/** The GIS dataset store answering gis.datasets and gis.import. */
export interface GisImportPort {
  datasets(): DatasetSummary[];
  /** Rejects with a ContractError: 'conflict' while another import runs, 'not-found', 'invalid' (a bad file, named with its feature). */
  importFile(file: string, options: Omit<GisImportRequest, 'file'>, onProgress: (progress: ImportProgress) => void): Promise<DatasetSummary>;
}

/** The indicator service answering indicators.* and reporting their changes. */
export interface IndicatorsPort {
  list(request: RequestOf<'indicators.list'>): ResponseOf<'indicators.list'>;
  history(request: RequestOf<'indicators.history'>): ResponseOf<'indicators.history'>;
  onChanged(listener: (event: EventOf<'indicators.changed'>) => void): () => void;
}

/** What the scenario engine asks of the indicator service: the values of a scenario's indicators at activation. */
export interface IndicatorValuesPort {
  list(request: { ids: string[]; historyPoints: number }): { indicators: IndicatorView[] };
}

/**
 * What became of a field command: the gateway's acknowledgement ('done', 'rejected'), or the
 * host's own verdict 'expired' — its time-to-live passed unacknowledged, and it is never sent again.
 */
export interface FieldAck {
  id: string;
  status: 'done' | 'rejected' | 'expired';
  detail?: string | undefined;
  at: number;
}

/**
 * The primary/backup pair (hot standby) as the core answers it: NodeStatus.pair and role, the
 * pair.* methods, and whether this node may change the wall (a passive node refuses with 'standby').
 */
export interface PairPort {
  status(): PairStatus;
  /** This node drives the wall (Binary Star ACTIVE). */
  serving(): boolean;
  /** Where the wall is driven now, for a refusal to name (the peer's address while it is active; null: not known). */
  activeAddress(): string | null;
  /** A client lost the active node (pair.activeLost): Binary Star's vote. Never throws. */
  activeLost(lostNode: string): PairStatus;
  switchover(actor: Actor, reason: string): Promise<PairStatus>;
  failback(actor: Actor, reason: string): Promise<PairStatus>;
  /** State, peer liveness or replication lag changed (the core sends status.changed). */
  onChange(listener: () => void): () => void;
}

/** How the host reaches the field (Titanic: persist, then deliver; acknowledged by id). */
export interface FieldCommandPort {
  /**
   * Persists the command and starts delivering it; resolves once it is persisted (it is then
   * retried until acknowledged or expired, across restarts). Rejects with a ContractError when it
   * cannot be ('conflict' when the gateway's outbox is full).
   */
  send(gateway: string, command: FieldCommand): Promise<{ persistedAt: number }>;
  /** The acknowledgement (or expiry) a command got, also one that came while nobody listened (before a restart). */
  ackOf(id: string): FieldAck | undefined;
  /** A command persisted earlier (also by a previous host process), with its gateway. */
  persisted(id: string): { gateway: string; command: FieldCommand } | undefined;
  /** Every acknowledgement and expiry from now on, with the command it answers when the host still knows it. */
  onAck(listener: (gateway: string, ack: FieldAck, command: FieldCommand | undefined) => void): () => void;
  /**
   * The outbox in the order commands were persisted, after a position: the commands still pending
   * and the position reached (a pair's standby holds and delivers them too; gateways act once per id).
   */
  pendingSince(after: number, limit: number): { entries: { gateway: string; command: FieldCommand }[]; last: number; more: boolean };
}

/** The gateways' keys and allow-list as the contract handlers use them (technicians). */
export interface GatewayAdminPort {
  keys(): GatewayKeysAnswer;
  /** Reads the gateways file again and applies its allow-list; throws a ContractError naming the file when it is malformed (the old list stays). */
  reload(by: Actor | null): GatewaysReloadAnswer;
}

/** The scenario engine as the contract handlers use it. */
/** A person signed in at a console now, who can take charge of what starts by itself. */
export interface OnDutyPerson {
  id: string;
  fullName: string;
  role: 'commander' | 'operator';
}

/** Who is on shift: the account an automatic scenario activation puts in charge. */
export interface DutyRoster {
  /** The signed-in commander (else operator) covering the commune, most recently active; null: nobody. */
  onDuty(commune: string | null): OnDutyPerson | null;
}

export interface ScenarioService {
  list(): ResponseOf<'scenarios.list'>;
  picture(): ScenariosPicture;
  activate(request: ScenarioRequest<'activate'>, actor: Actor): Promise<ScenarioRun>;
  step(request: ScenarioRequest<'step'>, actor: Actor): ScenarioRun;
  confirm(request: ScenarioRequest<'confirm'>, actor: Actor): ScenarioRun;
  command(request: ScenarioRequest<'command'>, actor: Actor): Promise<{ run: ScenarioRun; commandId: string }>;
  escalate(request: ScenarioRequest<'escalate'>, actor: Actor): ScenarioRun;
  pause(request: ScenarioRequest<'pause'>, actor: Actor): ScenarioRun;
  resume(request: ScenarioRequest<'resume'>, actor: Actor): ScenarioRun;
  handover(request: ScenarioRequest<'handover'>, actor: Actor): ScenarioRun;
  close(request: ScenarioRequest<'close'>, actor: Actor): ScenarioRun;
  keep(request: ScenarioRequest<'keep'>, actor: Actor): ScenarioRun;
  dismiss(request: ScenarioRequest<'dismiss'>, actor: Actor): void;
  log(runId: string): RunLogEntry[];
  report(runId: string): Promise<{ html: string; fileName: string }>;
  /** Called after every change of suggestions or runs. */
  onChange(listener: () => void): () => void;
  /** The gateway link came or went (acknowledgements of scenario commands come through it). */
  fieldAttached?(port: FieldCommandPort | null): void;
}

// ---------------------------------------------------------------------------------------------
// The embedded simulated province (plugged in by the launcher; the host never imports sim/)

/** Where the simulated gateways reach the host, and the keys they use. */
export interface SimulatorConnection {
  endpoints: { updates: string; control: string };
  hostPublicKey: string;
  /** CURVE key pair of each simulated gateway, by gateway id (the host allow-lists their public keys). */
  gatewayKeys: Record<string, { publicKey: string; secretKey: string }>;
  rateScale: number;
  incidentTimeScale: number;
  cameraServer: { port: number } | false;
  /** Where the cameras' streams are said to be, when not at the simulator's own camera server. */
  cameraBaseUrl?: string | undefined;
  log(line: string): void;
}

export interface RunningSimulator {
  stop(): Promise<void>;
  /** Plays a scripted incident for a drill, resolving once it has cleared; absent: this simulator has none. */
  playDrill?(incident: DrillIncident): Promise<void>;
}

/** A simulated province: its gateways (to allow-list) and a way to start them against a host. */
export interface FieldSimulator<S extends RunningSimulator = RunningSimulator> {
  gateways(): { id: string; name: string }[];
  start(connection: SimulatorConnection): Promise<S>;
}

// ---------------------------------------------------------------------------------------------
// Printing (the after-action report as PDF)

/**
 * Prints one self-contained HTML page to PDF bytes. Each host brings its own: the Chromium host
 * prints with a headless Chromium of its own (chromium-host/pdf-printer.ts), the Electron shell
 * with an offscreen window's printToPDF. Rejects with a reason a person can read.
 */
export type PdfPrinter = (html: string) => Promise<Uint8Array>;

/**
 * The wall host's end of the edge-gateway protocol (native-bridge/gateway-protocol.ts, docs/gateway-protocol.md).
 *
 * Binds a SUB (UPDATE, HUGZ) and a ROUTER (HELLO, SNAPSHOT/SNAP/SNAPEND, COMMAND/ACK), both CURVE
 * servers behind the shared ZAP allow-list. For each allow-listed gateway it runs the zguide Clone
 * client: request a snapshot, buffer live updates until SNAPEND, drop those at or below the
 * snapshot's seq, then apply strictly consecutive updates; any gap, a new epoch, or a heartbeat
 * ahead of what was applied marks the gateway stale and re-snapshots. Paranoid Pirate liveness:
 * any message refreshes lastHeard; GATEWAY_SILENCE_MS of silence makes the gateway stale; traffic
 * coming back re-snapshots it. Field commands go through a CommandOutbox (Titanic): each tick
 * expires those past their deadline and (re)sends at most COMMANDS_PER_SWEEP due ones to each
 * gateway heard from lately; an unreachable gateway's backlog costs the sweep nothing.
 *
 * Nothing received is trusted: every message is decoded by decodeGatewayMessage; a bad one is
 * counted (per gateway when attributable, else globally), logged (rate-limited), and has no other
 * effect. Messages naming a gateway that is not allow-listed are dropped, and on the ROUTER the
 * routing id must equal the message's gw.
 *
 * Identity is bound to the key: ZAP admits only allow-listed keys, but zeromq.js does not say
 * which key sent a given message, so every gateway message carries a MAC only the key pair
 * registered for its gw can make (native-bridge/gateway-auth). A message whose MAC fails is forged:
 * counted, logged, and has no effect at all (not even liveness). Commands go only to a routing id
 * proven since its last (re)connection: the ROUTER reports connections (ZMQ_ROUTER_NOTIFY), a new
 * one is unproven until a message with a valid MAC arrives on it, and the host asks for a snapshot
 * to get that proof. So a gateway holding another's routing id while that one is away gets no
 * command, and its ACKs are refused. The allow-list may change at run time (reload): up to two
 * keys per gateway (current and next) during a key rotation.
 */
import { createHash, randomUUID } from 'node:crypto';
import * as zmq from 'zeromq';
import type { GatewayLink } from '../../../native-bridge/contract.js';
import {
  decodeGatewayMessage,
  encodeGatewayMessage,
  fieldCommand,
  GATEWAY_MAX_MESSAGE_BYTES,
  GATEWAY_PROTOCOL_VERSION,
  GATEWAY_SILENCE_MS,
  itemKey,
  stateItem,
  type FieldCommand,
  type MessageKind,
  type MessageOf,
  type StateItem,
} from '../../../native-bridge/gateway-protocol.js';
import { macMatches, messageMacKey, unsigned } from '../../../native-bridge/gateway-auth/message-mac.js';
import { ChangeLanes, type ItemChange } from './change-lanes.js';
import type { CommandAck, CommandOutbox, ExpiredCommand } from './command-outbox.js';
import type { CurveKeyPair } from './keys.js';
import { isZ85Key } from './keys.js';
import { rateLimited, stderrLog, type GatewayLog } from './log.js';
import { ZapHandler, type ZapRefusal } from './zap.js';

export interface GatewayConfig {
  id: string;
  name: string;
  /** The gateway's CURVE public key, Z85. */
  publicKey: string;
  /** During a key rotation: the key the gateway switches to, accepted alongside publicKey. */
  nextPublicKey?: string | undefined;
}

/** The registered keys of a gateway: current first, then next. */
export function keysOf(config: GatewayConfig): string[] {
  return config.nextPublicKey === undefined ? [config.publicKey] : [config.publicKey, config.nextPublicKey];
}

/** What a reload changed, by gateway id. */
export interface ReloadResult {
  added: string[];
  removed: string[];
  /** Keys or name changed. */
  changed: string[];
}

export interface GatewayHubOptions {
  /** Bind endpoints, e.g. 'tcp://0.0.0.0:5601' or 'tcp://127.0.0.1:*'. */
  endpoints: { updates: string; control: string };
  keyPair: CurveKeyPair;
  gateways: readonly GatewayConfig[];
  outbox: CommandOutbox;
  clock?: () => number;
  log?: GatewayLog;
  /** Timings, for tests; defaults in DEFAULT_TIMINGS. */
  timings?: Partial<GatewayHubTimings>;
  /** Per-gateway bounds; defaults in DEFAULT_LIMITS. */
  limits?: Partial<GatewayHubLimits>;
}

/** What one gateway may make the host hold (docs/gateway-protocol.md, Limits). */
export interface GatewayHubLimits {
  /** Items in one snapshot, and in a gateway's state: a snapshot beyond it is abandoned, a live set of a new key beyond it refused. */
  maxItems: number;
  /** Live updates buffered while a snapshot is in flight; beyond this the snapshot starts over. */
  maxBufferedUpdates: number;
  /** Changes handed to the listeners at once; a bigger snapshot goes in slices, the event loop free in between. */
  sliceItems: number;
}

export const DEFAULT_LIMITS: GatewayHubLimits = { maxItems: 1_000_000, maxBufferedUpdates: 100_000, sliceItems: 5_000 };

export interface GatewayHubTimings {
  /** Liveness / snapshot-timeout / retry check period. */
  tickMs: number;
  /** No traffic for this long: stale. */
  silenceMs: number;
  /** A snapshot request with no SNAP for this long (since the request or the last SNAP) is sent again. */
  snapshotTimeoutMs: number;
  /** Unacknowledged commands are resent this often. */
  commandRetryMs: number;
}

export const DEFAULT_TIMINGS: GatewayHubTimings = { tickMs: 250, silenceMs: GATEWAY_SILENCE_MS, snapshotTimeoutMs: 10_000, commandRetryMs: 2000 };

/** Commands (re)sent to one gateway per tick: a gateway coming back with a backlog gets it in order, a bounded slice at a time. */
export const COMMANDS_PER_SWEEP = 50;
/** Commands marked expired per tick; more wait for the next tick (the field link turns each batch into a few alerts). */
const EXPIRED_PER_SWEEP = 200;
/** Receiving yields to the event loop after this long of back-to-back messages (timers, other sockets). */
const RECEIVE_SLICE_MS = 20;

export type { ItemChange };
/**
 * A gateway's changes, in order; replacedAll: its whole state starts with these (a snapshot, whose
 * remaining items follow in further calls). A returned promise holds that gateway's next changes
 * until it settles (backpressure, e.g. the telemetry cache).
 */
export type ChangeListener = (gatewayId: string, changes: ItemChange[], replacedAll: boolean) => unknown;
export type LinkListener = (link: GatewayLink) => void;
export type AckListener = (gatewayId: string, ack: CommandAck) => void;
export type ExpiryListener = (expired: readonly ExpiredCommand[]) => void;

export interface GatewayHubStats {
  /** Bad messages that could not be attributed to an allow-listed gateway. */
  rejected: number;
  /** Well-formed messages naming a gateway that is not allow-listed (or a routing id mismatch). */
  foreign: number;
  /** ZAP refusals for this hub's domain. */
  zapRefusals: number;
  /** Failed ZMTP handshakes on the host sockets (wrong mechanism, refused key, …). */
  handshakeFailures: number;
  /** Well-formed messages whose MAC is not that of a key registered for the gateway they name (no MAC frame at all: rejected). */
  forged: number;
}

/** libzmq's ZMQ_ROUTER_NOTIFY and its connect|disconnect flags: the ROUTER receives [routing id, ""] on each. */
const ZMQ_ROUTER_NOTIFY = 97;
const NOTIFY_CONNECT_AND_DISCONNECT = 3;

type Update = MessageOf<'UPDATE'>;

interface SyncState {
  requestId: string;
  requestedAt: number;
  /** Last time the snapshot made progress (request, SNAP). */
  progressAt: number;
  items: Map<string, StateItem>;
  buffered: Update[];
  /** Epoch of the newest live message seen during the sync. */
  liveEpoch: string | null;
  /** Highest HUGZ seq seen during the sync, by epoch. */
  hugzSeq: number;
  /** Asked because a DEALER (re)connected: that DEALER's own HELLO needs no second request. */
  onConnect: boolean;
}

interface Replica {
  config: GatewayConfig;
  /** MAC keys of the registered keys (current, next). */
  macKeys: Buffer[];
  /** A message with a valid MAC arrived on the ROUTER since the routing id's last (re)connection. */
  controlProven: boolean;
  items: Map<string, StateItem>;
  state: GatewayLink['state'];
  lastHeard: number | null;
  lastHeartbeat: number | null;
  epoch: string | null;
  seq: number;
  gaps: number;
  snapshots: number;
  rejected: number;
  sync: SyncState | null;
  /** Has this replica ever completed a snapshot? */
  synced: boolean;
}

let hubCounter = 0;

/** [kind, body, MAC]: decodes the first two; the MAC is checked once the claimed gateway is known. */
function decodeSigned(frames: readonly Buffer[]): ReturnType<typeof decodeGatewayMessage> {
  return decodeGatewayMessage(unsigned(frames));
}

function expiredError(command: FieldCommand): Error {
  return new Error(`field command ${command.id} (${command.type} → ${command.target}) expired before the gateway acknowledged it; it is not sent again`);
}

/** sha256 over items sorted by key, each as key + canonical JSON of the schema-normalized item. */
export function stateHashOf(items: Iterable<StateItem>): string {
  const lines = [...items].map((item) => {
    const normalized = stateItem.parse(item);
    return `${itemKey(normalized)}\n${canonicalJson(normalized)}\n`;
  });
  lines.sort();
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line);
  return hash.digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export class GatewayHub {
  private readonly clock: () => number;
  private readonly log: GatewayLog;
  private readonly limitedLog: ReturnType<typeof rateLimited>;
  private readonly timings: GatewayHubTimings;
  private readonly limits: GatewayHubLimits;
  private readonly lanes: ChangeLanes;
  /** When the last tick ran, and when the host's own event loop last came back from a stall. */
  private lastTickAt = 0;
  private resumedAt = 0;
  private readonly replicas = new Map<string, Replica>();
  private readonly zapDomain = `ioc-wall-gateways-${process.pid}-${++hubCounter}`;
  private readonly changeListeners = new Set<ChangeListener>();
  private readonly linkListeners = new Set<LinkListener>();
  private readonly ackListeners = new Set<AckListener>();
  private readonly expiryListeners = new Set<ExpiryListener>();
  private readonly waiters = new Map<string, { resolve: (ack: CommandAck) => void; reject: (error: Error) => void }[]>();
  private readonly counters: GatewayHubStats = { rejected: 0, foreign: 0, zapRefusals: 0, handshakeFailures: 0, forged: 0 };
  /** The ZAP allow-list of this hub's domain (key → gateway id), rebuilt on reload. */
  private readonly zapKeys = new Map<string, string>();

  private sub: zmq.Subscriber | null = null;
  private router: zmq.Router | null = null;
  private zap: ZapHandler | null = null;
  private timer: NodeJS.Timeout | null = null;
  private loops: Promise<void>[] = [];
  private routerQueue: Promise<void> = Promise.resolve();
  private started = false;
  private closing = false;
  private bound: { updates: string; control: string } | null = null;

  constructor(private readonly options: GatewayHubOptions) {
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? stderrLog;
    this.limitedLog = rateLimited(this.log, { clock: this.clock });
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings };
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.lanes = new ChangeLanes((gatewayId, changes, replacedAll) => this.deliver(gatewayId, changes, replacedAll), {
      sliceItems: this.limits.sliceItems,
      maxQueued: this.limits.maxBufferedUpdates,
      stateOf: (gatewayId) => Array.from(this.replicas.get(gatewayId)?.items.values() ?? []),
    });
    if (!isZ85Key(options.keyPair.publicKey) || !isZ85Key(options.keyPair.secretKey)) throw new Error('keyPair must hold 40-character Z85 keys');
    for (const [config, macKeys] of this.checked(options.gateways)) this.replicas.set(config.id, this.newReplica(config, macKeys));
    this.rebuildZapKeys();
  }

  /** Each gateway with the MAC keys of its registered keys; throws (naming the gateway) on the first bad entry. */
  private checked(gateways: readonly GatewayConfig[]): [GatewayConfig, Buffer[]][] {
    const ids = new Set<string>();
    const keys = new Set<string>();
    return gateways.map((config) => {
      if (!config.id || config.id.length > 128) throw new Error(`bad gateway id "${config.id.slice(0, 140)}"`);
      if (ids.has(config.id)) throw new Error(`gateway "${config.id}" is listed twice`);
      ids.add(config.id);
      const own = keysOf(config);
      if (own[0] === own[1]) throw new Error(`gateway "${config.id}": nextPublicKey is the same as publicKey`);
      const macKeys = own.map((key) => {
        if (!isZ85Key(key)) throw new Error(`gateway "${config.id}": a public key must be 40 Z85 characters`);
        if (keys.has(key)) throw new Error(`gateway "${config.id}": its public key is already used by another gateway`);
        keys.add(key);
        try {
          return messageMacKey(this.options.keyPair, key);
        } catch (error) {
          throw new Error(`gateway "${config.id}": ${key} is not a usable CURVE public key (${String(error)})`);
        }
      });
      return [{ ...config }, macKeys];
    });
  }

  private newReplica(config: GatewayConfig, macKeys: Buffer[]): Replica {
    return {
      config,
      macKeys,
      controlProven: false,
      items: new Map(),
      state: 'offline',
      lastHeard: null,
      lastHeartbeat: null,
      epoch: null,
      seq: 0,
      gaps: 0,
      snapshots: 0,
      rejected: 0,
      sync: null,
      synced: false,
    };
  }

  private rebuildZapKeys(): void {
    this.zapKeys.clear();
    for (const replica of this.replicas.values()) for (const key of keysOf(replica.config)) this.zapKeys.set(key, replica.config.id);
  }

  /**
   * Replaces the allow-list without a restart (a key rotation, a gateway added or removed). All or
   * nothing: a bad list throws and the old one stays. A removed key's open connection stays open,
   * but nothing it sends passes the MAC check any more; a gateway whose keys changed must prove
   * itself again before it gets commands.
   */
  reload(gateways: readonly GatewayConfig[]): ReloadResult {
    const next = this.checked(gateways);
    const result: ReloadResult = { added: [], removed: [], changed: [] };
    const keep = new Set(next.map(([config]) => config.id));
    for (const id of [...this.replicas.keys()]) {
      if (keep.has(id)) continue;
      this.replicas.delete(id);
      result.removed.push(id);
    }
    for (const [config, macKeys] of next) {
      const replica = this.replicas.get(config.id);
      if (!replica) {
        this.replicas.set(config.id, this.newReplica(config, macKeys));
        result.added.push(config.id);
        continue;
      }
      const rekeyed = keysOf(replica.config).join() !== keysOf(config).join();
      if (!rekeyed && replica.config.name === config.name) continue;
      replica.config = config;
      replica.macKeys = macKeys;
      if (rekeyed) replica.controlProven = false;
      result.changed.push(config.id);
      this.emitLink(replica);
    }
    this.rebuildZapKeys();
    this.log({ level: 'info', msg: 'gateway hub: allow-list reloaded', ...result });
    return result;
  }

  /** Each gateway's registered keys, for the console. */
  registeredKeys(): { id: string; name: string; keys: string[] }[] {
    return [...this.replicas.values()].map((r) => ({ id: r.config.id, name: r.config.name, keys: keysOf(r.config) }));
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle

  /** Binds the sockets (ZAP handler first), starts the receive loops and timers; pending commands go out as their gateways are heard. */
  async start(): Promise<{ updates: string; control: string }> {
    if (this.started) throw new Error('GatewayHub already started');
    this.started = true;
    this.zap = await ZapHandler.acquire(this.log);
    this.zap.register(this.zapDomain, {
      keys: this.zapKeys,
      onRefused: (_refusal: ZapRefusal) => {
        this.counters.zapRefusals++;
      },
    });
    const common = {
      curveServer: true,
      curveSecretKey: this.options.keyPair.secretKey,
      curvePublicKey: this.options.keyPair.publicKey,
      zapDomain: this.zapDomain,
      maxMessageSize: GATEWAY_MAX_MESSAGE_BYTES,
      heartbeatInterval: 1000,
      heartbeatTimeout: 3000,
      linger: 0,
    };
    try {
      this.sub = new zmq.Subscriber(common);
      // handover: a gateway reconnecting with its routing id takes it over from a half-dead connection
      this.router = new zmq.Router({ ...common, mandatory: true, handover: true, sendTimeout: 0 });
      // zeromq.js has no typed setter for it; the option is in libzmq 4.3 (verified: [id, ""] on connect and disconnect)
      (this.router as unknown as { setInt32Option(option: number, value: number): void }).setInt32Option(ZMQ_ROUTER_NOTIFY, NOTIFY_CONNECT_AND_DISCONNECT);
      for (const socket of [this.sub, this.router]) {
        // Never fall back to "accept every key" if the ZAP handler were missing.
        socket.zapEnforceDomain = true;
        socket.events.on('handshake:error:protocol', () => this.counters.handshakeFailures++);
        socket.events.on('handshake:error:auth', () => this.counters.handshakeFailures++);
        socket.events.on('handshake:error:other', () => this.counters.handshakeFailures++);
      }
      this.sub.subscribe();
      await this.sub.bind(this.options.endpoints.updates);
      await this.router.bind(this.options.endpoints.control);
    } catch (error) {
      await this.close();
      throw error;
    }
    this.bound = { updates: this.sub.lastEndpoint ?? this.options.endpoints.updates, control: this.router.lastEndpoint ?? this.options.endpoints.control };
    this.loops = [this.receiveLoop(this.sub, 'sub'), this.receiveLoop(this.router, 'router')];
    this.lastTickAt = this.clock();
    this.timer = setInterval(() => this.tick(), this.timings.tickMs);
    this.log({ level: 'info', msg: 'gateway hub: listening', ...this.bound, gateways: this.replicas.size });
    return this.bound;
  }

  /** The endpoints actually bound (ports resolved), after start(). */
  get endpoints(): { updates: string; control: string } {
    if (!this.bound) throw new Error('GatewayHub not started');
    return this.bound;
  }

  /** Closes every socket (and the ZAP handler if no other hub uses it); pending sendCommand promises reject, their commands stay in the outbox. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.lanes.close();
    this.sub?.close();
    this.router?.close();
    await Promise.allSettled(this.loops);
    await this.routerQueue.catch(() => undefined);
    if (this.zap) await this.zap.release(this.zapDomain);
    this.zap = null;
    const error = new Error('gateway hub closed; the command stays in the outbox');
    for (const list of this.waiters.values()) for (const w of list) w.reject(error);
    this.waiters.clear();
  }

  // ---------------------------------------------------------------------------------------------
  // Queries and listeners

  links(): GatewayLink[] {
    return [...this.replicas.values()].map((r) => this.linkOf(r));
  }

  items(gatewayId: string): StateItem[] {
    return [...(this.replicas.get(gatewayId)?.items.values() ?? [])];
  }

  stateHash(gatewayId: string): string {
    return stateHashOf(this.replicas.get(gatewayId)?.items.values() ?? []);
  }

  stats(): GatewayHubStats {
    return { ...this.counters };
  }

  onChange(listener: ChangeListener): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Called when a gateway's state, epoch or counters (gaps, snapshots, rejected) change. */
  onLink(listener: LinkListener): () => void {
    this.linkListeners.add(listener);
    return () => this.linkListeners.delete(listener);
  }

  /** Called once per command id, on its first ack. */
  onAck(listener: AckListener): () => void {
    this.ackListeners.add(listener);
    return () => this.ackListeners.delete(listener);
  }

  /** Called with the commands each sweep found past their deadline (never sent again). */
  onExpired(listener: ExpiryListener): () => void {
    this.expiryListeners.add(listener);
    return () => this.expiryListeners.delete(listener);
  }

  // ---------------------------------------------------------------------------------------------
  // Commands (Titanic)

  /**
   * Persists the command (stamped with its deadline), sends it if the gateway is reachable, resends
   * it every commandRetryMs until the gateway acks it, and resolves with the ack; rejects once it
   * expires. An id already acked resolves with the stored ack without resending.
   */
  sendCommand(gatewayId: string, command: FieldCommand): Promise<CommandAck> {
    if (!this.replicas.has(gatewayId)) return Promise.reject(new Error(`unknown gateway "${gatewayId}"`));
    const parsed = fieldCommand.safeParse(command);
    if (!parsed.success) return Promise.reject(new Error(`invalid field command: ${parsed.error.issues[0]?.message ?? 'invalid'}`));
    if (this.closing) return Promise.reject(new Error('gateway hub closed'));
    const existing = this.options.outbox.get(parsed.data.id);
    if (existing && existing.gatewayId !== gatewayId) return Promise.reject(new Error(`command id "${parsed.data.id}" was sent to another gateway`));
    if (existing?.ack) return Promise.resolve(existing.ack);
    if (existing?.state === 'expired') return Promise.reject(expiredError(existing.command));
    let stamped: FieldCommand;
    try {
      stamped = this.options.outbox.persist(gatewayId, parsed.data);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const promise = new Promise<CommandAck>((resolve, reject) => {
      const list = this.waiters.get(stamped.id) ?? [];
      list.push({ resolve, reject });
      this.waiters.set(stamped.id, list);
    });
    const replica = this.replicas.get(gatewayId)!;
    const now = this.clock();
    if (this.started && this.commandable(replica, now)) {
      this.sendRouter(gatewayId, 'COMMAND', { v: GATEWAY_PROTOCOL_VERSION, command: stamped });
      this.options.outbox.deferUntil([stamped.id], now + this.timings.commandRetryMs);
    }
    return promise;
  }

  /**
   * One retry sweep: expires what is past its deadline, then (re)sends the due commands of every
   * gateway heard from within silenceMs, at most COMMANDS_PER_SWEEP each. Runs every tick; the
   * cost depends on the gateways and the per-sweep limits, never on how many commands wait.
   */
  sweepCommands(): { expired: number; sent: number } {
    const now = this.clock();
    const expired = this.options.outbox.expire(now, EXPIRED_PER_SWEEP);
    if (expired.length > 0) {
      for (const entry of expired) {
        const list = this.waiters.get(entry.command.id) ?? [];
        this.waiters.delete(entry.command.id);
        for (const w of list) w.reject(expiredError(entry.command));
      }
      for (const listener of this.expiryListeners) this.safely(() => listener(expired));
    }
    let sent = 0;
    for (const replica of this.replicas.values()) {
      if (!this.commandable(replica, now)) continue; // offline or unproven: its commands wait, untouched
      const due = this.options.outbox.due(replica.config.id, now, COMMANDS_PER_SWEEP);
      for (const command of due) this.sendRouter(replica.config.id, 'COMMAND', { v: GATEWAY_PROTOCOL_VERSION, command });
      this.options.outbox.deferUntil(
        due.map((c) => c.id),
        now + this.timings.commandRetryMs,
      );
      sent += due.length;
    }
    return { expired: expired.length, sent };
  }

  /** Heard from lately (a command sent now has a chance to arrive), and its routing id is held by its own key. */
  private commandable(replica: Replica, now: number): boolean {
    return replica.controlProven && replica.lastHeard !== null && now - replica.lastHeard <= this.timings.silenceMs;
  }

  private handleAck(replica: Replica, ack: CommandAck): void {
    const entry = this.options.outbox.get(ack.id);
    if (!entry || entry.gatewayId !== replica.config.id) {
      this.limitedLog(`ack-unknown|${replica.config.id}`, { level: 'warn', msg: 'gateway: ack for a command it was not sent', gateway: replica.config.id, id: ack.id });
      return;
    }
    if (!this.options.outbox.markAcked(ack.id, ack)) return; // a repeat: the first ack already counted
    const list = this.waiters.get(ack.id) ?? [];
    this.waiters.delete(ack.id);
    for (const w of list) w.resolve(ack);
    for (const listener of this.ackListeners) this.safely(() => listener(replica.config.id, ack));
  }

  // ---------------------------------------------------------------------------------------------
  // Receiving

  private async receiveLoop(socket: zmq.Subscriber | zmq.Router, which: 'sub' | 'router'): Promise<void> {
    try {
      let sliceStart = performance.now();
      for await (const frames of socket) {
        if (performance.now() - sliceStart > RECEIVE_SLICE_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          sliceStart = performance.now();
        }
        try {
          if (which === 'sub') this.onSub(frames);
          else this.onRouter(frames);
        } catch (error) {
          // A bug here must not end the loop; state is left as it was for this message.
          this.log({ level: 'error', msg: 'gateway hub: handler error', error: String(error), stack: (error as Error).stack });
        }
      }
    } catch (error) {
      if (!socket.closed) this.log({ level: 'error', msg: `gateway hub: ${which} receive loop ended`, error: String(error) });
    }
  }

  private onSub(frames: Buffer[]): void {
    let message: ReturnType<typeof decodeGatewayMessage>;
    try {
      message = decodeSigned(frames);
    } catch (error) {
      this.reject(this.attribute(frames), 'sub', String((error as Error).message ?? error));
      return;
    }
    if (message.kind !== 'UPDATE' && message.kind !== 'HUGZ') {
      this.reject(this.attribute(frames), 'sub', `${message.kind} is not sent on PUB`);
      return;
    }
    const replica = this.replicas.get(message.body.gw);
    if (!replica) {
      this.foreign('sub', message.body.gw, message.kind);
      return;
    }
    if (!macMatches(replica.macKeys, frames[0]!, frames[1]!, frames[2]!)) return this.forged('sub', replica, message.kind);
    this.touch(replica);
    if (message.kind === 'UPDATE') this.onUpdate(replica, message.body);
    else this.onHugz(replica, message.body);
  }

  private onRouter(frames: Buffer[]): void {
    const [peerFrame, ...rest] = frames;
    const peer = peerFrame ? peerFrame.toString('utf8') : '';
    const byPeer = this.replicas.get(peer);
    if (rest.length === 1 && rest[0]!.length === 0) return this.onConnection(byPeer);
    let message: ReturnType<typeof decodeGatewayMessage>;
    try {
      message = decodeSigned(rest);
    } catch (error) {
      this.reject(byPeer ?? null, 'router', String((error as Error).message ?? error));
      return;
    }
    if (message.kind !== 'HELLO' && message.kind !== 'SNAP' && message.kind !== 'SNAPEND' && message.kind !== 'ACK') {
      this.reject(byPeer ?? null, 'router', `${message.kind} is not sent by a gateway's DEALER`);
      return;
    }
    if (!byPeer || message.body.gw !== peer) {
      this.foreign('router', message.body.gw, message.kind, peer);
      return;
    }
    if (!macMatches(byPeer.macKeys, rest[0]!, rest[1]!, rest[2]!)) return this.forged('router', byPeer, message.kind);
    byPeer.controlProven = true;
    this.touch(byPeer);
    switch (message.kind) {
      case 'HELLO':
        this.onHello(byPeer, message.body);
        break;
      case 'SNAP':
        this.onSnap(byPeer, message.body);
        break;
      case 'SNAPEND':
        this.onSnapEnd(byPeer, message.body);
        break;
      case 'ACK':
        this.handleAck(byPeer, message.body);
        break;
    }
  }

  /**
   * A DEALER connected or disconnected with this routing id (ZMQ_ROUTER_NOTIFY; the two look the
   * same): whoever holds it now must prove its key before it gets commands. A gateway already known
   * is asked for a snapshot, whose answer is that proof (one not heard from yet says HELLO on its
   * own); asked again even when a request is in flight, since that one may have gone to the
   * connection that just ended.
   */
  private onConnection(replica: Replica | undefined): void {
    if (!replica) return;
    replica.controlProven = false;
    if (replica.lastHeard !== null) this.requestSnapshot(replica, replica.state, true);
  }

  /** Counted against no gateway (the claimed one did not send it); has no other effect. */
  private forged(socket: string, claimed: Replica, kind: string): void {
    this.counters.forged++;
    this.limitedLog(`forged|${socket}|${claimed.config.id}`, {
      level: 'warn',
      msg: "gateway: message refused, its MAC is not that of the claimed gateway's key",
      socket,
      claimed: claimed.config.id,
      kind,
    });
  }

  /** Best effort: the allow-listed gateway a malformed PUB message claims to come from, when its MAC is that gateway's. */
  private attribute(frames: readonly Buffer[]): Replica | null {
    const [kind, body, mac] = frames;
    if (!kind || !body || !mac || body.length > GATEWAY_MAX_MESSAGE_BYTES) return null;
    try {
      // lenient on purpose (a BOM dropped, bad bytes replaced): this only finds whom to count it against
      const gw = (JSON.parse(new TextDecoder().decode(body)) as { gw?: unknown } | null)?.gw;
      const replica = typeof gw === 'string' ? this.replicas.get(gw) : undefined;
      // another key's message must not raise this gateway's counters
      return replica && macMatches(replica.macKeys, kind, body, mac) ? replica : null;
    } catch {
      return null;
    }
  }

  private reject(replica: Replica | null, socket: string, reason: string): void {
    if (replica) {
      replica.rejected++;
      this.emitLink(replica);
    } else {
      this.counters.rejected++;
    }
    const gateway = replica?.config.id ?? null;
    this.limitedLog(`reject|${gateway}`, { level: 'warn', msg: 'gateway: message rejected', gateway, socket, reason: reason.slice(0, 300) });
  }

  private foreign(socket: string, gw: string, kind: string, peer?: string): void {
    this.counters.foreign++;
    this.limitedLog(`foreign|${socket}`, { level: 'warn', msg: 'gateway: message from a gateway not allowed here', socket, gw: gw.slice(0, 128), kind, peer: peer?.slice(0, 128) });
  }

  private touch(replica: Replica): void {
    replica.lastHeard = this.clock();
    if (replica.state === 'offline' || (replica.state === 'stale' && !replica.sync)) {
      // First contact, or traffic is back after silence: (re)synchronize.
      this.requestSnapshot(replica, replica.state === 'offline' ? 'syncing' : 'stale');
    }
  }

  private onHello(replica: Replica, hello: MessageOf<'HELLO'>): void {
    // A HELLO comes on (re)connect and on every new epoch: always re-snapshot, unless the request
    // this very message just triggered (first contact, see touch()) is still fresh and empty, or
    // the one its DEALER's connection triggered (onConnection) is still unanswered.
    const sync = replica.sync;
    if (sync && sync.items.size === 0 && (sync.onConnect || this.clock() - sync.requestedAt < 100)) return;
    if (replica.epoch !== null && hello.epoch !== replica.epoch) {
      this.gap(replica, 'new epoch (HELLO)');
      return;
    }
    this.requestSnapshot(replica, replica.state === 'stale' ? 'stale' : 'syncing');
  }

  private onUpdate(replica: Replica, update: Update): void {
    const sync = replica.sync;
    if (sync) {
      sync.liveEpoch = update.epoch;
      if (sync.buffered.length >= this.limits.maxBufferedUpdates) {
        this.requestSnapshot(replica, replica.state === 'live' ? 'stale' : replica.state);
        return;
      }
      sync.buffered.push(update);
      return;
    }
    if (update.epoch !== replica.epoch) return this.gap(replica, 'new epoch');
    if (update.seq <= replica.seq) return; // already applied (e.g. covered by the snapshot)
    if (update.seq !== replica.seq + 1) return this.gap(replica, `seq ${update.seq} after ${replica.seq}`);
    replica.seq = update.seq;
    if (this.overFull(replica.items, update)) return this.reject(replica, 'sub', `state full (${this.limits.maxItems} items): ${itemKey(update.item).slice(0, 200)} refused`);
    const change = this.apply(replica.items, update);
    this.lanes.changes(replica.config.id, [change]);
  }

  private onHugz(replica: Replica, hugz: MessageOf<'HUGZ'>): void {
    replica.lastHeartbeat = this.clock();
    const sync = replica.sync;
    if (sync) {
      if (sync.liveEpoch !== hugz.epoch) sync.hugzSeq = 0;
      sync.liveEpoch = hugz.epoch;
      sync.hugzSeq = Math.max(sync.hugzSeq, hugz.seq);
      return;
    }
    if (hugz.epoch !== replica.epoch) return this.gap(replica, 'new epoch');
    if (hugz.seq > replica.seq) this.gap(replica, `heartbeat seq ${hugz.seq} ahead of ${replica.seq}`);
  }

  private onSnap(replica: Replica, snap: MessageOf<'SNAP'>): void {
    const sync = replica.sync;
    if (!sync || snap.requestId !== sync.requestId) return; // an answer to an abandoned request
    if (sync.items.size + snap.items.length > this.limits.maxItems) {
      this.reject(replica, 'router', `snapshot larger than ${this.limits.maxItems} items: abandoned`);
      this.requestSnapshot(replica, replica.state);
      return;
    }
    for (const item of snap.items) sync.items.set(itemKey(item), item);
    sync.progressAt = this.clock();
  }

  private onSnapEnd(replica: Replica, end: MessageOf<'SNAPEND'>): void {
    const sync = replica.sync;
    if (!sync || end.requestId !== sync.requestId) return;
    if (end.count !== sync.items.size) {
      this.reject(replica, 'router', `SNAPEND count ${end.count} but ${sync.items.size} items received`);
      this.requestSnapshot(replica, replica.state);
      return;
    }
    // Live traffic already on a newer epoch than the snapshot: the gateway restarted meanwhile.
    if (sync.liveEpoch !== null && sync.liveEpoch !== end.epoch) {
      this.requestSnapshot(replica, replica.synced ? 'stale' : 'syncing');
      return;
    }
    const items = sync.items;
    let seq = end.seq;
    for (const update of sync.buffered) {
      if (update.epoch !== end.epoch || update.seq <= seq) continue;
      if (update.seq !== seq + 1) {
        replica.sync = null;
        return this.gap(replica, `buffered seq ${update.seq} after ${seq}`);
      }
      seq = update.seq;
      if (!this.overFull(items, update)) this.apply(items, update);
    }
    if (sync.liveEpoch === end.epoch && sync.hugzSeq > seq) {
      replica.sync = null;
      return this.gap(replica, `heartbeat seq ${sync.hugzSeq} ahead of snapshot ${seq}`);
    }
    replica.sync = null;
    replica.items = items;
    replica.epoch = end.epoch;
    replica.seq = seq;
    replica.snapshots++;
    replica.synced = true;
    replica.state = 'live';
    this.lanes.replaceAll(replica.config.id, Array.from(items.values()));
    this.emitLink(replica);
  }

  /** A set of a key the state does not have yet, when the state already holds maxItems. */
  private overFull(items: Map<string, StateItem>, update: Update): boolean {
    return update.op === 'set' && items.size >= this.limits.maxItems && !items.has(itemKey(update.item));
  }

  private apply(items: Map<string, StateItem>, update: Update): ItemChange {
    const key = itemKey(update.item);
    if (update.op === 'set') items.set(key, update.item);
    else items.delete(key);
    return { op: update.op, item: update.item };
  }

  private gap(replica: Replica, reason: string): void {
    replica.gaps++;
    this.limitedLog(`gap|${replica.config.id}`, { level: 'warn', msg: 'gateway: gap, re-snapshotting', gateway: replica.config.id, reason });
    this.requestSnapshot(replica, 'stale');
  }

  private requestSnapshot(replica: Replica, state: GatewayLink['state'], onConnect = false): void {
    const now = this.clock();
    replica.sync = { requestId: randomUUID(), requestedAt: now, progressAt: now, items: new Map(), buffered: [], liveEpoch: null, hugzSeq: 0, onConnect };
    replica.state = state;
    this.emitLink(replica);
    this.sendRouter(replica.config.id, 'SNAPSHOT', { v: GATEWAY_PROTOCOL_VERSION, requestId: replica.sync.requestId });
  }

  // ---------------------------------------------------------------------------------------------
  // Timers

  private tick(): void {
    const now = this.clock();
    // The host's own stall (a long task) is no gateway's silence: what they sent meanwhile is still queued.
    if (now - this.lastTickAt > this.timings.tickMs * 4) this.resumedAt = now;
    this.lastTickAt = now;
    for (const replica of this.replicas.values()) {
      if (replica.lastHeard === null) continue;
      const silentMs = now - Math.max(replica.lastHeard, this.resumedAt);
      if (replica.state !== 'stale' && silentMs > this.timings.silenceMs) {
        replica.sync = null;
        replica.state = 'stale';
        this.limitedLog(`silent|${replica.config.id}`, { level: 'warn', msg: 'gateway: silent, stale', gateway: replica.config.id, silentMs });
        this.emitLink(replica);
        continue;
      }
      const sync = replica.sync;
      if (sync && now - Math.max(sync.progressAt, this.resumedAt) > this.timings.snapshotTimeoutMs && silentMs <= this.timings.silenceMs) {
        // Request lost, or the DEALER was not connected yet: ask again (keeping the buffer would mix requests).
        this.requestSnapshot(replica, replica.state);
      }
    }
    try {
      this.sweepCommands();
    } catch (error) {
      // e.g. the disk is full: the commands stay where they are, the next tick tries again
      this.limitedLog('sweep', { level: 'error', msg: 'gateway hub: command sweep failed', error: String(error) });
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Sending and emitting

  /** ROUTER sends are serialized (zeromq.js allows one at a time) and never block: a peer that is not connected or is full loses the message, and the retry timers cover it. */
  private sendRouter<K extends MessageKind>(gatewayId: string, kind: K, body: MessageOf<K>): void {
    const router = this.router;
    if (!router || this.closing) return;
    const frames = [gatewayId, ...encodeGatewayMessage(kind, body)];
    this.routerQueue = this.routerQueue.then(async () => {
      if (router.closed) return;
      try {
        await router.send(frames);
      } catch (error) {
        if (router.closed) return;
        this.limitedLog(`send|${gatewayId}`, { level: 'info', msg: 'gateway: not reachable on the control socket yet', gateway: gatewayId, kind, error: String(error) });
      }
    });
  }

  private linkOf(r: Replica): GatewayLink {
    return {
      gateway: r.config.id,
      name: r.config.name,
      state: r.state,
      lastHeard: r.lastHeard,
      lastHeartbeat: r.lastHeartbeat,
      epoch: r.epoch,
      seq: r.seq,
      gaps: r.gaps,
      snapshots: r.snapshots,
      rejected: r.rejected,
    };
  }

  private emitLink(replica: Replica): void {
    if (this.linkListeners.size === 0) return;
    const link = this.linkOf(replica);
    for (const listener of this.linkListeners) this.safely(() => listener(link));
  }

  /** One slice of a gateway's changes to every listener; waits for those that ask to be waited for. */
  private deliver(gatewayId: string, changes: ItemChange[], replacedAll: boolean): Promise<unknown> | undefined {
    const waits: Promise<unknown>[] = [];
    for (const listener of this.changeListeners) {
      this.safely(() => {
        const wait = listener(gatewayId, changes, replacedAll);
        if (wait instanceof Promise) waits.push(wait);
      });
    }
    return waits.length > 0 ? Promise.allSettled(waits) : undefined;
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.log({ level: 'error', msg: 'gateway hub: listener threw', error: String(error) });
    }
  }
}

/**
 * A simulated edge gateway: the GATEWAY side of docs/gateway-protocol.md, over real ZeroMQ sockets
 * with CURVE. The demo province (sim/province.ts) runs several of these; tests use one directly.
 *
 * Every message it sends carries the MAC of its key for that host (native-bridge/gateway-auth),
 * which is how the host knows the message is this gateway's.
 *
 * Per host (primary, and optionally standby hosts): one PUB (UPDATE, HUGZ) and one DEALER
 * (HELLO, SNAP, SNAPEND, ACK out; SNAPSHOT, COMMAND in), both CURVE clients of that host's server
 * key. A DEALER connected to two ROUTERs would round-robin its messages between them, so each host
 * gets its own DEALER; replies always go back on the DEALER the request came in on.
 *
 * State is the Clone pattern's key-value map (key = itemKey(item)); every change is one UPDATE
 * with seq = previous + 1 within the epoch. Commands follow Titanic on the gateway side: the
 * effect is applied at most once per command id, and a repeated id is answered with the first ACK.
 *
 * Fault modes for tests: freeze/unfreeze (application-level silence, replies and updates held and
 * delivered on unfreeze — libzmq's I/O thread still answers ZMTP heartbeats, unlike a real
 * SIGSTOP), restart (new epoch, seq restarts), burst, skipSeq (a gap on the wire) and
 * sendMalformed.
 */
import { randomBytes } from 'node:crypto';
import * as zmq from 'zeromq';
import type { z } from 'zod';
import { messageMac, messageMacKey } from '../native-bridge/gateway-auth/message-mac.js';
import {
  GATEWAY_MAX_MESSAGE_BYTES,
  GATEWAY_PROTOCOL_VERSION,
  HEARTBEAT_INTERVAL_MS,
  SNAPSHOT_CHUNK_ITEMS,
  decodeGatewayMessage,
  encodeGatewayMessage,
  itemKey,
  stateItem,
  type FieldCommand,
  type MessageKind,
  type MessageOf,
  type StateItem,
  type StateItemType,
} from '../native-bridge/gateway-protocol.js';

export interface GatewayEndpoints {
  /** The host's SUB socket, e.g. tcp://127.0.0.1:5601. The gateway's PUB connects here. */
  updates: string;
  /** The host's ROUTER socket, e.g. tcp://127.0.0.1:5602. The gateway's DEALER connects here. */
  control: string;
}

export interface CurveKeyPair {
  /** 40-character Z85 text. */
  publicKey: string;
  /** 40-character Z85 text. */
  secretKey: string;
}

/** One wall host the gateway talks to: its endpoints and its CURVE server public key (Z85). */
export interface HostTarget {
  endpoints: GatewayEndpoints;
  hostPublicKey: string;
}

export interface CommandResult {
  status: 'done' | 'rejected';
  detail?: string;
}

/** Applies a command's effect (e.g. turns a siren on and publishes an event), then says how it went. */
export type CommandHandler = (command: FieldCommand, gateway: SimGateway) => CommandResult | Promise<CommandResult>;

export type MalformedKind = 'not-json' | 'wrong-frames' | 'schema' | 'oversized' | 'unknown-kind' | 'wrong-version';

export interface SimGatewayOptions {
  /** Gateway id: the DEALER's routing id and the `gw` field of every message. */
  id: string;
  /** Human-readable name (sent in HELLO). */
  name: string;
  endpoints: GatewayEndpoints;
  hostPublicKey: string;
  keyPair: CurveKeyPair;
  /** More hosts (the standby); each gets its own PUB and DEALER. */
  extraHosts?: HostTarget[];
  /** Applies commands; the default accepts every command and does nothing else. */
  onCommand?: CommandHandler;
  /** HELLO is repeated this often until a host has said anything (default 5000 ms). */
  helloRepeatMs?: number;
  /** HUGZ after this long without an UPDATE (default HEARTBEAT_INTERVAL_MS = 1000 ms). */
  heartbeatMs?: number;
  /** Per-socket send queue bound for PUB (default 10 000 messages). */
  publishHighWaterMark?: number;
  /** Command ids remembered for deduplication (default 10 000; oldest forgotten first). */
  rememberCommands?: number;
  log?: (line: string) => void;
}

/** What set() accepts: a state item, with defaulted fields (extra, thresholds, cleared) optional. */
export type StateItemInput = z.input<typeof stateItem>;
export type AckBody = MessageOf<'ACK'>;
export type UpdateBody = MessageOf<'UPDATE'>;

export interface SimGatewayStats {
  updates: number;
  hugz: number;
  hellos: number;
  snapshots: number;
  snapChunks: number;
  commands: number;
  duplicateCommands: number;
  acks: number;
  /** Messages from a host that failed validation (counted and dropped). */
  malformedReceived: number;
  /** Messages the gateway could not send (queue full, oversize, socket closed). */
  sendFailures: number;
  handshakes: number;
  authFailures: number;
  disconnects: number;
}

interface Link {
  target: HostTarget;
  /** Signs what this gateway sends to this host (native-bridge/gateway-auth). */
  macKey: Buffer;
  pub: zmq.Publisher;
  dealer: zmq.Dealer;
  pubChain: Promise<void>;
  dealerChain: Promise<void>;
  /** Any message received from this host since the last (re)start. */
  heard: boolean;
  receiving: Promise<void> | null;
}

interface CommandRecord {
  command: FieldCommand;
  ack: Promise<AckBody>;
}

type Frames = (string | Buffer)[];

/** Max bytes of items in one SNAP body, so a chunk always fits in GATEWAY_MAX_MESSAGE_BYTES. */
const SNAP_CHUNK_BYTES = GATEWAY_MAX_MESSAGE_BYTES - 16 * 1024;

export function newEpoch(): string {
  return `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
}

export class SimGateway {
  readonly id: string;
  readonly name: string;
  /** command id → how many times its effect was applied (must never exceed 1). */
  readonly effects = new Map<string, number>();
  /** command id → the first ACK sent for it (repeats send exactly this body). */
  readonly acks = new Map<string, AckBody>();
  readonly stats: SimGatewayStats = {
    updates: 0,
    hugz: 0,
    hellos: 0,
    snapshots: 0,
    snapChunks: 0,
    commands: 0,
    duplicateCommands: 0,
    acks: 0,
    malformedReceived: 0,
    sendFailures: 0,
    handshakes: 0,
    authFailures: 0,
    disconnects: 0,
  };
  onCommand: CommandHandler;

  private readonly options: SimGatewayOptions;
  private readonly items = new Map<string, StateItem>();
  private readonly commands = new Map<string, CommandRecord>();
  private links: Link[] = [];
  private currentEpoch = newEpoch();
  private lastSeq = 0;
  private running = false;
  private isFrozen = false;
  /** Sends held while frozen, flushed in order on unfreeze. */
  private held: (() => void)[] = [];
  private unfrozenWaiters: (() => void)[] = [];
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private helloTimer: NodeJS.Timeout | null = null;

  constructor(options: SimGatewayOptions) {
    if (!options.id || options.id.length > 128) throw new Error('gateway id must be 1..128 characters');
    this.options = options;
    this.id = options.id;
    this.name = options.name;
    this.onCommand = options.onCommand ?? (() => ({ status: 'done' }));
  }

  get epoch(): string {
    return this.currentEpoch;
  }
  /** The seq of the last UPDATE published in this epoch (0 before the first). */
  get seq(): number {
    return this.lastSeq;
  }
  get state(): ReadonlyMap<string, StateItem> {
    return this.items;
  }
  get frozen(): boolean {
    return this.isFrozen;
  }
  get started(): boolean {
    return this.running;
  }

  get(type: StateItemType, id: string): StateItem | undefined {
    return this.items.get(itemKey({ type, id }));
  }

  /** Connects to every host and says HELLO. Items set before start are in the state (snapshots) but were never published. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const targets: HostTarget[] = [{ endpoints: this.options.endpoints, hostPublicKey: this.options.hostPublicKey }, ...(this.options.extraHosts ?? [])];
    for (const target of targets) this.links.push(this.openLink(target));
    for (const link of this.links) link.receiving = this.receiveLoop(link);
    const heartbeatMs = this.options.heartbeatMs ?? HEARTBEAT_INTERVAL_MS;
    this.heartbeatTimer = setInterval(() => this.heartbeatTick(), Math.max(50, Math.floor(heartbeatMs / 4)));
    this.heartbeatTimer.unref();
    this.lastPublishAt = Date.now();
    this.sayHello();
    this.helloTimer = setInterval(() => {
      if (this.isFrozen) return;
      for (const link of this.links) if (!link.heard) this.sendHello(link);
    }, this.options.helloRepeatMs ?? 5000);
    this.helloTimer.unref();
  }

  /** Closes every socket; pending sends are dropped (linger 0). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.helloTimer) clearInterval(this.helloTimer);
    this.heartbeatTimer = this.helloTimer = null;
    this.held = [];
    const links = this.links;
    this.links = [];
    for (const waiter of this.unfrozenWaiters.splice(0)) waiter();
    for (const link of links) {
      link.pub.close();
      link.dealer.close();
    }
    await Promise.allSettled(links.map((link) => link.receiving));
  }

  /** Sets (adds or replaces) an item and publishes it as one UPDATE. Returns its seq (0 when not started). */
  set(input: StateItemInput): number {
    const item = stateItem.parse(input);
    this.items.set(itemKey(item), item);
    return this.publishUpdate('set', item);
  }

  /** Deletes an item (published with its last value, as the schema wants a full item). False if absent. */
  delete(type: StateItemType, id: string): boolean {
    const key = itemKey({ type, id });
    const item = this.items.get(key);
    if (!item) return false;
    this.items.delete(key);
    this.publishUpdate('delete', item);
    return true;
  }

  /** Complete silence (no HUGZ, UPDATE, HELLO or replies) until unfreeze(); held messages are then sent in order. */
  freeze(): void {
    this.isFrozen = true;
  }

  unfreeze(): void {
    if (!this.isFrozen) return;
    this.isFrozen = false;
    const held = this.held;
    this.held = [];
    for (const send of held) send();
    for (const waiter of this.unfrozenWaiters.splice(0)) waiter();
    this.lastPublishAt = Date.now();
  }

  /** As if the gateway process restarted with its state kept: new epoch, the next UPDATE is seq 1, HELLO again. */
  restart(): void {
    this.currentEpoch = newEpoch();
    this.lastSeq = 0;
    for (const link of this.links) link.heard = false;
    if (this.running) this.sayHello();
  }

  /**
   * Publishes n readings as fast as possible (for sensor `sensorId`, or spread over the sensors in
   * state, or a synthetic "burst" sensor when there are none). Returns the last seq.
   */
  burst(n: number, sensorId?: string): number {
    const sensors = sensorId ? [sensorId] : [...this.items.values()].filter((item) => item.type === 'sensor').map((item) => item.id);
    if (sensors.length === 0) sensors.push(`${this.id}-burst`);
    let last = this.lastSeq;
    for (let i = 0; i < n; i++) {
      last = this.set({ type: 'reading', id: sensors[i % sensors.length]!, at: Date.now(), value: i, extra: {} });
    }
    return last;
  }

  /** Advances seq by n without publishing: the host sees a gap on the next UPDATE. */
  skipSeq(n = 1): void {
    this.lastSeq += n;
  }

  /** Sends one malformed message on the PUB ('updates', default) or the DEALER ('control'). */
  sendMalformed(kind: MalformedKind, channel: 'updates' | 'control' = 'updates'): void {
    const header = { v: GATEWAY_PROTOCOL_VERSION, gw: this.id, epoch: this.currentEpoch };
    const word = channel === 'updates' ? 'UPDATE' : 'HELLO';
    let frames: Frames;
    switch (kind) {
      case 'not-json':
        frames = [word, Buffer.from('{"v":1,"gw":', 'utf8')];
        break;
      case 'wrong-frames':
        frames = [word, JSON.stringify({ ...header, seq: this.lastSeq, name: this.name })];
        break;
      case 'schema':
        // A plausible message with a bad field: an UPDATE whose reading has no value, or a HELLO with seq -1.
        frames =
          channel === 'updates'
            ? [word, JSON.stringify({ ...header, seq: this.lastSeq + 1, at: Date.now(), op: 'set', item: { type: 'reading', id: 'x', at: Date.now() } })]
            : [word, JSON.stringify({ ...header, seq: -1, name: this.name })];
        break;
      case 'oversized':
        frames = [word, JSON.stringify({ ...header, padding: 'x'.repeat(GATEWAY_MAX_MESSAGE_BYTES + 1024) })];
        break;
      case 'unknown-kind':
        frames = ['GOSSIP', JSON.stringify(header)];
        break;
      case 'wrong-version':
        frames = ['HUGZ', JSON.stringify({ ...header, v: GATEWAY_PROTOCOL_VERSION + 1, seq: this.lastSeq, at: Date.now() })];
        break;
    }
    for (const link of this.links) {
      // signed like any message, so only the malformation itself is wrong ('wrong-frames' adds a fourth frame)
      const signed = [...frames, messageMac(link.macKey, frames[0]!, frames[1]!), ...(kind === 'wrong-frames' ? ['extra'] : [])];
      this.enqueue(link, channel === 'updates' ? 'pub' : 'dealer', signed, true);
    }
  }

  // ---------------------------------------------------------------- internals

  private lastPublishAt = 0;

  private openLink(target: HostTarget): Link {
    const curve = {
      curveServerKey: target.hostPublicKey,
      curvePublicKey: this.options.keyPair.publicKey,
      curveSecretKey: this.options.keyPair.secretKey,
    };
    const common = {
      ...curve,
      maxMessageSize: GATEWAY_MAX_MESSAGE_BYTES,
      heartbeatInterval: 1000,
      heartbeatTimeout: 3000,
      heartbeatTimeToLive: 3000,
      linger: 0,
      reconnectInterval: 250,
      reconnectMaxInterval: 5000,
    };
    const pub = new zmq.Publisher({ ...common, sendHighWaterMark: this.options.publishHighWaterMark ?? 10_000 });
    const dealer = new zmq.Dealer({ ...common, routingId: this.id, sendHighWaterMark: 1000, receiveHighWaterMark: 1000, sendTimeout: 2000 });
    for (const socket of [pub, dealer]) {
      socket.events.on('handshake', () => this.stats.handshakes++);
      socket.events.on('handshake:error:auth', (event) => {
        this.stats.authFailures++;
        this.log(`${this.id}: CURVE/ZAP authentication refused by ${event.address}`);
      });
      socket.events.on('handshake:error:protocol', (event) => this.log(`${this.id}: handshake protocol error with ${event.address}`));
      socket.events.on('disconnect', () => this.stats.disconnects++);
    }
    pub.connect(target.endpoints.updates);
    dealer.connect(target.endpoints.control);
    const macKey = messageMacKey(this.options.keyPair, target.hostPublicKey);
    return { target, macKey, pub, dealer, pubChain: Promise.resolve(), dealerChain: Promise.resolve(), heard: false, receiving: null };
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  private header(): { v: typeof GATEWAY_PROTOCOL_VERSION; gw: string; epoch: string } {
    return { v: GATEWAY_PROTOCOL_VERSION, gw: this.id, epoch: this.currentEpoch };
  }

  /** Queues frames on a socket (sends are serialised per socket); held while frozen unless `raw`. */
  private enqueue(link: Link, which: 'pub' | 'dealer', frames: Frames, raw = false): void {
    const go = () => {
      if (!this.running || !this.links.includes(link)) return;
      const socket = which === 'pub' ? link.pub : link.dealer;
      const chain = (which === 'pub' ? link.pubChain : link.dealerChain).then(async () => {
        if (socket.closed) return;
        try {
          await socket.send(frames);
        } catch (error) {
          if (socket.closed) return;
          this.stats.sendFailures++;
          this.log(`${this.id}: send failed: ${String(error)}`);
        }
      });
      if (which === 'pub') link.pubChain = chain;
      else link.dealerChain = chain;
    };
    if (this.isFrozen && !raw) this.held.push(go);
    else go();
  }

  private send<K extends MessageKind>(link: Link, which: 'pub' | 'dealer', kind: K, body: MessageOf<K>): void {
    const [word, json] = encodeGatewayMessage(kind, body);
    if (Buffer.byteLength(json, 'utf8') > GATEWAY_MAX_MESSAGE_BYTES - 64) {
      this.stats.sendFailures++;
      this.log(`${this.id}: ${kind} too large, not sent`);
      return;
    }
    this.enqueue(link, which, [word, json, messageMac(link.macKey, word, json)]);
  }

  private publishUpdate(op: 'set' | 'delete', item: StateItem): number {
    if (!this.running) return 0;
    const body: UpdateBody = { ...this.header(), seq: ++this.lastSeq, at: Date.now(), op, item };
    this.stats.updates++;
    for (const link of this.links) this.send(link, 'pub', 'UPDATE', body);
    if (!this.isFrozen) this.lastPublishAt = Date.now();
    return body.seq;
  }

  private heartbeatTick(): void {
    if (!this.running || this.isFrozen) return;
    const heartbeatMs = this.options.heartbeatMs ?? HEARTBEAT_INTERVAL_MS;
    const now = Date.now();
    if (now - this.lastPublishAt < heartbeatMs) return;
    this.lastPublishAt = now;
    this.stats.hugz++;
    for (const link of this.links) this.send(link, 'pub', 'HUGZ', { ...this.header(), seq: this.lastSeq, at: now });
  }

  private sayHello(): void {
    for (const link of this.links) this.sendHello(link);
  }

  private sendHello(link: Link): void {
    this.stats.hellos++;
    this.send(link, 'dealer', 'HELLO', { ...this.header(), seq: this.lastSeq, name: this.name.slice(0, 200) });
  }

  private waitUnfrozen(): Promise<void> {
    if (!this.isFrozen || !this.running) return Promise.resolve();
    return new Promise((resolve) => this.unfrozenWaiters.push(resolve));
  }

  private async receiveLoop(link: Link): Promise<void> {
    try {
      for await (const frames of link.dealer) {
        // Frozen: messages wait (as in a stopped process's socket buffers) and are handled afterwards.
        await this.waitUnfrozen();
        if (!this.running) break;
        link.heard = true;
        let message: ReturnType<typeof decodeGatewayMessage>;
        try {
          message = decodeGatewayMessage(frames);
        } catch (error) {
          this.stats.malformedReceived++;
          this.log(`${this.id}: dropped a malformed message: ${(error as Error).message}`);
          continue;
        }
        if (message.kind === 'SNAPSHOT') this.answerSnapshot(link, message.body.requestId);
        else if (message.kind === 'COMMAND') void this.handleCommand(link, message.body.command);
        else {
          this.stats.malformedReceived++;
          this.log(`${this.id}: dropped ${message.kind}: not a host → gateway message`);
        }
      }
    } catch (error) {
      if (!link.dealer.closed) this.log(`${this.id}: receive loop ended: ${String(error)}`);
    }
  }

  /** SNAP chunks (≤ 500 items, each within the size limit) then SNAPEND, all from one synchronous copy of the state. */
  private answerSnapshot(link: Link, requestId: string): void {
    this.stats.snapshots++;
    const items = [...this.items.values()];
    const seq = this.lastSeq;
    let chunk: StateItem[] = [];
    let bytes = 0;
    const flush = () => {
      this.stats.snapChunks++;
      this.send(link, 'dealer', 'SNAP', { ...this.header(), requestId, items: chunk });
      chunk = [];
      bytes = 0;
    };
    for (const item of items) {
      const size = Buffer.byteLength(JSON.stringify(item), 'utf8') + 1;
      if (chunk.length > 0 && (chunk.length >= SNAPSHOT_CHUNK_ITEMS || bytes + size > SNAP_CHUNK_BYTES)) flush();
      chunk.push(item);
      bytes += size;
    }
    if (chunk.length > 0) flush();
    this.send(link, 'dealer', 'SNAPEND', { ...this.header(), requestId, seq, count: items.length });
  }

  private async handleCommand(link: Link, command: FieldCommand): Promise<void> {
    this.stats.commands++;
    const known = this.commands.get(command.id);
    if (known) {
      // Idempotent: no second effect; the first ACK again, byte for byte.
      this.stats.duplicateCommands++;
      const ack = await known.ack;
      this.sendAck(link, ack);
      return;
    }
    const ack = (async (): Promise<AckBody> => {
      let result: CommandResult;
      const expiresAt = command.params.expiresAt;
      if (typeof expiresAt === 'number' && Date.now() >= expiresAt) {
        // Too late to act (docs/gateway-protocol.md, commands): no effect, and the host is told why.
        result = { status: 'rejected', detail: 'expired: past its deadline, not carried out' };
      } else {
        this.effects.set(command.id, (this.effects.get(command.id) ?? 0) + 1);
        try {
          result = await this.onCommand(command, this);
        } catch (error) {
          result = { status: 'rejected', detail: `error: ${String(error)}` };
        }
      }
      const body: AckBody = { ...this.header(), id: command.id, status: result.status, at: Date.now() };
      if (result.detail !== undefined) body.detail = result.detail.slice(0, 500);
      this.acks.set(command.id, body);
      return body;
    })();
    this.commands.set(command.id, { command, ack });
    const limit = this.options.rememberCommands ?? 10_000;
    while (this.commands.size > limit) {
      const oldest = this.commands.keys().next().value as string;
      this.commands.delete(oldest);
      this.acks.delete(oldest);
    }
    this.sendAck(link, await ack);
  }

  private sendAck(link: Link, ack: AckBody): void {
    this.stats.acks++;
    this.send(link, 'dealer', 'ACK', ack);
  }
}

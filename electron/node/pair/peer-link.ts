/**
 * The peer link of a primary/backup pair over ZeroMQ with CURVE. Each node binds a ROUTER (CURVE
 * server, its own key; the shared ZAP handler admits only the peer's public key) and connects a
 * DEALER to the peer's ROUTER (CURVE client: it accepts only the peer's server key). So each side
 * proves its key to the other, and nothing else on the network can speak on the link.
 *
 * What goes where: a node sends its heartbeats and its journal requests through its DEALER; the
 * peer's ROUTER receives them and answers journal requests to the sender's routing id, which comes
 * back on the DEALER. Every frame is one JSON message of at most PEER_MAX_FRAME_BYTES (libzmq
 * drops a connection that sends more), validated against the contract's peerFrame before use;
 * anything else is counted and logged (rate-limited) and never reaches the pair service.
 */
import * as zmq from 'zeromq';
import { PEER_MAX_FRAME_BYTES, peerFrame, type PairNode, type PeerFrame } from '../../../native-bridge/contract.js';
import type { CurveKeyPair } from '../gateway/keys.js';
import { rateLimited, type GatewayLog } from '../gateway/log.js';
import { ZapHandler } from '../gateway/zap.js';

/** What a ROUTER answers to a request (every `*.entries` frame), back on the asker's DEALER. */
export type PeerReply = Extract<PeerFrame, { kind: `${string}.entries` }>;
/** What a node sends on its DEALER (heartbeats and `*.request` frames); the peer's ROUTER receives it. */
export type PeerRequest = Exclude<PeerFrame, PeerReply>;
const isReply = (frame: PeerFrame): frame is PeerReply => frame.kind.endsWith('.entries');

export interface PeerLinkHandlers {
  /** A frame from the peer's DEALER (heartbeats, requests); `reply` answers it on the same connection. */
  onRequest(frame: PeerRequest, reply: (frame: PeerReply) => void): void;
  /** An answer to one of this node's requests. */
  onReply(frame: PeerReply): void;
}

export interface PeerLinkOptions {
  self: PairNode;
  peer: PairNode;
  keyPair: CurveKeyPair;
  handlers: PeerLinkHandlers;
  log: GatewayLog;
}

/** Frames waiting to be written on the DEALER; more are dropped (a heartbeat a second later says the same). */
const SEND_QUEUE_LIMIT = 16;

let linkCounter = 0;

/** zeromq.js allows one send in progress per socket: frames go out one after the other, at most `limit` waiting. */
class SerialSender {
  private chain: Promise<void> = Promise.resolve();
  private waiting = 0;

  constructor(
    private readonly socket: zmq.Router | zmq.Dealer,
    private readonly limit: number,
    private readonly onDropped: () => void,
  ) {}

  send(message: string | (Buffer | string)[]): void {
    if (this.waiting >= this.limit) {
      this.onDropped();
      return;
    }
    this.waiting++;
    this.chain = this.chain.then(async () => {
      try {
        await this.socket.send(message);
      } catch {
        // EAGAIN: no connected peer (immediate) or its queue is full; EHOSTUNREACH: the asker is gone
        this.onDropped();
      } finally {
        this.waiting--;
      }
    });
  }

  settled(): Promise<void> {
    return this.chain;
  }
}

export class PeerLink {
  /** Frames refused (unreadable, not the contract's) and frames dropped for a full queue. */
  readonly counters = { refused: 0, dropped: 0, zapRefusals: 0 };
  private readonly zapDomain = `ioc-wall-pair-${process.pid}-${++linkCounter}`;
  private readonly router: zmq.Router;
  private readonly dealer: zmq.Dealer;
  private zap: ZapHandler | null = null;
  private loops: Promise<void>[] = [];
  private readonly toPeer: SerialSender;
  private readonly replies: SerialSender;
  private closed = false;
  private readonly limitedLog: ReturnType<typeof rateLimited>;

  constructor(private readonly options: PeerLinkOptions) {
    this.limitedLog = rateLimited(options.log);
    const keys = { curvePublicKey: options.keyPair.publicKey, curveSecretKey: options.keyPair.secretKey };
    const common = { linger: 0, maxMessageSize: PEER_MAX_FRAME_BYTES, heartbeatInterval: 1000, heartbeatTimeout: 3000 };
    this.router = new zmq.Router({ ...common, ...keys, curveServer: true, zapDomain: this.zapDomain, mandatory: true, sendTimeout: 0, receiveHighWaterMark: 256 });
    // Never fall back to "accept every key" if the ZAP handler were missing.
    this.router.zapEnforceDomain = true;
    // immediate: nothing queues for a peer that is not connected; a heartbeat from the past is worthless
    this.dealer = new zmq.Dealer({ ...common, ...keys, curveServerKey: options.peer.publicKey, immediate: true, sendTimeout: 0, sendHighWaterMark: SEND_QUEUE_LIMIT, reconnectInterval: 200, reconnectMaxInterval: 1000 });
    const dropped = () => this.counters.dropped++;
    this.toPeer = new SerialSender(this.dealer, SEND_QUEUE_LIMIT, dropped);
    this.replies = new SerialSender(this.router, SEND_QUEUE_LIMIT, dropped);
  }

  /** Binds this node's end (the ZAP handler first) and connects to the peer's; the peer need not be up. */
  async start(): Promise<void> {
    this.zap = await ZapHandler.acquire(this.options.log);
    this.zap.register(this.zapDomain, {
      keys: new Map([[this.options.peer.publicKey, this.options.peer.id]]),
      onRefused: () => this.counters.zapRefusals++,
    });
    await this.router.bind(this.options.self.peerBind ?? this.options.self.peerLink);
    this.dealer.connect(this.options.peer.peerLink);
    this.loops = [this.receive(this.router, true), this.receive(this.dealer, false)];
  }

  /** The endpoint bound (a resolved port when the config said :0). */
  get boundEndpoint(): string | undefined {
    return this.router.lastEndpoint ?? undefined;
  }

  /** Sends a heartbeat or a request to the peer; dropped when the link is down or backed up. */
  send(frame: PeerRequest): void {
    if (!this.closed) this.toPeer.send(JSON.stringify(frame));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.router.close();
    this.dealer.close();
    await Promise.allSettled(this.loops);
    await Promise.all([this.toPeer.settled(), this.replies.settled()]);
    if (this.zap) await this.zap.release(this.zapDomain);
    this.zap = null;
  }

  private async receive(socket: zmq.Router | zmq.Dealer, fromRouter: boolean): Promise<void> {
    try {
      for await (const frames of socket) {
        try {
          if (fromRouter) this.onRouter(frames);
          else this.onDealer(frames);
        } catch (error) {
          // a handler's failure is the host's bug, not the peer's: log it and keep the link
          this.options.log({ level: 'error', msg: 'pair: peer frame handler failed', error: String(error) });
        }
      }
    } catch (error) {
      if (!this.closed) this.options.log({ level: 'error', msg: 'pair: peer link receive loop ended', error: String(error) });
    }
  }

  private parse(body: Buffer | undefined): PeerFrame | null {
    let value: unknown;
    try {
      value = body ? JSON.parse(body.toString('utf8')) : undefined;
    } catch {
      value = undefined;
    }
    const parsed = peerFrame.safeParse(value);
    if (parsed.success) return parsed.data;
    this.counters.refused++;
    this.limitedLog('refused', { level: 'warn', msg: 'pair: refused a peer frame', issue: parsed.error.issues[0]?.message, path: parsed.error.issues[0]?.path.join('.') });
    return null;
  }

  private onRouter(frames: Buffer[]): void {
    const [routingId, body, ...extra] = frames;
    const frame = extra.length === 0 ? this.parse(body) : (this.counters.refused++, null);
    if (!frame || !routingId) return;
    if (isReply(frame)) {
      this.counters.refused++;
      return;
    }
    this.options.handlers.onRequest(frame, (answer) => this.replies.send([routingId, JSON.stringify(answer)]));
  }

  private onDealer(frames: Buffer[]): void {
    const frame = frames.length === 1 ? this.parse(frames[0]) : (this.counters.refused++, null);
    if (!frame) return;
    if (!isReply(frame)) {
      this.counters.refused++;
      return;
    }
    this.options.handlers.onReply(frame);
  }
}

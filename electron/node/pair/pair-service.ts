/**
 * The pair service: Binary Star (electron/common/binary-star.ts) over the peer link, acting on the
 * core. It heartbeats every second (and at once on a change of state), ticks the state machine, and:
 * - while this node is active, answers the standby's journal requests from the wall journal;
 * - while it stands by, keeps its wall controller a replica and pulls the active node's journal
 *   entries as soon as a heartbeat shows a higher revision, applying them through the controller
 *   (so revisions, request ids, replay and audit stay the same path as a command of its own);
 * - copies the active node's field command outbox (pending commands), alerts and acknowledgements,
 *   display enrolments, and its replicated feeds (accounts and sessions, scenario runs, the audit
 *   chain: replicated-feed.ts) with each heartbeat it hears;
 * - answers pair.activeLost (the client vote), pair.switchover and pair.failback (audited);
 * - raises the pair's alerts: standby lost, active lost, replication behind or stuck, two actives.
 */
import {
  ContractError,
  PEER_JOURNAL_BATCH,
  PEER_JOURNAL_REPLY_BYTES,
  PEER_PROTOCOL_VERSION,
  pairNodeName,
  pairSides,
  type Actor,
  type PairConfig,
  type PairNode,
  type PairStatus,
  type PeerFrame,
  type PeerHeartbeat,
} from '../../../native-bridge/contract.js';
import { BinaryStar, STAR_TIMINGS, type StarResult } from '../../common/binary-star.js';
import type { AuditSink, FieldCommandPort, PairPort } from '../../common/ports.js';
import type { AlertService } from '../alert-service.js';
import type { DisplayAccess } from '../displays/display-access.js';
import type { CurveKeyPair } from '../gateway/keys.js';
import type { GatewayLog } from '../gateway/log.js';
import type { WallController } from '../wall-controller.js';
import { PairAlerts } from './pair-alerts.js';
import { PeerLink, type PeerReply, type PeerRequest } from './peer-link.js';
import type { ReplicatedFeed } from './replicated-feed.js';
import { standbyError } from './standby-gate.js';

type Entries = Extract<PeerFrame, { kind: 'journal.entries' }>;
type OutboxEntries = Extract<PeerFrame, { kind: 'outbox.entries' }>;
type AlertsEntries = Extract<PeerFrame, { kind: 'alerts.entries' }>;
type DisplaysEntries = Extract<PeerFrame, { kind: 'displays.entries' }>;
type Feed = 'journal' | 'outbox' | 'alerts' | 'displays' | ReplicatedFeed['requestKind'];

/** Outbox rows read per answer (field commands are small; a page stays far below a frame's bound). */
const OUTBOX_PAGE = 64;

export interface PairTimings {
  tickMs: number;
  heartbeatMs: number;
  deadMs: number;
  /** A standby behind for this long raises "replication behind". */
  behindAlertMs: number;
  /** A journal request unanswered for this long is asked again. */
  journalRetryMs: number;
  /** How long a switchover waits for the standby to catch up. */
  catchUpMs: number;
}

/** How soon after a commit the active node tells its standby the new revision. */
const SOON_MS = 10;

export const PAIR_TIMINGS: PairTimings = { tickMs: 250, heartbeatMs: STAR_TIMINGS.heartbeatMs, deadMs: STAR_TIMINGS.deadMs, behindAlertMs: 10_000, journalRetryMs: 2000, catchUpMs: 5000 };

export interface PairServiceOptions {
  pair: PairConfig;
  nodeId: string;
  keyPair: CurveKeyPair;
  controller: WallController;
  alerts: AlertService;
  /** Display enrolments: the standby admits the displays enrolled on the active node. */
  displays: Pick<DisplayAccess, 'enrolments' | 'mirror'>;
  audit: AuditSink;
  /** The field command outbox (attached once the gateway link runs): the standby holds and delivers the active's pending commands too. */
  field: () => FieldCommandPort | null;
  /** What else the standby copies, each its own module (accounts and sessions, scenario runs, the audit chain). */
  feeds?: readonly ReplicatedFeed[];
  /** Puts the start preset up on an empty wall when this node first drives it. */
  seedWall: () => void;
  /** What the heartbeat tells the peer's console of this node. */
  counts: () => { startedAt: number; gatewaysUp: number; windowsConnected: number };
  log: GatewayLog;
  timings?: Partial<PairTimings>;
  clock?: () => number;
}

export class PairService implements PairPort {
  readonly self: PairNode;
  readonly peer: PairNode;
  private readonly star: BinaryStar;
  private readonly link: PeerLink;
  private readonly pairAlerts: PairAlerts;
  private readonly timings: PairTimings;
  private readonly clock: () => number;
  private readonly listeners = new Set<() => void>();
  private lastHeartbeat: PeerHeartbeat | null = null;
  /** When each feed was last asked for and not answered yet: one request at a time per feed. */
  private readonly asked = new Map<Feed, number>();
  /** Where in the active node's outbox and alerts this standby has read to (that node's own order and clock). */
  private outboxCursor = 0;
  private alertsCursor = { afterRow: 0, ackedFrom: 0 };
  private behindSince: number | null = null;
  private lastSentAt = 0;
  private lastNotified = '';
  private timer: NodeJS.Timeout | null = null;
  private soonTimer: NodeJS.Timeout | null = null;
  private unsubscribeAccepted = (): void => {};
  private readonly feeds: readonly ReplicatedFeed[];
  /** Whether this node drove the wall at the last change of state (feeds are told each change once). */
  private drove: boolean | null = null;

  constructor(private readonly options: PairServiceOptions) {
    const sides = pairSides(options.pair, options.nodeId);
    this.self = sides.self;
    this.peer = sides.peer;
    this.timings = { ...PAIR_TIMINGS, ...options.timings };
    this.clock = options.clock ?? Date.now;
    this.feeds = options.feeds ?? [];
    this.star = new BinaryStar(sides.configured, this.clock(), this.timings.deadMs);
    // the alerts name the peer as people call it, mid-sentence ("… không nghe thấy máy chủ dự phòng (ioc-b) …")
    const peerName = pairNodeName(options.pair, this.peer.id);
    const inSentence = (text: string) => (this.peer.name ? text : text.charAt(0).toLowerCase() + text.slice(1));
    this.pairAlerts = new PairAlerts(options.alerts, { vi: `${inSentence(peerName.vi)} (${this.peer.id})`, en: `${inSentence(peerName.en)} (${this.peer.id})` });
    if (options.keyPair.publicKey !== this.self.publicKey) {
      throw new Error(`node "${this.self.id}": the wall file gives publicKey ${this.self.publicKey}, but this data folder's key (keys/host-curve.json) is ${options.keyPair.publicKey}; put the data folder's public key in the wall file`);
    }
    this.link = new PeerLink({
      self: this.self,
      peer: this.peer,
      keyPair: options.keyPair,
      log: options.log,
      handlers: { onRequest: (frame, reply) => this.onRequest(frame, reply), onReply: (frame) => this.onReply(frame) },
    });
  }

  async start(): Promise<void> {
    this.applyState();
    await this.link.start();
    this.timer = setInterval(() => this.tick(), this.timings.tickMs);
    // a new revision is told at once (at most every SOON_MS), so the standby pulls it within a round trip
    this.unsubscribeAccepted = this.options.controller.onAccepted(() => {
      this.soonTimer ??= setTimeout(() => {
        this.soonTimer = null;
        this.sendHeartbeat();
      }, SOON_MS);
    });
    this.sendHeartbeat();
  }

  async close(): Promise<void> {
    this.unsubscribeAccepted();
    if (this.timer) clearInterval(this.timer);
    if (this.soonTimer) clearTimeout(this.soonTimer);
    this.timer = null;
    await this.link.close();
  }

  // --- PairPort -------------------------------------------------------------------------------

  serving(): boolean {
    return this.star.snapshot().state === 'active';
  }

  activeAddress(): string | null {
    if (this.serving()) return this.self.address;
    // the wall is on the peer or on nobody: the peer, unless it is heard saying it does not drive it either
    return this.peerLive() && this.lastHeartbeat?.state !== 'active' ? null : this.peer.address;
  }

  status(): PairStatus {
    const star = this.star.snapshot();
    const now = this.clock();
    const heard = this.lastHeartbeat;
    return {
      configured: star.configured,
      state: star.state,
      since: star.since,
      peer: {
        nodeId: this.peer.id,
        address: this.peer.address,
        state: heard?.state ?? null,
        heartbeatAgeMs: star.peerHeardAt === null ? null : Math.max(0, now - star.peerHeardAt),
        startedAt: heard?.startedAt ?? null,
        revision: heard?.revision ?? null,
        gatewaysUp: heard?.gatewaysUp ?? null,
        windowsConnected: heard?.windowsConnected ?? null,
      },
      replicationLagRevisions: this.lag(),
      twoActives: star.twoActives,
    };
  }

  activeLost(lostNode: string): PairStatus {
    // a client that lost this very node and reached it anyway has nothing to vote on
    if (lostNode !== this.self.id) {
      const result = this.star.handle({ kind: 'vote', at: this.clock() });
      if (result.accepted && result.changed) {
        this.options.log({ level: 'warn', msg: 'pair: took over the wall after a client vote', lostNode, term: this.star.snapshot().term });
        this.options.audit.record({ action: 'pair.takeover', actor: null, target: this.self.id, details: { lostNode, term: this.star.snapshot().term, revision: this.options.controller.currentRevision } });
      }
      this.act(result);
    }
    return this.status();
  }

  switchover(actor: Actor, reason: string): Promise<PairStatus> {
    return this.handOver('pair.switchover', actor, reason);
  }

  failback(actor: Actor, reason: string): Promise<PairStatus> {
    if (this.serving() && this.star.configured === 'primary') return Promise.reject(new ContractError('conflict', `the wall is already on the primary node ${this.self.id}`));
    return this.handOver('pair.failback', actor, reason);
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // --- state ----------------------------------------------------------------------------------

  private peerLive(): boolean {
    return this.star.snapshot().peerHeardAt !== null && this.star.peerAlive(this.clock());
  }

  /** Revisions the standby is behind, from this node's view; null while the peer is not heard. */
  private lag(): number | null {
    const heard = this.lastHeartbeat;
    if (!heard || !this.peerLive()) return null;
    const own = this.options.controller.currentRevision;
    const state = this.star.snapshot().state;
    if (state === 'active' && heard.state !== 'active') return Math.max(0, own - heard.revision);
    if (state !== 'active' && heard.state === 'active') return Math.max(0, heard.revision - own);
    return null;
  }

  private async handOver(action: 'pair.switchover' | 'pair.failback', actor: Actor, reason: string): Promise<PairStatus> {
    if (!this.serving()) throw standbyError(action, this.activeAddress());
    // what the standby must hold of each feed: all that was written before this moment
    const checks = this.feeds.map((feed) => ({ feed, holds: feed.handoverCheck() }));
    // the standby must hold every revision before it takes the wall
    const deadline = this.clock() + this.timings.catchUpMs;
    while (this.lag() !== 0) {
      if (this.lag() === null) throw new ContractError('conflict', `node ${this.peer.id} is not a live standby: there is nobody to hand the wall to`);
      if (this.clock() > deadline) throw new ContractError('conflict', `node ${this.peer.id} is still ${this.lag()} revisions behind after ${this.timings.catchUpMs} ms; try again`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // and every session and account (the console that asks moves there, signed in), run line and audit entry
    for (const { feed, holds } of checks) {
      while (!holds()) {
        if (!this.peerLive()) throw new ContractError('conflict', `node ${this.peer.id} is not a live standby: there is nobody to hand the wall to`);
        if (this.clock() > deadline) throw new ContractError('conflict', `node ${this.peer.id} has not copied the ${feed.replyKind.split('.')[0]} yet after ${this.timings.catchUpMs} ms; try again`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    const result = this.star.handle({ kind: 'handover', at: this.clock() });
    if (!result.accepted) throw new ContractError('conflict', result.refusal ?? 'the wall cannot be handed over now');
    this.options.audit.record({ action, actor, target: this.peer.id, details: { reason, revision: this.options.controller.currentRevision } });
    this.options.log({ level: 'info', msg: `pair: ${action}: handing the wall to ${this.peer.id}`, actor: actor.id });
    this.act(result);
    return this.status();
  }

  /** Acts on what the state machine answered: alarms to alerts, a new state to the controller, a heartbeat at once. */
  private act(result: StarResult): void {
    for (const alarm of result.alarms) {
      if (alarm === 'two-actives') {
        this.pairAlerts.raise('two-actives');
        this.options.log({ level: 'error', msg: 'pair: two active nodes', self: this.self.id, peer: this.peer.id, state: this.star.snapshot().state });
      }
    }
    if (result.changed) {
      this.options.log({ level: 'info', msg: `pair: ${this.self.id} is ${this.star.snapshot().state}`, term: this.star.snapshot().term });
      this.applyState();
      this.sendHeartbeat();
    }
    this.evaluateConditions();
    this.notifyIfChanged();
  }

  private applyState(): void {
    const serving = this.serving();
    if (serving !== this.drove) {
      this.drove = serving;
      for (const feed of this.feeds) feed.driving(serving);
    }
    if (serving) {
      // a later standby term reads the other node's outbox, in that node's own order, from its start
      this.outboxCursor = 0;
      this.alertsCursor = { afterRow: 0, ackedFrom: 0 };
      this.options.controller.followActive(null);
      try {
        this.options.seedWall();
      } catch (error) {
        this.options.log({ level: 'error', msg: 'pair: the start preset could not be put up', error: String(error) });
      }
    } else {
      this.options.controller.followActive(this.peer.address);
    }
  }

  private evaluateConditions(): void {
    const state = this.star.snapshot().state;
    const live = this.peerLive();
    const toggle = (condition: Parameters<PairAlerts['raise']>[0], on: boolean, detail?: Parameters<PairAlerts['raise']>[1]) => (on ? this.pairAlerts.raise(condition, detail) : this.pairAlerts.resolve(condition));
    // a primary that never heard its backup has no standby either (after the start grace)
    toggle('standby-lost', state === 'active' && !live && this.clock() - this.star.snapshot().since >= this.timings.deadMs);
    toggle('active-lost', state === 'passive' && !live);
    if (!this.star.snapshot().twoActives && this.pairAlerts.isOpen('two-actives')) this.pairAlerts.resolve('two-actives');
    const lag = this.lag();
    const now = this.clock();
    if (lag === null || lag === 0) this.behindSince = null;
    else this.behindSince ??= now;
    toggle('replication-behind', this.behindSince !== null && now - this.behindSince >= this.timings.behindAlertMs, { vi: `${lag ?? 0} phiên bản`, en: `${lag ?? 0} revisions` });
  }

  private notifyIfChanged(): void {
    const s = this.status();
    const key = `${s.state}|${s.peer.state}|${this.peerLive()}|${s.replicationLagRevisions}|${s.twoActives}`;
    if (key === this.lastNotified) return;
    this.lastNotified = key;
    this.listeners.forEach((listener) => listener());
  }

  private tick(): void {
    const now = this.clock();
    this.act(this.star.handle({ kind: 'tick', at: now }));
    if (now - this.lastSentAt >= this.timings.heartbeatMs) this.sendHeartbeat();
    this.askJournal();
  }

  private sendHeartbeat(): void {
    const star = this.star.snapshot();
    this.lastSentAt = this.clock();
    this.link.send({
      kind: 'heartbeat',
      v: PEER_PROTOCOL_VERSION,
      nodeId: this.self.id,
      state: star.state,
      term: star.term,
      handover: star.handingOver,
      revision: this.options.controller.currentRevision,
      ...this.options.counts(),
    });
  }

  // --- the peer's frames ----------------------------------------------------------------------

  private onRequest(frame: PeerRequest, reply: (frame: PeerReply) => void): void {
    if (frame.kind === 'heartbeat') {
      if (frame.nodeId !== this.peer.id) {
        this.options.log({ level: 'warn', msg: 'pair: a heartbeat names another node', expected: this.peer.id, got: frame.nodeId });
        return;
      }
      this.lastHeartbeat = frame;
      this.act(this.star.handle({ kind: 'peer', at: this.clock(), state: frame.state, term: frame.term, handover: frame.handover }));
      this.askJournal();
      this.askOutbox();
      this.askAlerts();
      if (this.followingLivePeer() && this.mayAsk('displays')) this.link.send({ kind: 'displays.request', v: PEER_PROTOCOL_VERSION });
      for (const feed of this.feeds) this.askFeed(feed);
      return;
    }
    const feed = this.feeds.find((f) => f.requestKind === frame.kind);
    if (feed) {
      // only the node that drives the wall answers: the asker asks again later
      if (this.serving()) reply(feed.answer(frame as never));
      return;
    }
    if (frame.kind === 'journal.request') reply(this.journalAnswer(frame.after, frame.limit));
    else if (frame.kind === 'outbox.request') reply(this.outboxAnswer(frame.after, frame.limit));
    else if (frame.kind === 'alerts.request') reply(this.alertsAnswer(frame.afterRow, frame.ackedFrom));
    else reply({ kind: 'displays.entries', v: PEER_PROTOCOL_VERSION, displays: this.serving() ? this.options.displays.enrolments() : null });
  }

  private onReply(frame: PeerReply): void {
    if (frame.kind === 'journal.entries') this.onEntries(frame);
    else if (frame.kind === 'outbox.entries') this.onOutbox(frame);
    else if (frame.kind === 'alerts.entries') this.onAlerts(frame);
    else if (frame.kind === 'displays.entries') this.onDisplays(frame);
    else this.onFeed(frame);
  }

  private askFeed(feed: ReplicatedFeed): void {
    if (!this.followingLivePeer() || !this.mayAsk(feed.requestKind)) return;
    this.link.send(feed.request() as PeerRequest);
  }

  private onFeed(frame: PeerReply): void {
    const feed = this.feeds.find((f) => f.replyKind === frame.kind);
    if (!feed) return;
    this.asked.delete(feed.requestKind);
    if (this.serving()) return;
    let result: { more: boolean; problem: string | null };
    try {
      result = feed.take(frame as never);
    } catch (error) {
      // a store failure (a full disk): asked again with the next heartbeat
      this.options.log({ level: 'warn', msg: `pair: ${frame.kind} from the active node could not be stored here`, error: String(error) });
      return;
    }
    if (result.problem) {
      if (!this.pairAlerts.isOpen(feed.condition)) this.options.log({ level: 'warn', msg: `pair: refused part of ${frame.kind} from ${this.peer.id}`, problem: result.problem });
      // the refusal names what was refused in the protocol's words, the same in both languages
      this.pairAlerts.raise(feed.condition, { vi: result.problem, en: result.problem });
    } else this.pairAlerts.resolve(feed.condition);
    if (result.more) this.askFeed(feed);
  }

  private onDisplays(frame: DisplaysEntries): void {
    this.asked.delete('displays');
    if (!frame.displays || this.serving()) return;
    try {
      this.options.displays.mirror(frame.displays);
    } catch (error) {
      this.options.log({ level: 'warn', msg: 'pair: the active node\'s display enrolments could not be stored here', error: String(error) });
    }
  }

  /** This node stands by an active peer it hears: the one whose journal, outbox and alerts it follows. */
  private followingLivePeer(): boolean {
    return !this.serving() && this.lastHeartbeat?.state === 'active' && this.peerLive();
  }

  /** One request at a time per feed; an unanswered one is asked again after journalRetryMs. */
  private mayAsk(feed: Feed): boolean {
    const now = this.clock();
    const at = this.asked.get(feed);
    if (at !== undefined && now - at < this.timings.journalRetryMs) return false;
    this.asked.set(feed, now);
    return true;
  }

  private alertsAnswer(afterRow: number, ackedFrom: number): AlertsEntries {
    const answer = { kind: 'alerts.entries', v: PEER_PROTOCOL_VERSION, afterRow } as const;
    // each node's pair alerts are its own view of the pair
    if (!this.serving()) return { ...answer, last: afterRow, more: false, alerts: [], acks: [], ackedUntil: ackedFrom };
    return { ...answer, ...this.options.alerts.feed(afterRow, ackedFrom, PEER_JOURNAL_BATCH, 'pair') };
  }

  /** The standby polls the active node's alerts with each heartbeat it hears. */
  private askAlerts(): void {
    if (!this.followingLivePeer() || !this.mayAsk('alerts')) return;
    this.link.send({ kind: 'alerts.request', v: PEER_PROTOCOL_VERSION, ...this.alertsCursor });
  }

  private onAlerts(frame: AlertsEntries): void {
    this.asked.delete('alerts');
    if (this.serving() || frame.afterRow !== this.alertsCursor.afterRow) return;
    try {
      this.options.alerts.mirror(frame.alerts, frame.acks);
    } catch (error) {
      this.options.log({ level: 'warn', msg: 'pair: the active node\'s alerts could not be stored here', error: String(error) });
      return;
    }
    this.alertsCursor = { afterRow: frame.last, ackedFrom: frame.ackedUntil };
    if (frame.more) this.askAlerts();
  }

  private outboxAnswer(after: number, limit: number): OutboxEntries {
    const port = this.options.field();
    const none: OutboxEntries = { kind: 'outbox.entries', v: PEER_PROTOCOL_VERSION, after, last: after, more: false, entries: [] };
    if (!this.serving() || !port) return none;
    return { kind: 'outbox.entries', v: PEER_PROTOCOL_VERSION, after, ...port.pendingSince(after, Math.min(limit, OUTBOX_PAGE)) };
  }

  /** The standby polls the active node's outbox with each heartbeat it hears (one request at a time). */
  private askOutbox(): void {
    if (!this.followingLivePeer() || !this.options.field() || !this.mayAsk('outbox')) return;
    this.link.send({ kind: 'outbox.request', v: PEER_PROTOCOL_VERSION, after: this.outboxCursor, limit: OUTBOX_PAGE });
  }

  /**
   * The active node's pending commands go into this node's outbox and out to their gateways too:
   * gateways act once per command id and answer every copy with the same ACK (docs/gateway-protocol.md
   * §10), so after a takeover a command still pending is delivered by this node, once.
   */
  private onOutbox(frame: OutboxEntries): void {
    this.asked.delete('outbox');
    const port = this.options.field();
    if (this.serving() || !port || frame.after !== this.outboxCursor) return;
    for (const { gateway, command } of frame.entries) {
      const failed = (error: unknown) => this.options.log({ level: 'warn', msg: 'pair: a replicated field command was not taken', id: command.id, gateway, error: String(error) });
      try {
        port.send(gateway, command).catch(failed);
      } catch (error) {
        failed(error);
      }
    }
    this.outboxCursor = frame.last;
    if (frame.more) this.askOutbox();
  }

  /** Entries after `after`, up to `limit` and about PEER_JOURNAL_REPLY_BYTES (at least one); none unless this node drives the wall. */
  private journalAnswer(after: number, limit: number): Entries {
    const head = this.options.controller.currentRevision;
    const answer: Entries = { kind: 'journal.entries', v: PEER_PROTOCOL_VERSION, after, head, entries: [] };
    if (!this.serving()) return answer;
    let bytes = 0;
    for (const entry of this.options.controller.journal(after, Math.min(limit, PEER_JOURNAL_BATCH))) {
      bytes += JSON.stringify(entry).length;
      if (answer.entries.length > 0 && bytes > PEER_JOURNAL_REPLY_BYTES) break;
      answer.entries.push(entry);
    }
    return answer;
  }

  /** The standby asks for what it lacks, one request at a time (asked again when unanswered). */
  private askJournal(): void {
    const heard = this.lastHeartbeat;
    const controller = this.options.controller;
    if (!heard || !this.followingLivePeer()) return;
    if (heard.revision < controller.currentRevision) {
      this.pairAlerts.raise('replication-stuck', { vi: `máy này có ${controller.currentRevision} phiên bản, máy đang hoạt động chỉ có ${heard.revision}`, en: `this node holds revision ${controller.currentRevision}, the active node ${heard.revision}` });
      return;
    }
    if (heard.revision === controller.currentRevision || !this.mayAsk('journal')) return;
    this.link.send({ kind: 'journal.request', v: PEER_PROTOCOL_VERSION, after: controller.currentRevision, limit: PEER_JOURNAL_BATCH });
  }

  private onEntries(frame: Entries): void {
    this.asked.delete('journal');
    const controller = this.options.controller;
    if (this.serving()) return;
    for (const entry of frame.entries) {
      if (entry.revision <= controller.currentRevision) continue;
      try {
        controller.replicate(entry);
      } catch (error) {
        this.pairAlerts.raise('replication-stuck', { vi: `phiên bản ${entry.revision}: ${(error as Error).message}`, en: `revision ${entry.revision}: ${(error as Error).message}` });
        this.options.log({ level: 'error', msg: 'pair: a journal entry could not be applied', revision: entry.revision, error: String(error) });
        return;
      }
    }
    this.pairAlerts.resolve('replication-stuck');
    this.notifyIfChanged();
    if (frame.head > controller.currentRevision) this.askJournal();
  }
}

/**
 * Binary Star (zguide ch. 4): the primary/backup pair's state machine, pure — no sockets, no clock
 * of its own; every event carries the time it happened. The pair service feeds it the peer's
 * heartbeats, the clients' votes and a timer, and acts on what it answers.
 *
 * States: PRIMARY and BACKUP wait to hear the peer at start; ACTIVE drives the wall; PASSIVE is the
 * hot standby. A passive node takes over only when its peer is dead (silent for `deadMs`) AND a
 * client votes that it lost the active node: a dead peer alone may be a cut peer link while the
 * clients still reach it. Failback is manual (a handover, below).
 *
 * Where this departs from the zguide, and why:
 * - Two actives (the zguide aborts): an alarm on both, and the node with the lower term goes
 *   passive. A term rises with each takeover, so the node that was elected while the other was away
 *   (a stalled primary coming back) keeps the wall; on equal terms the configured backup yields.
 * - Two passives (the zguide aborts): nobody drives the wall, so the configured primary takes it,
 *   unless one of them is handing the wall over (then the other takes it).
 * - A planned handover (switchover, failback): the active node goes passive saying `handover`; its
 *   passive peer, hearing that, becomes active with a higher term.
 * - A pause of this node's own process (SIGSTOP, a swap storm) is not the peer's silence: after a
 *   gap of `deadMs` between two events the peer gets `deadMs` of grace before it counts as dead.
 */
import { PAIR_HEARTBEAT_MS, PAIR_PEER_DEAD_MS, type PairState } from '../../native-bridge/contract.js';

export type Configured = 'primary' | 'backup';

export type StarEvent =
  /** A heartbeat from the peer. */
  | { kind: 'peer'; at: number; state: PairState; term: number; handover: boolean }
  /** A client (a wall window, the console) lost the active node and asks this one to serve. */
  | { kind: 'vote'; at: number }
  /** The service's timer: how peer death is noticed. */
  | { kind: 'tick'; at: number }
  /** A technician moves the wall to the peer (switchover, failback): allowed only when active with a live passive peer. */
  | { kind: 'handover'; at: number };

export type StarAlarm =
  /** The peer went silent for deadMs. */
  | 'peer-lost'
  /** The peer is heard again after it was lost. */
  | 'peer-back'
  /** Both nodes said ACTIVE. */
  | 'two-actives';

export interface StarResult {
  /** The state changed with this event. */
  changed: boolean;
  /** For a vote: this node serves now (it was active, or it took over). For a handover: it was done. */
  accepted: boolean;
  /** Why it was refused, for the caller's answer (votes and handovers). */
  refusal: string | null;
  alarms: StarAlarm[];
}

export interface StarSnapshot {
  configured: Configured;
  state: PairState;
  since: number;
  term: number;
  /** The peer's state in its last heartbeat (null: never heard). */
  peerState: PairState | null;
  peerHeardAt: number | null;
  peerTerm: number | null;
  /** This node handed the wall over and waits for its peer to take it. */
  handingOver: boolean;
  /** Both say ACTIVE right now (this node has not yielded yet: it holds the higher term). */
  twoActives: boolean;
}

export const STAR_TIMINGS = { heartbeatMs: PAIR_HEARTBEAT_MS, deadMs: PAIR_PEER_DEAD_MS } as const;

export class BinaryStar {
  private state: PairState;
  private since: number;
  private term = 0;
  private peerState: PairState | null = null;
  private peerHeardAt: number | null = null;
  private peerTerm: number | null = null;
  private handingOver = false;
  /** Until when the peer counts as alive without a heartbeat: start, each heartbeat, a pause of our own. */
  private peerDeadline: number;
  private peerWasAlive = false;
  private lastEventAt: number;

  constructor(
    readonly configured: Configured,
    startedAt: number,
    private readonly deadMs: number = STAR_TIMINGS.deadMs,
  ) {
    this.state = configured;
    this.since = startedAt;
    this.lastEventAt = startedAt;
    // zguide: a primary waits this long before a vote may make it active (the backup may be active).
    this.peerDeadline = startedAt + deadMs;
  }

  snapshot(): StarSnapshot {
    return {
      configured: this.configured,
      state: this.state,
      since: this.since,
      term: this.term,
      peerState: this.peerState,
      peerHeardAt: this.peerHeardAt,
      peerTerm: this.peerTerm,
      handingOver: this.handingOver,
      twoActives: this.state === 'active' && this.peerState === 'active' && this.peerAlive(this.lastEventAt),
    };
  }

  /** The peer was heard within deadMs (or is within its start or pause grace). */
  peerAlive(at: number): boolean {
    return at < this.peerDeadline;
  }

  handle(event: StarEvent): StarResult {
    const result: StarResult = { changed: false, accepted: false, refusal: null, alarms: [] };
    const before = this.state;
    const heardBefore = this.peerHeardAt !== null;
    this.observeClock(event.at);
    switch (event.kind) {
      case 'peer':
        this.onPeer(event, result);
        break;
      case 'vote':
        this.onVote(event.at, result);
        break;
      case 'handover':
        this.onHandover(event.at, result);
        break;
      case 'tick':
        break;
    }
    this.noticeLiveness(event.at, heardBefore, result);
    if (this.state !== before) {
      this.since = event.at;
      result.changed = true;
    }
    return result;
  }

  private observeClock(at: number): void {
    if (at - this.lastEventAt > this.deadMs) this.peerDeadline = Math.max(this.peerDeadline, at + this.deadMs);
    this.lastEventAt = Math.max(this.lastEventAt, at);
  }

  private noticeLiveness(at: number, heardBefore: boolean, result: StarResult): void {
    // never heard: neither lost nor back (the start grace is not a peer being alive); first heard: alive, no alarm
    if (this.peerHeardAt === null) return;
    if (!heardBefore) {
      this.peerWasAlive = true;
      return;
    }
    const alive = this.peerAlive(at);
    if (alive === this.peerWasAlive) return;
    this.peerWasAlive = alive;
    result.alarms.push(alive ? 'peer-back' : 'peer-lost');
    // a handover to a peer that died is over: a vote may bring the wall back here
    if (!alive) this.handingOver = false;
  }

  private becomeActive(): void {
    this.state = 'active';
    this.term = Math.max(this.term, this.peerTerm ?? 0) + 1;
    this.handingOver = false;
  }

  private onPeer(peer: Extract<StarEvent, { kind: 'peer' }>, result: StarResult): void {
    this.peerState = peer.state;
    this.peerHeardAt = peer.at;
    this.peerTerm = peer.term;
    this.peerDeadline = Math.max(this.peerDeadline, peer.at + this.deadMs);
    switch (this.state) {
      case 'primary':
        // the backup is waiting for us: we drive the wall; the peer already drives it: we stand by
        if (peer.state === 'backup') this.becomeActive();
        else if (peer.state === 'active') this.state = 'passive';
        break;
      case 'backup':
        if (peer.state === 'active') this.state = 'passive';
        break;
      case 'active':
        if (peer.state === 'active') {
          result.alarms.push('two-actives');
          const yields = peer.term > this.term || (peer.term === this.term && this.configured === 'backup');
          if (yields) this.state = 'passive';
        }
        break;
      case 'passive':
        if (peer.state === 'primary' || peer.state === 'backup') {
          // the peer restarted and waits: it will go passive when it hears us active
          this.becomeActive();
        } else if (peer.state === 'passive') {
          if (peer.handover) this.becomeActive();
          else if (!this.handingOver && this.configured === 'primary') this.becomeActive();
        } else if (peer.state === 'active') {
          this.handingOver = false;
        }
        break;
    }
    this.term = Math.max(this.term, peer.term);
  }

  private onVote(at: number, result: StarResult): void {
    switch (this.state) {
      case 'active':
        result.accepted = true;
        return;
      case 'backup':
        result.refusal = 'this backup node has not heard its primary since it started: it serves only after the primary was active';
        return;
      case 'primary':
      case 'passive':
        if (this.peerAlive(at)) {
          result.refusal = this.state === 'primary' ? 'this node is starting and waits to hear its peer' : 'the active node is alive: this node stays the standby';
          return;
        }
        this.becomeActive();
        result.accepted = true;
        return;
    }
  }

  private onHandover(at: number, result: StarResult): void {
    if (this.state !== 'active') {
      result.refusal = 'only the active node can hand the wall over';
      return;
    }
    if (!this.peerAlive(at) || this.peerState !== 'passive') {
      result.refusal = 'the other node is not a live standby: there is nobody to hand the wall to';
      return;
    }
    this.state = 'passive';
    this.handingOver = true;
    result.accepted = true;
  }
}

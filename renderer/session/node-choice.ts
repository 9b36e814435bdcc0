/**
 * Which node of a primary/backup pair a window talks to, and when it votes (docs/failover.md,
 * client side). Pure: the follower (node-follower.ts) feeds it what the link and the nodes say and
 * does what it answers. The rules, Binary Star's client side:
 * - a window stays on the node it reaches (its page's own node first): a window on the passive node
 *   runs hot and is marked, it does not move while its node answers;
 * - it learns the other node from its node's status (`pair.peer`: id and base URL);
 * - it loses its node (the link drops, a connection attempt fails): it tries the other one, and
 *   there votes `pair.activeLost` naming the node it lost, until that node serves;
 * - a vote the other node keeps turning down while it still hears its active peer means the lost
 *   node is alive (a blip on this window's link): the window goes back to it;
 * - a change refused with `standby` names the active node: a window on the passive node moves there
 *   (no vote: that node is active).
 */
import type { NodeStatus } from '../../native-bridge/contract.js';

/** A passive node that still hears its active peer this recently (and keeps refusing the vote) says the lost node lives. */
const PEER_ALIVE_MS = 2000;
/** How long a window votes before it believes such a passive node and goes back. */
export const VOTE_GIVE_UP_MS = 4000;

export interface KnownNode {
  address: string;
  /** Null until a status from it (or naming it as the peer) said. */
  nodeId: string | null;
}

/** What the window is doing about the pair. */
export type Following =
  /** Connected (or connecting) to the node it keeps to. */
  | { kind: 'steady' }
  /** Lost `lostNode`: on the other node, voting, since `since`. */
  | { kind: 'voting'; lostNode: string | null; since: number };

export class NodeChoice {
  private current: KnownNode;
  private other: KnownNode | null = null;
  private following: Following = { kind: 'steady' };

  constructor(home: string) {
    this.current = { address: normalise(home), nodeId: null };
  }

  /** The base URL to connect to now. */
  target(): string {
    return this.current.address;
  }

  /** The id of the node it is on (or connecting to), once known. */
  currentNodeId(): string | null {
    return this.current.nodeId;
  }

  /** The other node, once a status named it. */
  peer(): KnownNode | null {
    return this.other;
  }

  state(): Following {
    return this.following;
  }

  /**
   * A status from the node this window is connected to (hello's answer, status.changed). A status
   * from another node than the one expected (the old link's, in flight) is ignored. Answers what to do.
   */
  onStatus(status: Pick<NodeStatus, 'nodeId' | 'pair'>, now: number): 'vote' | 'go-back' | 'none' {
    if (this.current.nodeId !== null && status.nodeId !== this.current.nodeId) return 'none';
    this.current.nodeId = status.nodeId;
    const pair = status.pair;
    if (!pair) return 'none';
    this.other = { address: normalise(pair.peer.address), nodeId: pair.peer.nodeId };
    if (this.following.kind !== 'voting') return 'none';
    if (pair.state === 'active') {
      this.following = { kind: 'steady' };
      return 'none';
    }
    const peerAlive = pair.peer.state === 'active' && pair.peer.heartbeatAgeMs !== null && pair.peer.heartbeatAgeMs < PEER_ALIVE_MS;
    if (peerAlive && now - this.following.since >= VOTE_GIVE_UP_MS) {
      this.switchNode();
      this.following = { kind: 'steady' };
      return 'go-back';
    }
    return 'vote';
  }

  /** The link to the current node dropped, or an attempt to reach it failed. Answers whether to try the other node now. */
  onLost(now: number): boolean {
    if (!this.other) return false;
    const lostNode = this.current.nodeId;
    this.switchNode();
    // lost the node it fled to as well: it tries them in turn, and votes wherever it lands against the one it could not reach
    const since = this.following.kind === 'voting' ? this.following.since : now;
    this.following = { kind: 'voting', lostNode, since };
    return true;
  }

  /** A change was refused with `standby` naming `message`'s address: answers whether to move to the other node. */
  onStandbyRefusal(message: string): boolean {
    if (!this.other || !message.includes(this.other.address)) return false;
    this.switchNode();
    this.following = { kind: 'steady' };
    return true;
  }

  private switchNode(): void {
    if (!this.other) return;
    [this.current, this.other] = [this.other, this.current];
  }
}

/** Base URLs compared without a trailing slash (the wall file may write either). */
function normalise(address: string): string {
  return address.replace(/\/+$/, '');
}

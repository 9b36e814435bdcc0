/**
 * Scenario runs and their logs from the active node (scenarios/run-replica.ts does the rows): log
 * lines after the position this standby reached in the active node's log, with their runs'
 * documents. A takeover then finds every run with its procedure state; the scenario engine takes
 * them up once this node drives the wall.
 */
import { PEER_PROTOCOL_VERSION, type PeerFrame } from '../../../native-bridge/contract.js';
import type { RunReplica } from '../scenarios/run-replica.js';
import type { ReplicatedFeed } from './replicated-feed.js';

type Entries = Extract<PeerFrame, { kind: 'runs.entries' }>;

export class RunFeed implements ReplicatedFeed<'runs.request', 'runs.entries'> {
  readonly requestKind = 'runs.request';
  readonly replyKind = 'runs.entries';
  readonly condition = 'runs-refused';
  /** Where in the active node's log this standby has read to (that node's own numbering). */
  private after = 0;
  /** On the active node: where the standby said it had read to, in its last request. */
  private standbyAfter: number | null = null;

  constructor(private readonly replica: RunReplica) {}

  request() {
    return { kind: this.requestKind, v: PEER_PROTOCOL_VERSION, after: this.after } as const;
  }

  answer(request: Extract<PeerFrame, { kind: 'runs.request' }>): Entries {
    this.standbyAfter = request.after;
    return { kind: this.replyKind, v: PEER_PROTOCOL_VERSION, after: request.after, ...this.replica.page(request.after) };
  }

  take(reply: Entries) {
    // an answer to a request from before a change of the active node
    if (reply.after !== this.after) return { more: false, problem: null };
    const { refused } = this.replica.mirror(reply);
    this.after = reply.last;
    return { more: reply.more, problem: refused.length > 0 ? `${refused.length}: ${refused.slice(0, 3).join('; ')}` : null };
  }

  /** A step confirmed a moment before a switchover is in the run the standby takes up. */
  handoverCheck(): () => boolean {
    const then = this.replica.lastSeq();
    return () => this.standbyAfter !== null && this.standbyAfter >= then;
  }

  driving(): void {
    // a later standby term reads the other node's log from its start (lines already held are skipped)
    this.after = 0;
    this.standbyAfter = null;
  }
}

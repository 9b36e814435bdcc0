/**
 * The active node's own audit chain, copied into this node's separate copy of its peer's chain
 * (audit/peer-audit.ts), verified link by link: a break stops the copy and raises a critical alert.
 * The position is the copy's own head, so it survives restarts of either node.
 */
import { PEER_PROTOCOL_VERSION, type PeerFrame } from '../../../native-bridge/contract.js';
import type { Db } from '../database.js';
import { ownAuditAfter, ownAuditHead, type PeerAuditChain } from '../audit/peer-audit.js';
import type { ReplicatedFeed } from './replicated-feed.js';

type Entries = Extract<PeerFrame, { kind: 'audit.entries' }>;

export class AuditFeed implements ReplicatedFeed<'audit.request', 'audit.entries'> {
  readonly requestKind = 'audit.request';
  readonly replyKind = 'audit.entries';
  readonly condition = 'audit-broken';
  /** On the active node: the last entry of its chain the standby said it holds, in its last request. */
  private standbyAfter: number | null = null;

  constructor(
    private readonly db: Db,
    private readonly chain: PeerAuditChain,
    private readonly peerId: string,
  ) {}

  request() {
    return { kind: this.requestKind, v: PEER_PROTOCOL_VERSION, after: this.chain.head(this.peerId).seq } as const;
  }

  answer(request: Extract<PeerFrame, { kind: 'audit.request' }>): Entries {
    this.standbyAfter = request.after;
    return { kind: this.replyKind, v: PEER_PROTOCOL_VERSION, after: request.after, ...ownAuditAfter(this.db, request.after) };
  }

  take(reply: Entries) {
    if (reply.after !== this.chain.head(this.peerId).seq) return { more: false, problem: null };
    const { broken } = this.chain.append(this.peerId, reply.rows);
    return { more: reply.more && broken === null, problem: broken };
  }

  /** The audit of what was done just before a switchover (who signed in, who confirmed) is on the node that takes over. */
  handoverCheck(): () => boolean {
    const then = ownAuditHead(this.db);
    return () => this.standbyAfter !== null && this.standbyAfter >= then;
  }

  driving(): void {
    this.standbyAfter = null;
  }
}

/**
 * Accounts and live sessions from the active node (accounts/account-replica.ts does the rows): the
 * standby says the digest of the copy it took last, and gets a new copy only when it changed. So a
 * console signed in on the active node is signed in on the standby too, and an account disabled or
 * a session ended there is refused on both.
 */
import { PEER_ACCOUNTS_BYTES, PEER_ACCOUNTS_MAX, PEER_PROTOCOL_VERSION, PEER_SESSIONS_MAX, type PeerFrame } from '../../../native-bridge/contract.js';
import { copyDigest } from '../accounts/account-replica.js';
import type { AuthService } from '../accounts/auth-service.js';
import type { ReplicatedFeed } from './replicated-feed.js';

export class AccountFeed implements ReplicatedFeed<'accounts.request', 'accounts.entries'> {
  readonly requestKind = 'accounts.request';
  readonly replyKind = 'accounts.entries';
  readonly condition = 'accounts-refused';
  private digest: string | null = null;
  /** On the active node: the digest the standby said it holds, in its last request. */
  private standbyDigest: string | null = null;

  constructor(
    private readonly auth: Pick<AuthService, 'replica' | 'mirror'>,
    private readonly peerId: string,
  ) {}

  request() {
    return { kind: this.requestKind, v: PEER_PROTOCOL_VERSION, digest: this.digest } as const;
  }

  answer(request: Extract<PeerFrame, { kind: 'accounts.request' }>) {
    this.standbyDigest = request.digest;
    const copy = this.current();
    const digest = copyDigest(copy);
    return { kind: this.replyKind, v: PEER_PROTOCOL_VERSION, digest, replica: digest === request.digest ? null : copy } as const;
  }

  take(reply: Extract<PeerFrame, { kind: 'accounts.entries' }>) {
    if (!reply.replica) return { more: false, problem: null };
    const { refused } = this.auth.mirror(reply.replica, this.peerId);
    this.digest = reply.digest;
    return { more: false, problem: refused.length > 0 ? `${refused.length}: ${refused.slice(0, 3).join('; ')}` : null };
  }

  /** A console signed in a moment before a switchover must find its session on the node it moves to. */
  handoverCheck(): () => boolean {
    const then = copyDigest(this.current());
    return () => this.standbyDigest !== null && (this.standbyDigest === then || this.standbyDigest === copyDigest(this.current()));
  }

  private current() {
    return this.auth.replica.copy({ accounts: PEER_ACCOUNTS_MAX, sessions: PEER_SESSIONS_MAX, bytes: PEER_ACCOUNTS_BYTES });
  }

  driving(on: boolean): void {
    this.digest = null;
    this.standbyDigest = null;
    if (on) this.auth.replica.takeOverSessions();
    else this.auth.replica.handOverSessions(this.peerId);
  }
}

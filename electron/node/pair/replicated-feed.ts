/**
 * One thing a pair's standby copies from the active node with each heartbeat it hears (accounts
 * and sessions, scenario runs, the audit chain): the request the standby sends, the answer the
 * active node gives, and what the standby does with it. The pair service asks one request at a
 * time per feed, answers only while it drives the wall, and turns a feed's problem into its alert.
 */
import type { PeerFrame } from '../../../native-bridge/contract.js';
import type { PairCondition } from './pair-alerts.js';

type Frame<K extends PeerFrame['kind']> = Extract<PeerFrame, { kind: K }>;
type RequestKind = Extract<PeerFrame['kind'], `${string}.request`>;
type ReplyKind = Extract<PeerFrame['kind'], `${string}.entries`>;

export interface ReplicatedFeed<Q extends RequestKind = RequestKind, R extends ReplyKind = ReplyKind> {
  readonly requestKind: Q;
  readonly replyKind: R;
  /** The alert a refused copy raises (resolved by the next clean one). */
  readonly condition: PairCondition;
  /** The standby's next request. */
  request(): Frame<Q>;
  /** The active node's answer. */
  answer(request: Frame<Q>): Frame<R>;
  /** The standby takes an answer: more waiting (ask again at once), and what was refused (null: nothing). */
  take(reply: Frame<R>): { more: boolean; problem: string | null };
  /** This node starts (true) or stops (false) driving the wall. */
  driving(on: boolean): void;
  /**
   * On the active node, as a planned handover begins: a check of whether the standby's requests
   * show it holds all this feed held at that moment (the handover waits for it, so nothing written
   * just before the switchover stays behind; later writes are not waited for, or a busy wall could
   * never hand over).
   */
  handoverCheck(): () => boolean;
}

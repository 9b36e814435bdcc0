/**
 * What a window shows about the pair from its node's status: whether it is on the standby (the
 * DỰ PHÒNG mark) and which node drives the wall (the status tile). Pure.
 */
import { pairNodeName, type NodeStatus, type PairConfig, type PairState } from '../../native-bridge/contract.js';

export interface PairView {
  /** This window's node does not drive the wall (passive, or still starting): mark it. */
  standby: boolean;
  thisNode: { id: string; state: PairState };
  /** The node that drives the wall as this node knows it; null when neither is active. */
  driving: { id: string; state: PairState } | null;
}

/** Null for a standalone host (nothing to show). */
export function pairView(status: Pick<NodeStatus, 'nodeId' | 'pair'> | null): PairView | null {
  const pair = status?.pair;
  if (!status || !pair) return null;
  const thisNode = { id: status.nodeId, state: pair.state };
  const peer = pair.peer.state ? { id: pair.peer.nodeId, state: pair.peer.state } : null;
  const driving = pair.state === 'active' ? thisNode : peer?.state === 'active' ? peer : null;
  return { standby: pair.state !== 'active', thisNode, driving };
}

/** A node as people read it: the wall file's name (else primary / backup) with the id in brackets; the id alone when the pair is not known. */
export function nodeLabel(config: PairConfig | null | undefined, id: string, lang: string): string {
  return config ? `${pairNodeName(config, id)[lang === 'en' ? 'en' : 'vi']} (${id})` : id;
}

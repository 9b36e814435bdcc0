/**
 * When the technician's two buttons can work, from the node's own status: a planned switchover
 * (the primary hands the wall to its standby) and a failback (the backup hands it back). The host
 * checks the same again (pair-service.ts handOver); this only keeps the console from offering a
 * button the host would refuse, and says why. Pure: no DOM.
 */
import { PAIR_PEER_DEAD_MS, type NodeStatus } from '../../native-bridge/contract.js';

export type PairBlock = 'technicianOnly' | 'twoActives' | 'notActiveHere' | 'noStandby' | 'onBackup' | 'onPrimary';
export interface PairAction {
  enabled: boolean;
  /** Why not (an i18n key under pair.why); null when enabled. */
  why: PairBlock | null;
}

/** The peer was heard within the dead time (Binary Star's 2 s). */
export function peerLive(pair: NonNullable<NodeStatus['pair']>): boolean {
  return pair.peer.heartbeatAgeMs !== null && pair.peer.heartbeatAgeMs < PAIR_PEER_DEAD_MS;
}

export function pairActions(pair: NonNullable<NodeStatus['pair']>, mayMove: boolean): { switchover: PairAction; failback: PairAction } {
  const common: PairBlock | null = !mayMove
    ? 'technicianOnly'
    : pair.twoActives
      ? 'twoActives'
      : pair.state !== 'active'
        ? 'notActiveHere'
        : !peerLive(pair) || pair.peer.state !== 'passive'
          ? 'noStandby'
          : null;
  const action = (block: PairBlock | null): PairAction => ({ enabled: block === null, why: block });
  return {
    switchover: action(common ?? (pair.configured === 'primary' ? null : 'onBackup')),
    failback: action(common ?? (pair.configured === 'backup' ? null : 'onPrimary')),
  };
}

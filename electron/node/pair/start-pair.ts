/**
 * The pair service as the runtime composes it: from the wall file's `pair:` and --node, with this
 * data folder's own key pair, acting on the core. Null for a standalone wall.
 */
import { pairSides } from '../../../native-bridge/contract.js';
import { PeerAuditChain } from '../audit/peer-audit.js';
import type { Core } from '../core.js';
import { hostKeyFile, loadOrCreateKeyPair } from '../gateway/keys.js';
import type { GatewayLog } from '../gateway/log.js';
import { RunReplica } from '../scenarios/run-replica.js';
import { AccountFeed } from './account-feed.js';
import { AuditFeed } from './audit-feed.js';
import { PairService, type PairTimings } from './pair-service.js';
import { RunFeed } from './run-feed.js';

export async function startPair(core: Core, options: { pairNode: string | undefined; dataDir: string; log: GatewayLog; timings?: Partial<PairTimings> | undefined }): Promise<PairService | null> {
  const pair = core.wall.pair;
  if (!pair) {
    if (options.pairNode !== undefined) throw new Error(`--node "${options.pairNode}" was given, but wall "${core.wall.id}" names no pair: add a pair section to its wall file or leave --node out`);
    return null;
  }
  if (options.pairNode === undefined) throw new Error(`wall "${core.wall.id}" is driven by a pair (${pair.primary.id}, ${pair.backup.id}): start this host with --node <id>`);
  const peerId = pairSides(pair, options.pairNode).peer.id;
  const service = new PairService({
    pair,
    nodeId: options.pairNode,
    feeds: [new AccountFeed(core.auth, peerId), new RunFeed(new RunReplica(core.db, options.pairNode)), new AuditFeed(core.db, new PeerAuditChain(core.db), peerId)],
    keyPair: loadOrCreateKeyPair(hostKeyFile(options.dataDir)),
    controller: core.controller,
    alerts: core.alerts,
    displays: core.displays,
    audit: core.audit,
    field: () => core.attached.field(),
    seedWall: () => core.seedWall(),
    counts: () => {
      const status = core.status();
      return { startedAt: status.startedAt, gatewaysUp: status.links.filter((l) => l.state === 'up').length, windowsConnected: status.windows.filter((w) => w.connected).length };
    },
    log: options.log,
    ...(options.timings ? { timings: options.timings } : {}),
  });
  await service.start();
  return service;
}

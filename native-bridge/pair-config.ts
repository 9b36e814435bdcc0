/**
 * A wall's primary/backup pair as its wall file names it (layouts/walls/*.yaml `pair:`): each node's
 * id, the address windows open it by, its peer-link endpoint and its CURVE public key. A node's
 * secret key never appears here: it stays in that node's data folder. Pure: no Node, no DOM.
 */
import { z } from 'zod';

/** Binary Star's timings: a heartbeat every second, a peer unheard for 2 s is dead (the console's pair panel reads them too). */
export const PAIR_HEARTBEAT_MS = 1000;
export const PAIR_PEER_DEAD_MS = 2000;

/** Z85 text of a 32-byte CURVE key. */
export const curvePublicKey = z.string().regex(/^[0-9a-zA-Z.\-:+=^!/*?&<>()[\]{}@%$#]{40}$/, 'a CURVE public key is 40 Z85 characters');

const nodeId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-_]*$/, 'use lower-case letters, digits, "-" and "_"');

/** tcp://host:port — the ZeroMQ endpoint of a node's peer link. */
const tcpEndpoint = z.string().max(256).regex(/^tcp:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'a peer link is tcp://<host>:<port>');

export const pairNode = z.strictObject({
  id: nodeId,
  /** What people call the node (the technician's console, the pair's alerts); default: "máy chủ chính" / "máy chủ dự phòng". */
  name: z.string().trim().min(1).max(80).optional(),
  /** The base URL windows and display PCs open this node by (http(s)://host:port). */
  address: z.url({ protocol: /^https?$/ }).max(256),
  /** Where the other node connects this node's peer link. */
  peerLink: tcpEndpoint,
  /** What this node binds its peer link on, when it differs from peerLink (a NAT, a relay between the two). */
  peerBind: tcpEndpoint.optional(),
  /** The node's CURVE public key (its data folder's keys/host-curve.json): the only key its peer admits. */
  publicKey: curvePublicKey,
});
export type PairNode = z.infer<typeof pairNode>;

export const pairConfig = z
  .strictObject({ primary: pairNode, backup: pairNode })
  .superRefine((pair, ctx) => {
    if (pair.primary.id === pair.backup.id) ctx.addIssue({ code: 'custom', path: ['backup', 'id'], message: 'the two nodes need different ids' });
    if (pair.primary.publicKey === pair.backup.publicKey) ctx.addIssue({ code: 'custom', path: ['backup', 'publicKey'], message: 'each node has its own key pair' });
    if (pair.primary.peerLink === pair.backup.peerLink) ctx.addIssue({ code: 'custom', path: ['backup', 'peerLink'], message: 'each node has its own peer link endpoint' });
  });
export type PairConfig = z.infer<typeof pairConfig>;

/** This node and its peer in a pair, by this node's id (--node); throws naming the ids the pair knows. */
export function pairSides(pair: PairConfig, self: string): { configured: 'primary' | 'backup'; self: PairNode; peer: PairNode } {
  if (pair.primary.id === self) return { configured: 'primary', self: pair.primary, peer: pair.backup };
  if (pair.backup.id === self) return { configured: 'backup', self: pair.backup, peer: pair.primary };
  throw new Error(`--node "${self}" is not a node of this wall's pair (it has "${pair.primary.id}" and "${pair.backup.id}")`);
}

/** What people call a node of the pair: its `name` from the wall file, else which of the two it is. Ids stay secondary text. */
export function pairNodeName(pair: PairConfig, id: string): { vi: string; en: string } {
  const side = pair.primary.id === id ? 'primary' : 'backup';
  const name = pair[side].name;
  if (name) return { vi: name, en: name };
  return side === 'primary' ? { vi: 'Máy chủ chính', en: 'Primary node' } : { vi: 'Máy chủ dự phòng', en: 'Backup node' };
}

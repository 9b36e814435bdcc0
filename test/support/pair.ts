/**
 * A two-node wall for tests: the demo wall with a pair section naming two nodes on this machine,
 * each with its own data folder whose key pair (keys/host-curve.json) is created first, so the wall
 * file can carry the real public keys. Ports are free ones; `relayed` puts a port between the two
 * peer links (each node binds its own, its peer connects through the relay) so a test can cut it.
 */
import { join } from 'node:path';
import { hostKeyFile, loadOrCreateKeyPair } from '../../electron/node/gateway/keys.js';
import { writePairWallFile } from '../../electron/node/pair/pair-wall-file.js';
import { demoWallFile, tempDir } from './fixtures.js';
import { reservedPort } from './reserved-port.js';

export interface TestPairNode {
  id: 'ioc-a' | 'ioc-b';
  dataDir: string;
  port: number;
  address: string;
  /** The port the node binds its peer link on. */
  peerBindPort: number;
  /** The port its peer connects to (the relay's when relayed). */
  peerLinkPort: number;
}

export interface TestPair {
  wallFile: string;
  wallId: string;
  primary: TestPairNode;
  backup: TestPairNode;
}

export async function testPair(options: { relayed?: boolean } = {}): Promise<TestPair> {
  const node = async (id: TestPairNode['id']): Promise<TestPairNode> => {
    const port = await reservedPort();
    const peerBindPort = await reservedPort();
    return { id, dataDir: tempDir(`ioc-wall-${id}-`), port, address: `http://127.0.0.1:${port}`, peerBindPort, peerLinkPort: options.relayed ? await reservedPort() : peerBindPort };
  };
  const primary = await node('ioc-a');
  const backup = await node('ioc-b');
  const pairNode = (n: TestPairNode) => ({
    id: n.id,
    address: n.address,
    peerLink: `tcp://127.0.0.1:${n.peerLinkPort}`,
    ...(n.peerLinkPort !== n.peerBindPort ? { peerBind: `tcp://127.0.0.1:${n.peerBindPort}` } : {}),
    publicKey: loadOrCreateKeyPair(hostKeyFile(n.dataDir)).publicKey,
  });
  // the demo wall's id, so accounts made for tests (test/support/accounts.ts) land in the database the nodes open
  const wallId = 'demo';
  const wallFile = join(tempDir(), 'demo-pair.yaml');
  writePairWallFile(demoWallFile, { primary: pairNode(primary), backup: pairNode(backup) }, wallFile);
  return { wallFile, wallId, primary, backup };
}

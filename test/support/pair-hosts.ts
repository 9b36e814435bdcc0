/**
 * The two nodes of a test pair as real host processes (launch/start.ts --node), and what a client
 * of the pair does: read each node's status from its hello, vote on the standby when the active is
 * gone. Shared by the fault tests and the failover bench.
 */
import type { NodeStatus } from '../../native-bridge/contract.js';
import { spawnHost, type HostProcess } from './host-process.js';
import type { TestPair, TestPairNode } from './pair.js';
import { connectNodeClient } from './ws-client.js';
import { setTimeout as sleep } from 'node:timers/promises';

/** What a client knows of a node: its id and the address it opens (a test pair's node, or one the --pair launcher started). */
export type PairEndpoint = Pick<TestPairNode, 'address'> & { id: string };

export function spawnPairNode(pair: TestPair, node: TestPairNode, gatewaysFile?: string): Promise<HostProcess> {
  return spawnHost({ dataDir: node.dataDir, windows: 'none', wallFile: pair.wallFile, args: ['--node', node.id, '--port', String(node.port)], timeoutMs: 120_000, ...(gatewaysFile ? { gatewaysFile } : {}) });
}

/**
 * Both nodes of the pair started (each a process), then waits until the primary drives the wall
 * (its start preset up once it heard the backup) and the backup stands by at its revision.
 */
export async function startPairHosts(pair: TestPair, gatewaysFile?: string | { primary: string; backup: string }): Promise<{ primary: HostProcess; backup: HostProcess }> {
  const files = typeof gatewaysFile === 'string' || gatewaysFile === undefined ? { primary: gatewaysFile, backup: gatewaysFile } : gatewaysFile;
  const [primary, backup] = await Promise.all([spawnPairNode(pair, pair.primary, files.primary), spawnPairNode(pair, pair.backup, files.backup)]);
  try {
    const active = await statusUntil(pair.primary, (s) => s.pair?.state === 'active' && s.revision > 0, 'the primary active');
    await statusUntil(pair.backup, (s) => s.pair?.state === 'passive' && s.revision === active.revision, 'the backup passive at the same revision');
  } catch (error) {
    await Promise.all([primary.stop('SIGKILL'), backup.stop('SIGKILL')]);
    throw error;
  }
  return { primary, backup };
}

/** A node's status as a console connection's hello answers it; null when the node does not answer within `timeoutMs`. */
export async function statusOf(node: PairEndpoint, timeoutMs = 1500): Promise<NodeStatus | null> {
  let connection: Awaited<ReturnType<typeof connectNodeClient>> | null = null;
  const attempt = (async () => {
    connection = await connectNodeClient(node.address);
    return (await connection.client.call('session.hello', { window: 'console' })).status;
  })();
  attempt.catch(() => {});
  try {
    return await Promise.race([attempt, sleep(timeoutMs).then(() => null)]);
  } catch {
    return null;
  } finally {
    (connection as Awaited<ReturnType<typeof connectNodeClient>> | null)?.transport.close();
  }
}

/** Waits until `probe` holds for the node's status (polled every 100 ms); returns the status. */
export async function statusUntil(node: PairEndpoint, probe: (status: NodeStatus) => boolean, what: string, timeoutMs = 60_000): Promise<NodeStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await statusOf(node);
    if (status && probe(status)) return status;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last status of ${node.id}: ${JSON.stringify(status?.pair ?? status)})`);
    await sleep(100);
  }
}

/**
 * What a window does when it lost the active node: asks the other one (pair.activeLost) until it
 * serves. Answers when it does, with the status it said.
 */
export async function voteUntilActive(node: PairEndpoint, lostNode: string, timeoutMs = 30_000): Promise<NodeStatus> {
  const deadline = Date.now() + timeoutMs;
  const { client, transport } = await connectNodeClient(node.address);
  try {
    await client.call('session.hello', { window: 'console' });
    for (;;) {
      const { status } = await client.call('pair.activeLost', { lostNode });
      if (status.state === 'active') return (await statusOf(node))!;
      if (Date.now() > deadline) throw new Error(`${node.id} did not take over within ${timeoutMs} ms: ${JSON.stringify(status)}`);
      await sleep(100);
    }
  } finally {
    transport.close();
  }
}

/**
 * A TCP port that was free on 127.0.0.1 a moment ago. Only for pairs on one machine (the `--pair`
 * demo, the pair tests): a pair's wall file names both nodes' window and peer-link ports before
 * either node starts, so they cannot listen on port 0 and report back.
 */
import { createServer } from 'node:net';

export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A TCP relay on a fixed port to a target port, that a test can cut (every connection dropped, no new ones) and mend. */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpRelay {
  cut(): Promise<void>;
  mend(): Promise<void>;
  close(): Promise<void>;
}

export async function tcpRelay(listenPort: number, targetPort: number): Promise<TcpRelay> {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  const listen = async () => {
    server = createServer((inbound) => {
      const outbound = connect(targetPort, '127.0.0.1');
      for (const s of [inbound, outbound]) {
        sockets.add(s);
        s.on('error', () => {});
        s.on('close', () => {
          sockets.delete(s);
          inbound.destroy();
          outbound.destroy();
        });
      }
      inbound.pipe(outbound);
      outbound.pipe(inbound);
    });
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(listenPort, '127.0.0.1', resolve);
    });
  };
  const cut = async () => {
    const s = server;
    server = null;
    for (const socket of sockets) socket.destroy();
    if (s) await new Promise((resolve) => s.close(resolve));
  };
  await listen();
  return { cut, mend: listen, close: cut };
}

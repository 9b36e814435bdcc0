/**
 * Playwright attaches to a browser over a WebSocket; a wall window's DevTools is a unix socket
 * (its relay's, devtools-relay.ts). This bridge, in the test process only, serves one loopback
 * WebSocket per window that relays to that socket, frame for NUL-terminated message.
 */
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

export interface DevToolsBridge {
  url: string;
  close(): Promise<void>;
}

export async function bridgeDevTools(socketPath: string): Promise<DevToolsBridge> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 256 * 1024 * 1024 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  server.on('connection', (ws) => {
    const socket = connect(socketPath);
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      const parts = (pending + chunk.toString('utf8')).split('\0');
      pending = parts.pop()!;
      for (const message of parts) ws.send(message);
    });
    socket.on('close', () => ws.close());
    socket.on('error', () => ws.close());
    ws.on('message', (data) => socket.write(`${data.toString()}\0`));
    ws.on('close', () => socket.end());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

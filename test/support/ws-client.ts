/** A Node WebSocket client speaking the contract, as a browser window would. */
import WebSocket from 'ws';
import { ContractClient, PortClientTransport, type MessagePortLike } from '../../native-bridge/channel.js';

/**
 * No credential on the socket: the connection proves who it is in session.hello (connectConsole,
 * connectDisplay). `ca`: the certificate a host serving HTTPS/WSS is trusted by (a test's self-signed one).
 */
export async function connectNodeClient(baseUrl: string, origin = baseUrl, ca?: string): Promise<{ client: ContractClient; transport: PortClientTransport; socket: WebSocket }> {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws`, { origin, ...(ca ? { ca } : {}) });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  const closeListeners: (() => void)[] = [];
  socket.on('close', () => closeListeners.forEach((l) => l()));
  const port: MessagePortLike = {
    send: (data) => socket.send(data),
    onMessage: (l) => void socket.on('message', (d) => l(d.toString())),
    onClose: (l) => void closeListeners.push(l),
    close: () => socket.close(),
  };
  const transport = new PortClientTransport();
  transport.attach(port);
  return { client: new ContractClient(transport), transport, socket };
}

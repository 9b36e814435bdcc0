/**
 * A client that never reads its replies must not grow the host's memory: past the bytes queued
 * per connection the WebSocket gateway closes the socket, says why, and queues nothing more. Real
 * HTTP server, real WebSocket client whose socket stops reading.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setImmediate as turn } from 'node:timers/promises';
import { describe, it } from 'node:test';
import WebSocket from 'ws';
import type { MessagePortLike } from '../../native-bridge/channel.js';
import { connectionLimits } from '../../native-bridge/limits.js';
import { attachWebSocketGateway } from '../../native-bridge/transports/websocket-server.js';
import { until } from '../support/page-wait.js';

describe('WebSocket gateway: slow readers', () => {
  it(`closes a socket that leaves more than ${connectionLimits.maxQueuedBytes} bytes unread, with a reason, and stops queueing`, async (t) => {
    const http = createServer();
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const dropped: { kind: string; reason: string; remote: string }[] = [];
    let serverPort: MessagePortLike | null = null;
    let serverClosed = false;
    const heard: string[] = [];
    const gateway = attachWebSocketGateway({
      server: http,
      path: '/ws',
      allowedAuthorities: () => new Set([base.replace('http://', '')]),
      onConnection: (port) => {
        serverPort = port;
        port.onMessage((text) => heard.push(text));
        port.onClose(() => (serverClosed = true));
      },
      onRefused: () => {},
      onDropped: (info) => dropped.push(info),
    });
    const client = new WebSocket(`${base.replace('http', 'ws')}/ws?token=${'t'.repeat(32)}`, { origin: base });
    t.after(async () => {
      client.terminate();
      await gateway.close();
      await new Promise((resolve) => http.close(resolve));
    });
    await new Promise((resolve) => client.once('open', resolve));
    // the reader stops reading: the kernel's buffers fill, then the host's
    ((client as unknown as { _socket: Socket })._socket).pause();
    while (!serverPort) await turn();
    const frame = 'x'.repeat(256 * 1024);
    const ceiling = 256 * 1024 * 1024;
    let sent = 0;
    while (dropped.length === 0 && sent < ceiling) {
      (serverPort as MessagePortLike).send(frame);
      sent += frame.length;
      await turn();
    }
    assert.equal(dropped.length, 1, `no disconnect after ${sent} bytes`);
    assert.match(dropped[0]!.reason, /^client not reading its replies: over \d+ bytes queued \(\d+\); closed$/);
    assert.equal(dropped[0]!.kind, 'slow-reader');
    assert.equal(dropped[0]!.remote, '127.0.0.1');
    // it was closed at the limit: what waited unread was within it, and the next frame would have passed it
    const queued = Number(/\((\d+)\)/.exec(dropped[0]!.reason)![1]);
    assert.ok(queued <= connectionLimits.maxQueuedBytes && queued + frame.length > connectionLimits.maxQueuedBytes, `${queued} bytes queued when dropped`);
    assert.ok(dropped[0]!.reason.includes(`over ${connectionLimits.maxQueuedBytes} bytes`));
    // what it still sends after that is not served (its requests would only queue more replies)
    client.send('{"request":"late"}');
    // nothing more is queued for it, and its socket goes once the grace for the close frame is up
    for (let i = 0; i < 20; i++) (serverPort as MessagePortLike).send(frame);
    assert.equal(dropped.length, 1, 'reported once');
    await until(() => serverClosed, 'the socket dropped after the close grace', 10_000);
    assert.deepEqual(heard, [], 'nothing it sent after the drop was passed on');
  });
});

/**
 * In-memory transport for tests: two linked ports. Messages are strings delivered on a later
 * microtask, so ordering and serialization match the real transports.
 */
import type { MessagePortLike } from '../channel.js';

export function createInMemoryPortPair(): [MessagePortLike, MessagePortLike] {
  const make = () => ({ messageListeners: [] as ((d: string) => void)[], closeListeners: [] as (() => void)[], closed: false });
  const a = make();
  const b = make();
  const port = (self: ReturnType<typeof make>, peer: ReturnType<typeof make>): MessagePortLike => ({
    send(data) {
      // Like a socket: frames sent after close are dropped, not thrown.
      if (self.closed) return;
      queueMicrotask(() => peer.messageListeners.forEach((l) => l(data)));
    },
    onMessage: (l) => void self.messageListeners.push(l),
    onClose: (l) => void self.closeListeners.push(l),
    close() {
      for (const side of [self, peer]) {
        if (side.closed) continue;
        side.closed = true;
        queueMicrotask(() => side.closeListeners.forEach((l) => l()));
      }
    },
  });
  return [port(a, b), port(b, a)];
}

/**
 * A window's link to the core over a relay port (Electron IPC): one core session enrolled as the
 * window the host opened, served by serveOverPort like a WebSocket connection. Closing the relay
 * closes the session.
 */
import { sendEvent, serveOverPort, type RejectedMessage } from '../../native-bridge/channel.js';
import type { WindowId } from '../../native-bridge/contract.js';
import { createRelayPort, type RelayPort } from '../../native-bridge/transports/relay-port.js';
import type { Core } from './core.js';

export function openWindowRelay(core: Pick<Core, 'openSession'>, windowId: WindowId, send: (data: string) => void, onRejected: (rejection: RejectedMessage) => void): RelayPort {
  const relay = createRelayPort(send);
  const session = core.openSession((event, payload) => sendEvent(relay.port, event, payload), { enrolledAs: windowId });
  relay.port.onClose(() => session.close());
  serveOverPort(session, relay.port, onRejected);
  return relay;
}

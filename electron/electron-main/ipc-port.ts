/**
 * Electron IPC transport, main side: each window's contract envelopes arrive as strings on one
 * channel and are served by serveOverPort over a relay port, the same path as a WebSocket
 * connection, so both hosts share one validation and one access check. One core session per
 * loaded document: it is closed when the window starts a new main-frame navigation (reload), when
 * its renderer dies and when it is destroyed; the next frame opens a fresh one.
 *
 * Only windows the shell registered (attach) are served, only from their main frame, and each
 * session is enrolled as the window the shell opened: a display window cannot say hello as the
 * console (the operator).
 */
import { ipcMain, type IpcMainEvent, type WebContents } from 'electron';
import type { WindowId } from '../../native-bridge/contract.js';
import type { RelayPort } from '../../native-bridge/transports/relay-port.js';
import type { Core } from '../node/core.js';
import { summarisedLog } from '../node/http/summarised-log.js';
import { openWindowRelay } from '../node/window-relay.js';

export const MESSAGE_CHANNEL = 'ioc:message';

interface Attached {
  windowId: WindowId;
  relay: RelayPort | null;
}

export interface IpcPort {
  /** Serves a window's webContents as `windowId` until it is destroyed. */
  attach(contents: WebContents, windowId: WindowId): void;
  close(): void;
}

export function createIpcPort(core: Pick<Core, 'openSession'>, log: (line: string) => void): IpcPort {
  const attached = new Map<number, Attached>();
  // a flooding window must not become a log line per refused message
  const logRejected = summarisedLog(log);

  const closeSession = (entry: Attached) => {
    const relay = entry.relay;
    entry.relay = null;
    relay?.close();
  };

  const relayOf = (contents: WebContents, entry: Attached): RelayPort => {
    if (entry.relay) return entry.relay;
    const send = (data: string) => {
      if (!contents.isDestroyed()) contents.send(MESSAGE_CHANNEL, data);
    };
    entry.relay = openWindowRelay(core, entry.windowId, send, (rejection) => logRejected('message-rejected', { window: entry.windowId, ...rejection }));
    return entry.relay;
  };

  const onMessage = (event: IpcMainEvent, data: unknown) => {
    const entry = attached.get(event.sender.id);
    if (!entry || event.senderFrame === null || event.senderFrame !== event.sender.mainFrame) {
      logRejected('message-rejected', { reason: 'not the main frame of an ioc-wall window' });
      return;
    }
    if (typeof data !== 'string') {
      logRejected('message-rejected', { window: entry.windowId, reason: 'a message is a string' });
      return;
    }
    relayOf(event.sender, entry).receive(data);
  };
  ipcMain.on(MESSAGE_CHANNEL, onMessage);

  return {
    attach(contents, windowId) {
      const id = contents.id; // read now: a destroyed WebContents throws on property access
      const entry: Attached = { windowId, relay: null };
      attached.set(id, entry);
      contents.on('did-start-navigation', (details) => {
        if (details.isMainFrame && !details.isSameDocument) closeSession(entry);
      });
      contents.on('render-process-gone', () => closeSession(entry));
      contents.once('destroyed', () => {
        closeSession(entry);
        if (attached.get(id) === entry) attached.delete(id);
      });
    },
    close() {
      ipcMain.removeListener(MESSAGE_CHANNEL, onMessage);
      for (const entry of attached.values()) closeSession(entry);
      attached.clear();
      logRejected.close();
    },
  };
}

/**
 * Electron IPC transport, main side: `ioc:invoke` requests from a window go to that window's core
 * session; core events go back as `ioc:event`. One core session per loaded document: it is closed
 * when the window starts a new main-frame navigation (reload), when its renderer dies and when it
 * is destroyed, and the next request opens a fresh one.
 *
 * Only windows the shell registered (attach) are served, only from their main frame, and a
 * window may only say hello as the window id the shell opened it for: a display window cannot
 * claim to be the console (the operator).
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { ContractError, type WindowId, type WireError } from '../../native-bridge/contract.js';
import type { Core, CoreSession } from '../node/core.js';

export const INVOKE_CHANNEL = 'ioc:invoke';
export const EVENT_CHANNEL = 'ioc:event';

type Answer = { ok: true; payload: unknown } | { ok: false; error: WireError };

interface Attached {
  windowId: WindowId;
  session: CoreSession | null;
}

export interface IpcPort {
  /** Serves a window's webContents as `windowId` until it is destroyed. */
  attach(contents: WebContents, windowId: WindowId): void;
  close(): void;
}

export function createIpcPort(core: Pick<Core, 'openSession'>): IpcPort {
  const attached = new Map<number, Attached>();

  const closeSession = (entry: Attached) => {
    const session = entry.session;
    entry.session = null;
    session?.close();
  };

  const sessionOf = (contents: WebContents, entry: Attached): CoreSession => {
    if (!entry.session) {
      entry.session = core.openSession((event, payload) => {
        if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, event, payload);
      });
    }
    return entry.session;
  };

  const refuse = (code: WireError['code'], message: string, field?: string): Answer => ({ ok: false, error: new ContractError(code, message, field).toWire() });

  ipcMain.handle(INVOKE_CHANNEL, async (event: IpcMainInvokeEvent, method: unknown, payload: unknown): Promise<Answer> => {
    const entry = attached.get(event.sender.id);
    if (!entry || event.senderFrame === null || event.senderFrame !== event.sender.mainFrame) {
      return refuse('forbidden', 'this frame is not an ioc-wall window');
    }
    if (typeof method !== 'string') return refuse('unknown-method', 'method must be a string', 'method');
    if (method === 'session.hello') {
      const window = (payload as { window?: unknown } | null)?.window;
      if (window !== entry.windowId) return refuse('forbidden', `this window was opened as "${entry.windowId}"`, 'payload.window');
    }
    try {
      return { ok: true, payload: await sessionOf(event.sender, entry).handle(method, payload) };
    } catch (error) {
      if (error instanceof ContractError) return { ok: false, error: error.toWire() };
      console.error(`ioc-wall: ${method} failed`, error);
      return refuse('internal', 'internal error');
    }
  });

  return {
    attach(contents, windowId) {
      const id = contents.id; // read now: a destroyed WebContents throws on property access
      const entry: Attached = { windowId, session: null };
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
      ipcMain.removeHandler(INVOKE_CHANNEL);
      for (const entry of attached.values()) closeSession(entry);
      attached.clear();
    },
  };
}

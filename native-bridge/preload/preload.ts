/**
 * The sandboxed preload of every ioc-wall window. It exposes exactly one object to the page,
 * `window.iocBridge` = { send, onMessage } (the IocBridge of transports/electron-ipc.ts), which
 * moves contract envelopes as strings on one channel: the page never sees ipcRenderer, and the
 * main process validates every frame (serveOverPort), as the WebSocket host does.
 *
 * Bundled to dist/preload/preload.cjs as one self-contained CommonJS file, because sandboxed
 * preloads can require only 'electron' (and a few polyfilled modules), not files.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { MAX_MESSAGE_BYTES } from '../contract.js';
import type { IocBridge } from '../transports/electron-ipc.js';

const MESSAGE_CHANNEL = 'ioc:message';

let pageListener: ((data: string) => void) | null = null;
ipcRenderer.on(MESSAGE_CHANNEL, (_event: IpcRendererEvent, data: unknown) => {
  if (typeof data !== 'string' || !pageListener) return;
  try {
    pageListener(data);
  } catch (error) {
    console.error('ioc-wall: the page failed on a host message', error);
  }
});

const bridge: IocBridge = {
  send(data) {
    if (typeof data !== 'string') throw new TypeError('a message is a string');
    if (data.length > MAX_MESSAGE_BYTES) throw new RangeError(`a message is at most ${MAX_MESSAGE_BYTES} bytes`);
    ipcRenderer.send(MESSAGE_CHANNEL, data);
  },
  onMessage(listener) {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    pageListener = listener;
  },
};

contextBridge.exposeInMainWorld('iocBridge', bridge);

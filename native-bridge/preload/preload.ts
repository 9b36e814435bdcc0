/**
 * The sandboxed preload of every ioc-wall window. It exposes exactly one object to the page,
 * `window.iocBridge` = { invoke, subscribe } (the IocBridge interface of transports/electron-ipc.ts),
 * and only for the contract's method and event names: the page never sees ipcRenderer.
 *
 * Bundled to dist/preload/preload.cjs as one self-contained CommonJS file, because sandboxed
 * preloads can require only 'electron' (and a few polyfilled modules), not files.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { eventNames, methodNames } from '../contract.js';
import type { IocBridge } from '../transports/electron-ipc.js';

const INVOKE_CHANNEL = 'ioc:invoke';
const EVENT_CHANNEL = 'ioc:event';

const allowedMethods = new Set<string>(methodNames);
const allowedEvents = new Set<string>(eventNames);
const listeners = new Map<string, Set<(payload: unknown) => void>>();

ipcRenderer.on(EVENT_CHANNEL, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (typeof name !== 'string') return;
  const set = listeners.get(name);
  if (!set) return;
  for (const listener of [...set]) {
    try {
      listener(payload);
    } catch (error) {
      console.error(`ioc-wall: a ${name} listener threw`, error);
    }
  }
});

const bridge: IocBridge = {
  async invoke(method, payload) {
    if (typeof method !== 'string' || !allowedMethods.has(method)) {
      return { ok: false, error: { code: 'unknown-method', message: `unknown method "${String(method)}"`, field: 'method' } };
    }
    const answer: unknown = await ipcRenderer.invoke(INVOKE_CHANNEL, method, payload);
    if (typeof answer === 'object' && answer !== null && 'ok' in answer) return answer as Awaited<ReturnType<IocBridge['invoke']>>;
    return { ok: false, error: { code: 'internal', message: 'malformed answer from the host' } };
  },
  subscribe(event, listener) {
    if (typeof event !== 'string' || !allowedEvents.has(event)) throw new TypeError(`unknown event "${String(event)}"`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  },
};

contextBridge.exposeInMainWorld('iocBridge', bridge);

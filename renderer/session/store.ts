/**
 * The renderer's one store (zustand): what this window knows about the host — link, node status,
 * the wall state at a revision, alerts, presets — plus UI-wide bits (language, toasts). Only
 * session.ts writes the host-derived parts.
 */
import { create } from 'zustand';
import type { Actor, Alert, NodeStatus, ResponseOf, Scope, WallState, WindowId } from '../../native-bridge/contract.js';

export type LinkState = 'connecting' | 'up' | 'down';
export type Lang = 'vi' | 'en';
export type PresetSummary = ResponseOf<'presets.list'>['presets'][number];

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  message: string;
}

export interface AppState {
  windowId: WindowId | null;
  link: LinkState;
  actor: Actor | null;
  /** The signed-in person's scope (the province or their communes); null while none is signed in or it is not known yet. */
  scope: Scope | null;
  /** A display page without a (valid) credential: it shows the enrolment screen. */
  enrolmentNeeded: boolean;
  status: NodeStatus | null;
  /** Revision of `wall`; 0 before the first snapshot. */
  revision: number;
  wall: WallState | null;
  alerts: Alert[];
  presets: PresetSummary[] | null;
  toasts: Toast[];
  lang: Lang;
}

export const useAppStore = create<AppState>()(() => ({
  windowId: null,
  link: 'connecting',
  actor: null,
  scope: null,
  enrolmentNeeded: false,
  status: null,
  revision: 0,
  wall: null,
  alerts: [],
  presets: null,
  toasts: [],
  lang: 'vi',
}));

let nextToastId = 1;

export function showToast(message: string, kind: Toast['kind'] = 'error', ttlMs = kind === 'error' ? 10_000 : 4_000): void {
  const id = nextToastId++;
  useAppStore.setState((s) => ({ toasts: [...s.toasts.slice(-4), { id, kind, message }] }));
  setTimeout(() => dismissToast(id), ttlMs);
}

export function dismissToast(id: number): void {
  useAppStore.setState((s) => (s.toasts.some((t) => t.id === id) ? { toasts: s.toasts.filter((t) => t.id !== id) } : s));
}

/**
 * This window's WebGL renderer, for the map's CPU budget and the status tile ("Bản đồ: đồ họa
 * phần mềm"). The window's Deck reports the renderer of the context it draws with; a window with no
 * map tile (yet) probes once on a throwaway context, which it gives back at once, so the status
 * tile can say it too. `<html data-map-gl-renderer>` carries the renderer string (benchmarks read it).
 */
import { useEffect, useSyncExternalStore } from 'react';
import { softwareGl } from './software-gl.js';

export interface GlRenderer {
  /** The renderer string (unmasked where the browser allows). */
  name: string;
  /** The software renderer's short name (swiftshader, llvmpipe, …), or null on a GPU. */
  software: string | null;
}

let current: GlRenderer | null = null;
const listeners = new Set<() => void>();

export function reportGlRenderer(vendor: string, renderer: string): GlRenderer {
  if (current?.name !== renderer) {
    current = { name: renderer, software: softwareGl(vendor, renderer) };
    document.documentElement.dataset.mapGlRenderer = renderer;
    for (const listener of listeners) listener();
  }
  return current;
}

/** Reads the renderer from a context of its own, then loses that context (WebGL contexts are few). */
function probe(): void {
  if (current) return;
  const canvas = document.createElement('canvas');
  const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
  if (!gl) return;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const vendor = String(gl.getParameter(info ? info.UNMASKED_VENDOR_WEBGL : gl.VENDOR));
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  reportGlRenderer(vendor, renderer);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
const snapshot = () => current;

/** The window's renderer, probed once if no Deck has reported it (null until known, or without WebGL). */
export function useGlRenderer(): GlRenderer | null {
  const renderer = useSyncExternalStore(subscribe, snapshot, snapshot);
  useEffect(probe, []);
  return renderer;
}

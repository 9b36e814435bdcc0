/**
 * Renderer bundle (React). One bundle serves every window kind — the console and each display
 * window pick their view from `?window=` at runtime — and runs unchanged under both hosts.
 * Everything is bundled locally (fonts included): the wall never makes a network request.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const projectRoot = fileURLToPath(new URL('.', import.meta.url));

/** Content-Security-Policy for built pages only (the dev server needs inline scripts for HMR). */
function contentSecurityPolicy(): Plugin {
  const policy = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    // camera snapshots come from the cameras' servers (LAN NVRs, the simulator's camera server)
    "img-src 'self' data: blob: http: https:",
    "font-src 'self' data:",
    // hls.js plays through MediaSource (blob: URLs); http(s): for NVRs serving streams directly
    "media-src 'self' blob: data: http: https:",
    // hls.js fetches playlists and segments (XHR/fetch) from other origins
    "connect-src 'self' ws: wss: http: https:",
    // hls.js transmuxes in a worker bundled with the renderer (no CDN)
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return {
    name: 'ioc-wall-csp',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: policy }, injectTo: 'head-prepend' }],
  };
}

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), contentSecurityPolicy()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
    // never data: URLs — the host's CSP allows fonts from 'self' only
    assetsInlineLimit: 0,
  },
  server: {
    fs: { allow: [projectRoot] },
  },
});

/**
 * hls.js tuned for many live players in one window (names checked against hls.js 1.7's
 * HlsConfig): small bounded buffers, a short distance to the live edge with a mild catch-up
 * rate, no low-latency mode, and transmuxing in a Web Worker loaded from our own bundle (the
 * ESM build of hls.js cannot inline its worker; nothing is fetched from a CDN).
 */
import type { HlsConfig } from 'hls.js';
import workerUrl from 'hls.js/dist/hls.worker.js?url';

export const hlsConfig: Partial<HlsConfig> = {
  debug: false,
  enableWorker: true,
  workerPath: workerUrl,
  lowLatencyMode: false,
  // stay 2 target durations behind the live edge; beyond 4, speed up (up to 1.5×) to catch up
  liveSyncDurationCount: 2,
  liveMaxLatencyDurationCount: 4,
  maxLiveSyncPlaybackRate: 1.5,
  // bounded forward and back buffers: 16 players × a few seconds, not 16 × 30 s
  maxBufferLength: 6,
  maxMaxBufferLength: 10,
  maxBufferSize: 8 * 1000 * 1000,
  backBufferLength: 4,
  // we choose main/sub ourselves from the tile size
  capLevelToPlayerSize: false,
  startFragPrefetch: true,
  // fail over quickly to our own watchdog/backoff instead of hls.js retrying for a long time
  manifestLoadPolicy: {
    default: {
      maxTimeToFirstByteMs: 8000,
      maxLoadTimeMs: 10_000,
      timeoutRetry: { maxNumRetry: 1, retryDelayMs: 0, maxRetryDelayMs: 0 },
      errorRetry: { maxNumRetry: 1, retryDelayMs: 1000, maxRetryDelayMs: 4000 },
    },
  },
  playlistLoadPolicy: {
    default: {
      maxTimeToFirstByteMs: 8000,
      maxLoadTimeMs: 10_000,
      timeoutRetry: { maxNumRetry: 2, retryDelayMs: 0, maxRetryDelayMs: 0 },
      errorRetry: { maxNumRetry: 2, retryDelayMs: 1000, maxRetryDelayMs: 4000 },
    },
  },
};

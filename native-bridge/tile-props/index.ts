/**
 * Prop schemas of every tile kind, keyed by kind: native-bridge/tile-props/<kind>.ts each. Pure zod
 * (no React, no DOM) because the contract and the host validate tile props with them, so they live
 * in native-bridge, not in the renderer. Adding a tile kind adds its file and one line here; its
 * component is found by folder (renderer/tiles/<kind>/Tile.tsx).
 */
import { alertListProps } from './alert-list.js';
import { cameraProps } from './camera.js';
import { cameraGridProps } from './camera-grid.js';
import { chartProps } from './chart.js';
import { clockStatusProps } from './clock-status.js';
import { indicatorProps } from './indicator.js';
import { linkHealthProps } from './link-health.js';
import { mapProps } from './map.js';
import { noteProps } from './note.js';
import { sensorReadingsProps } from './sensor-readings.js';

export const tilePropSchemas = {
  'clock-status': clockStatusProps,
  note: noteProps,
  'alert-list': alertListProps,
  'sensor-readings': sensorReadingsProps,
  'link-health': linkHealthProps,
  camera: cameraProps,
  'camera-grid': cameraGridProps,
  map: mapProps,
  indicator: indicatorProps,
  chart: chartProps,
} as const;

export type TileKind = keyof typeof tilePropSchemas;

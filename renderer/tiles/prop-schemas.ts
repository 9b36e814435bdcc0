/**
 * Prop schemas of every tile kind, keyed by kind. Pure zod (no React, no DOM) because the contract
 * and the host validate tile props with them. Adding a tile kind adds one line here; its
 * component is found by folder (renderer/tiles/<kind>/Tile.tsx).
 */
import { alertListProps } from './alert-list/schema.js';
import { cameraProps } from './camera/schema.js';
import { cameraGridProps } from './camera-grid/schema.js';
import { chartProps } from './chart/schema.js';
import { clockStatusProps } from './clock-status/schema.js';
import { indicatorProps } from './indicator/schema.js';
import { linkHealthProps } from './link-health/schema.js';
import { mapProps } from './map/schema.js';
import { noteProps } from './note/schema.js';
import { sensorReadingsProps } from './sensor-readings/schema.js';

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

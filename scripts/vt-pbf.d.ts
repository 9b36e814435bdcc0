/** The part of vt-pbf (no bundled types) that the demo base map build uses. */
declare module 'vt-pbf' {
  import type { LegacyTile } from 'geojson-vt';

  /** Encodes geojson-vt tiles, one per layer name, as an uncompressed Mapbox Vector Tile. */
  export function fromGeojsonVt(layers: Record<string, LegacyTile>, options?: { version?: 1 | 2; extent?: number }): Uint8Array;
}

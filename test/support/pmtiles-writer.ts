/**
 * A minimal PMTiles v3 writer for tests: one root directory, no leaf directories, no
 * de-duplication. This machine has no PMTiles writer (Debian's GDAL 3.6 predates its PMTiles
 * driver, and neither tippecanoe nor go-pmtiles is packaged), so tests pack tiles that GDAL made
 * into an archive with this and read it back through the pmtiles package (an independent reader).
 * Layout per https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md.
 */
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { Compression, TileType, zxyToTileId } from 'pmtiles';
import { maxOf, minOf } from '../../native-bridge/extremes.js';

export interface PmtilesInput {
  tiles: { z: number; x: number; y: number; data: Buffer }[];
  /** How every tile's data is compressed (the writer stores it as given). */
  tileCompression: Compression;
  tileType: TileType;
  metadata: Record<string, unknown>;
  bounds: [number, number, number, number];
  center: [number, number, number];
}

const HEADER_BYTES = 127;

function varints(values: number[]): Buffer {
  const bytes: number[] = [];
  for (let value of values) {
    while (value >= 0x80) {
      bytes.push((value % 0x80) | 0x80);
      value = Math.floor(value / 0x80);
    }
    bytes.push(value);
  }
  return Buffer.from(bytes);
}

export function writePmtiles(file: string, input: PmtilesInput): void {
  const entries = input.tiles.map((t) => ({ tileId: zxyToTileId(t.z, t.x, t.y), data: t.data })).sort((a, b) => a.tileId - b.tileId);
  let offset = 0;
  const placed = entries.map((e) => {
    const entry = { ...e, offset, length: e.data.length };
    offset += e.data.length;
    return entry;
  });
  // Directory: count, tile-id deltas, run lengths, lengths, offsets (+1; 0 = right after the previous).
  const directory = gzipSync(
    Buffer.concat([
      varints([placed.length]),
      varints(placed.map((e, i) => e.tileId - (i > 0 ? placed[i - 1]!.tileId : 0))),
      varints(placed.map(() => 1)),
      varints(placed.map((e) => e.length)),
      varints(placed.map((e, i) => (i > 0 && e.offset === placed[i - 1]!.offset + placed[i - 1]!.length ? 0 : e.offset + 1))),
    ]),
  );
  const metadata = gzipSync(Buffer.from(JSON.stringify(input.metadata)));
  const tileData = Buffer.concat(placed.map((e) => e.data));
  const zooms = input.tiles.map((t) => t.z);

  const header = Buffer.alloc(HEADER_BYTES);
  header.write('PMTiles', 0, 'latin1');
  header.writeUInt8(3, 7);
  const u64 = (at: number, value: number) => header.writeBigUInt64LE(BigInt(value), at);
  u64(8, HEADER_BYTES);
  u64(16, directory.length);
  u64(24, HEADER_BYTES + directory.length);
  u64(32, metadata.length);
  u64(40, 0);
  u64(48, 0);
  u64(56, HEADER_BYTES + directory.length + metadata.length);
  u64(64, tileData.length);
  u64(72, placed.length);
  u64(80, placed.length);
  u64(88, placed.length);
  header.writeUInt8(1, 96); // clustered: tile data in tile-id order
  header.writeUInt8(Compression.Gzip, 97);
  header.writeUInt8(input.tileCompression, 98);
  header.writeUInt8(input.tileType, 99);
  header.writeUInt8(minOf(zooms), 100);
  header.writeUInt8(maxOf(zooms), 101);
  const e7 = (degrees: number) => Math.round(degrees * 1e7);
  const [w, s, e, n] = input.bounds;
  header.writeInt32LE(e7(w), 102);
  header.writeInt32LE(e7(s), 106);
  header.writeInt32LE(e7(e), 110);
  header.writeInt32LE(e7(n), 114);
  header.writeUInt8(input.center[2], 118);
  header.writeInt32LE(e7(input.center[0]), 119);
  header.writeInt32LE(e7(input.center[1]), 123);

  writeFileSync(file, Buffer.concat([header, directory, metadata, tileData]));
}

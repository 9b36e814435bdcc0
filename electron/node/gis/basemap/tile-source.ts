/**
 * The base map's tiles, read from a local file the province supplies: MBTiles (SQLite) or
 * PMTiles. Nothing here touches the network — the wall may have none (DOMAIN.md).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import { openForeignReadOnly } from '../../sqlite-cipher.js';
import { Compression, PMTiles, TileType, type Source } from 'pmtiles';

export type TileFormat = 'pbf' | 'png' | 'jpg' | 'webp';

export interface TileSourceMetadata {
  name: string;
  format: TileFormat;
  minzoom: number;
  maxzoom: number;
  /** [west, south, east, north], degrees. */
  bounds: [number, number, number, number];
  /** [lon, lat, zoom]. */
  center?: [number, number, number];
  /** Vector tiles: the source layers and their fields (name → type or description). */
  vectorLayers?: { id: string; fields?: Record<string, string> }[];
}

export interface Tile {
  data: Buffer;
  /** 'gzip': data is gzip'd (as MBTiles from GDAL or tippecanoe store vector tiles). */
  encoding: 'gzip' | 'identity';
}

export interface TileSource {
  /** The tile at z/x/y (XYZ rows: y = 0 at the north), or null if the file has none there. */
  getTile(z: number, x: number, y: number): Promise<Tile | null>;
  metadata(): TileSourceMetadata;
  close(): Promise<void>;
}

const WORLD_BOUNDS: [number, number, number, number] = [-180, -85.051129, 180, 85.051129];
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const PMTILES_MAGIC = Buffer.from('PMTiles', 'latin1');

/** Opens an .mbtiles or .pmtiles file (recognised by its content, not its name). */
export async function openTileSource(file: string): Promise<TileSource> {
  let handle: FileHandle | undefined;
  const head = Buffer.alloc(SQLITE_MAGIC.length);
  try {
    handle = await open(file, 'r');
    await handle.read(head, 0, head.length, 0);
  } catch (error) {
    await handle?.close();
    throw new Error(`base map ${file} cannot be read: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)}`);
  }
  if (head.subarray(0, PMTILES_MAGIC.length).equals(PMTILES_MAGIC)) return openPmtiles(file, handle);
  await handle.close();
  if (head.equals(SQLITE_MAGIC)) return openMbtiles(file);
  throw new Error(`base map ${file} is neither an MBTiles (SQLite) nor a PMTiles file`);
}

const MAX_ZOOM = 30;

function checkTileCoordinates(z: number, x: number, y: number): void {
  const valid = Number.isInteger(z) && z >= 0 && z <= MAX_ZOOM && Number.isInteger(x) && Number.isInteger(y) && x >= 0 && y >= 0 && x < 2 ** z && y < 2 ** z;
  if (!valid) throw new RangeError(`no tile ${z}/${x}/${y}: z is an integer 0–${MAX_ZOOM}, x and y integers from 0 to 2^z − 1`);
}

const isGzip = (data: Buffer): boolean => data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
const tile = (data: Buffer): Tile => ({ data, encoding: isGzip(data) ? 'gzip' : 'identity' });

// ------------------------------------------------------------------ MBTiles

const MBTILES_FORMATS: Record<string, TileFormat> = { pbf: 'pbf', mvt: 'pbf', png: 'png', jpg: 'jpg', jpeg: 'jpg', webp: 'webp' };

function numbers(text: string | undefined, count: number): number[] | undefined {
  const values = text?.split(',').map((v) => Number(v.trim()));
  return values && values.length === count && values.every(Number.isFinite) ? values : undefined;
}

function openMbtiles(file: string): TileSource {
  const db = openForeignReadOnly(file);
  let rows: { name: string; value: string }[];
  try {
    rows = db.prepare('SELECT name, value FROM metadata').all() as { name: string; value: string }[];
  } catch (error) {
    db.close();
    throw new Error(`base map ${file} is not an MBTiles file (an SQLite database with tables metadata and tiles): ${(error as Error).message}`);
  }
  const meta = new Map(rows.map((r) => [r.name, r.value]));
  const format = MBTILES_FORMATS[meta.get('format') ?? ''];
  if (!format) {
    db.close();
    throw new Error(`base map ${file}: unsupported tile format "${meta.get('format') ?? '(none)'}" (pbf, png, jpg or webp)`);
  }
  let selectTile: Statement;
  let zooms: { minzoom: number | null; maxzoom: number | null };
  try {
    selectTile = db.prepare('SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?').pluck();
    zooms = db.prepare('SELECT MIN(zoom_level) AS minzoom, MAX(zoom_level) AS maxzoom FROM tiles').get() as typeof zooms;
  } catch (error) {
    db.close();
    throw new Error(`base map ${file} is not an MBTiles file (no tiles table): ${(error as Error).message}`);
  }
  let vectorLayers: TileSourceMetadata['vectorLayers'];
  try {
    vectorLayers = (JSON.parse(meta.get('json') ?? '{}') as { vector_layers?: TileSourceMetadata['vectorLayers'] }).vector_layers;
  } catch (error) {
    db.close();
    throw new Error(`base map ${file}: its metadata "json" is not JSON: ${(error as Error).message}`);
  }
  const center = numbers(meta.get('center'), 3) as TileSourceMetadata['center'];
  const metadata: TileSourceMetadata = {
    name: meta.get('name') ?? file,
    format,
    minzoom: numbers(meta.get('minzoom'), 1)?.[0] ?? zooms.minzoom ?? 0,
    maxzoom: numbers(meta.get('maxzoom'), 1)?.[0] ?? zooms.maxzoom ?? 0,
    bounds: (numbers(meta.get('bounds'), 4) as TileSourceMetadata['bounds'] | undefined) ?? WORLD_BOUNDS,
    ...(center && { center }),
    ...(vectorLayers && { vectorLayers: vectorLayers.map((l) => ({ id: l.id, ...(l.fields && { fields: l.fields }) })) }),
  };
  return {
    async getTile(z, x, y) {
      checkTileCoordinates(z, x, y);
      const data = selectTile.get(z, x, 2 ** z - 1 - y) as Buffer | undefined; // rows count from the south (TMS)
      return data ? tile(data) : null;
    },
    metadata: () => metadata,
    async close() {
      db.close();
    },
  };
}

// ------------------------------------------------------------------ PMTiles

/** PMTiles tile ids address zooms up to 26 only. */
const PMTILES_MAX_ZOOM = 26;
const PMTILES_FORMATS: Partial<Record<TileType, TileFormat>> = { [TileType.Mvt]: 'pbf', [TileType.Png]: 'png', [TileType.Jpeg]: 'jpg', [TileType.Webp]: 'webp' };

/** pmtiles reads byte ranges through a Source; this one reads the local file. */
class FileHandleSource implements Source {
  constructor(
    private readonly file: string,
    private readonly handle: FileHandle,
  ) {}

  getKey(): string {
    return this.file;
  }

  async getBytes(offset: number, length: number): Promise<{ data: ArrayBuffer }> {
    const buffer = new Uint8Array(length);
    const { bytesRead } = await this.handle.read(buffer, 0, length, offset);
    return { data: buffer.buffer.slice(0, bytesRead) };
  }
}

/**
 * pmtiles decompresses directories, metadata and tiles alike with this; gzip'd tiles therefore come
 * back as 'identity'. zstd is refused (Node 20's zlib has none).
 */
async function decompress(data: ArrayBuffer, compression: Compression): Promise<ArrayBuffer> {
  const bytes = new Uint8Array(data);
  switch (compression) {
    case Compression.None:
    case Compression.Unknown:
      return data;
    case Compression.Gzip:
      return new Uint8Array(gunzipSync(bytes)).buffer;
    case Compression.Brotli:
      return new Uint8Array(brotliDecompressSync(bytes)).buffer;
    default:
      throw new Error(`PMTiles compression ${Compression[compression] ?? compression} is not supported`);
  }
}

async function openPmtiles(file: string, handle: FileHandle): Promise<TileSource> {
  const archive = new PMTiles(new FileHandleSource(file, handle), undefined, decompress);
  let metadata: TileSourceMetadata;
  try {
    const header = await archive.getHeader();
    const format = PMTILES_FORMATS[header.tileType];
    if (!format) throw new Error(`unsupported tile type ${TileType[header.tileType] ?? header.tileType} (MVT, PNG, JPEG or WebP)`);
    const json = (await archive.getMetadata()) as { name?: string; vector_layers?: TileSourceMetadata['vectorLayers'] };
    metadata = {
      name: json.name ?? file,
      format,
      minzoom: header.minZoom,
      maxzoom: header.maxZoom,
      bounds: [header.minLon, header.minLat, header.maxLon, header.maxLat],
      center: [header.centerLon, header.centerLat, header.centerZoom],
      ...(json.vector_layers && { vectorLayers: json.vector_layers.map((l) => ({ id: l.id, ...(l.fields && { fields: l.fields }) })) }),
    };
  } catch (error) {
    await handle.close();
    throw new Error(`base map ${file} is not a readable PMTiles file: ${(error as Error).message}`);
  }
  return {
    async getTile(z, x, y) {
      checkTileCoordinates(z, x, y);
      if (z > PMTILES_MAX_ZOOM) return null;
      const found = await archive.getZxy(z, x, y);
      return found ? tile(Buffer.from(found.data)) : null;
    },
    metadata: () => metadata,
    close: () => handle.close(),
  };
}

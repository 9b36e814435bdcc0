/**
 * What the map bench draws, shared by its Node side (data set-up, gateways moving the app's
 * objects) and the bare deck.gl page: the area, the view, and the moving objects' random walk.
 */
import { mulberry32 } from '../../sim/random.js';
import type { Bbox } from '../support/communes.js';

/** The demo province's area. */
export const BENCH_BOX: Bbox = [106.75, 10.6, 107.25, 11.25];
export const BENCH_VIEW = { longitude: 107, latitude: 10.92, zoom: 10, bearing: 0, pitch: 0 };
export const MOVING_OBJECTS = 10_000;
/** Every object moves once a second, a slice at a time. */
export const SLICES_PER_SECOND = 20;
export const TRAIL_LENGTH = 12;

/** A seeded random walk of up to ~100 m a step inside the box; positions rounded to 6 decimals, as a GPS reports them. */
export class MovingObjects {
  readonly lon: Float64Array;
  readonly lat: Float64Array;
  private readonly random = mulberry32(20250711);

  constructor(readonly count: number) {
    this.lon = new Float64Array(count);
    this.lat = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      this.lon[i] = this.round(BENCH_BOX[0] + this.random() * (BENCH_BOX[2] - BENCH_BOX[0]));
      this.lat[i] = this.round(BENCH_BOX[1] + this.random() * (BENCH_BOX[3] - BENCH_BOX[1]));
    }
  }

  /** Moves the objects of slice `slice` (of SLICES_PER_SECOND); returns their indices. */
  moveSlice(slice: number): number[] {
    const size = Math.ceil(this.count / SLICES_PER_SECOND);
    const moved: number[] = [];
    for (let i = (slice % SLICES_PER_SECOND) * size; i < Math.min(this.count, ((slice % SLICES_PER_SECOND) + 1) * size); i++) {
      this.lon[i] = this.round(Math.min(BENCH_BOX[2], Math.max(BENCH_BOX[0], this.lon[i]! + (this.random() - 0.5) * 0.002)));
      this.lat[i] = this.round(Math.min(BENCH_BOX[3], Math.max(BENCH_BOX[1], this.lat[i]! + (this.random() - 0.5) * 0.002)));
      moved.push(i);
    }
    return moved;
  }

  private round(degrees: number): number {
    return Math.round(degrees * 1e6) / 1e6;
  }
}

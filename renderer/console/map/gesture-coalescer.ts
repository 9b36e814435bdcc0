/**
 * One wall revision per map gesture. deck.gl reports every frame of a drag or a wheel zoom; a
 * wall that took each one would write a revision per frame and move under everyone's eyes (one pan
 * wrote 11). The coalescer keeps only the latest view and hands it on once the gesture is over:
 * after the pointer is released (a drag), or when the changes have paused for a moment (wheel,
 * keyboard, which have no "end").
 */
export interface GestureTimers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: GestureTimers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class GestureCoalescer<V> {
  private latest: V | null = null;
  private pointerDown = false;
  private timer: unknown = null;

  /**
   * @param emit called once per gesture with its last value
   * @param quietMs how long changes must pause before a gesture without a pointer counts as over
   */
  constructor(
    private readonly emit: (value: V) => void,
    private readonly quietMs = 300,
    private readonly timers: GestureTimers = realTimers,
  ) {}

  /** A frame of the gesture. */
  change(value: V): void {
    this.latest = value;
    if (!this.pointerDown) this.restart(this.quietMs);
  }

  /** The pointer went down on the map: nothing is handed on until it is released. */
  press(): void {
    this.pointerDown = true;
    this.stop();
  }

  /** The pointer was released: the gesture ends (after a short pause for deck.gl's last frame). */
  release(): void {
    if (!this.pointerDown) return;
    this.pointerDown = false;
    if (this.latest !== null) this.restart(Math.min(this.quietMs, 100));
  }

  /** Drops a gesture in progress (the map went away, or the operator left follow mode). */
  cancel(): void {
    this.stop();
    this.latest = null;
    this.pointerDown = false;
  }

  private restart(ms: number): void {
    this.stop();
    this.timer = this.timers.set(() => this.flush(), ms);
  }

  private stop(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
  }

  private flush(): void {
    this.timer = null;
    const value = this.latest;
    this.latest = null;
    if (value !== null) this.emit(value);
  }
}

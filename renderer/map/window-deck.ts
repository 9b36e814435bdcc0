/**
 * The one deck.gl `Deck` of a window (a rendering budget): Chromium drops the oldest WebGL context past
 * 16 per process, so every map tile of a window is a `MapView` of this one Deck rather than a Deck
 * of its own. A view is placed at its tile's full rectangle in window pixels — which may start left
 * of or above the window when the tile spans displays — so each window draws its slice of one
 * shared picture. Layers belong to a view by id prefix (`<viewId>/…`).
 *
 * Context loss (driver reset, GPU process crash) is detected on the canvas and the Deck is rebuilt
 * on a fresh canvas; views and layers are kept here, so the rebuilt map is the same map.
 *
 * Video first on a wall PC without a GPU: when WebGL runs on the CPU (SwiftShader, llvmpipe: the
 * renderer string, renderer/map/software-gl.ts), every map frame costs the whole machine seconds of
 * CPU and live video starves behind it. There the map draws at most once every SOFTWARE_REDRAW_MS
 * at half resolution: a data change waits for the next slot, and so does every redraw deck.gl
 * would make by itself (a basemap tile arriving, a heat map's weights) — the picture stays a
 * static frame between slots. The operator's own pan on the console is drawn at once. The page
 * says so (`data-map-renderer="software"`, and the status tile).
 */
import { Deck, MapView, type Layer, type PickingInfo } from '@deck.gl/core';
import { reportGlRenderer } from './gl-renderer.js';

export interface ViewRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ViewCamera {
  longitude: number;
  latitude: number;
  zoom: number;
  bearing: number;
  pitch: number;
}

export interface MapViewEntry {
  id: string;
  rect: ViewRect;
  camera: ViewCamera;
  layers: Layer[];
  /** The console's map is driven by the pointer; wall views only follow the wall state. */
  interactive?: boolean;
  onCameraChange?: (camera: ViewCamera, interacting: boolean) => void;
  onClick?: (info: PickingInfo) => void;
  /** Called after a frame that drew this view with this camera. */
  onRendered?: (camera: ViewCamera) => void;
}

export interface WindowDeckOptions {
  /** Element the canvas fills. */
  parent: HTMLElement;
  /** Fires for every frame rendered (fps probes, tests). */
  onFrame?: () => void;
}

/** On a CPU-rendered WebGL, the map's data changes are drawn at most this often (still well inside 5 s). */
export const SOFTWARE_REDRAW_MS = 4000;
/** …and at half the resolution in each direction (a quarter of the pixels to fill on the CPU). */
const SOFTWARE_PIXEL_RATIO = 0.5;
/** After the operator's last pan or zoom, frames are drawn at once for this long. */
const INTERACTION_MS = 1000;

/** Layer ids are `<viewId>/<name>`: a view draws only its own layers. */
export const layerIdFor = (viewId: string, name: string): string => `${viewId}/${name}`;

export class WindowDeck {
  private deck: Deck<MapView[]> | null = null;
  private canvas: HTMLCanvasElement | null = null;
  private readonly entries = new Map<string, MapViewEntry>();
  private frame = 0;
  private slotTimer: ReturnType<typeof setTimeout> | null = null;
  private lastApply = 0;
  /** Software budget: when the Deck last drew, the redraw it asked for meanwhile, and its timer. */
  private lastDraw = 0;
  private pendingDraw: string | null = null;
  private drawTimer: ReturnType<typeof setTimeout> | null = null;
  private interactingUntil = 0;
  /** True once the Deck's device turned out to render on the CPU. */
  private software = false;
  /** Whether the software budget applies there (setSoftwareBudget). */
  private budget = true;
  private rebuilds = 0;
  private destroyed = false;

  constructor(private readonly options: WindowDeckOptions) {}

  /** Adds or replaces a view; the Deck is created with the first one and redrawn at the next frame. */
  set(entry: MapViewEntry): void {
    this.entries.set(entry.id, entry);
    this.schedule();
  }

  /**
   * Removes a view. The Deck (and its WebGL context, with every compiled shader) stays for the
   * window's lifetime even with no view left: a scenario switch removes one map tile and adds
   * another, and a new context would recompile every program (seconds on a software GPU).
   */
  remove(id: string): void {
    if (!this.entries.delete(id)) return;
    this.schedule();
  }

  /**
   * Moves the map into another element, Deck and WebGL context kept: the console's map panel
   * comes and goes with the wall's map tile, and a new context would recompile every program
   * (seconds of a console frozen on a software GPU).
   */
  attachTo(parent: HTMLElement): void {
    this.options.parent = parent;
    if (this.canvas && this.canvas.parentElement !== parent) parent.appendChild(this.canvas);
    // the panel's view is drawn at once, not at the software budget's next slot
    this.lastApply = 0;
  }

  /** How many times the Deck was rebuilt after a lost context (tests, diagnostics). */
  get rebuildCount(): number {
    return this.rebuilds;
  }

  get deckInstance(): Deck<MapView[]> | null {
    return this.deck;
  }

  /**
   * Lifts (false) or restores (true) the software budget. Only the map bench lifts it, to compare
   * the map's own cost per frame with a bare deck.gl page drawing every frame at full resolution:
   * lifted, the map takes the code path it takes on a GPU. No effect on a GPU.
   */
  setSoftwareBudget(enabled: boolean): void {
    this.budget = enabled;
    if (!enabled) {
      if (this.drawTimer) clearTimeout(this.drawTimer);
      this.drawTimer = null;
      this.pendingDraw = null;
    }
    this.applyBudget();
    this.schedule();
  }

  destroy(): void {
    this.destroyed = true;
    this.entries.clear();
    this.teardown();
  }

  /** `now`: the operator is moving the map; anything else may wait for the next redraw slot. */
  private schedule(now = false): void {
    if (this.frame || this.destroyed) return;
    const wait = this.software && this.budget && !now ? this.lastApply + SOFTWARE_REDRAW_MS - performance.now() : 0;
    if (wait > 0) {
      this.slotTimer ??= setTimeout(() => {
        this.slotTimer = null;
        this.schedule(true);
      }, wait);
      return;
    }
    if (this.slotTimer) clearTimeout(this.slotTimer);
    this.slotTimer = null;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.lastApply = performance.now();
      this.apply();
    });
  }

  private apply(): void {
    if (this.entries.size === 0 && this.deck === null) return;
    const rebuilt = this.deck === null;
    const deck = this.deck ?? this.create();
    const entries = [...this.entries.values()];
    // with no view left the last picture must not linger beneath the tiles
    if (this.canvas) this.canvas.style.visibility = entries.length > 0 ? 'visible' : 'hidden';
    // A layer instance belongs to the Deck that initialized it: a new Deck gets clones.
    if (rebuilt) for (const e of entries) e.layers = e.layers.map((layer) => layer.clone({}));
    deck.setProps({
      views: entries.map(
        (e) => new MapView({ id: e.id, x: e.rect.x, y: e.rect.y, width: e.rect.width, height: e.rect.height, controller: e.interactive ? { dragRotate: false } : false, repeat: true }),
      ),
      viewState: Object.fromEntries(entries.map((e) => [e.id, e.camera])),
      layers: entries.flatMap((e) => e.layers),
    });
  }

  private create(): Deck<MapView[]> {
    const canvas = document.createElement('canvas');
    canvas.className = 'window-deck-canvas';
    canvas.style.position = 'absolute';
    canvas.style.inset = '0';
    canvas.style.width = '100%';
    canvas.style.height = '100%';
    this.options.parent.appendChild(canvas);
    canvas.addEventListener('webglcontextlost', this.onContextLost, { once: true });
    canvas.addEventListener('pointerdown', this.onPointerDown);
    canvas.addEventListener('click', this.onCanvasClick);
    this.canvas = canvas;
    this.deck = new Deck<MapView[]>({
      canvas,
      width: '100%',
      height: '100%',
      // a wall display is viewed from metres away: 1:1 pixels are sharp enough and half the fill cost
      useDevicePixels: 1,
      layerFilter: ({ layer, viewport }) => layer.id.startsWith(`${viewport.id}/`),
      onViewStateChange: ({ viewId, viewState, interactionState }) => {
        const entry = this.entries.get(viewId);
        const camera = cameraOf(viewState as Partial<ViewCamera>);
        if (!entry || !camera) return;
        entry.camera = camera;
        this.interactingUntil = performance.now() + INTERACTION_MS;
        this.schedule(true);
        entry.onCameraChange?.(camera, Boolean(interactionState.isDragging || interactionState.isPanning || interactionState.isZooming));
      },
      onAfterRender: () => {
        for (const entry of this.entries.values()) entry.onRendered?.(entry.camera);
        this.options.onFrame?.();
      },
      onDeviceInitialized: (device) => {
        const renderer = reportGlRenderer(device.info.vendor, device.info.renderer);
        this.software = renderer.software !== null || device.info.gpuType === 'cpu';
        document.documentElement.dataset.mapRenderer = this.software ? 'software' : 'gpu';
        // after the constructor has returned: this.deck is set by then
        if (this.software) queueMicrotask(() => this.applyBudget());
        if (this.software) console.info(`ioc-wall: the map renders in software (${device.info.renderer}); it redraws at most every ${SOFTWARE_REDRAW_MS / 1000} s so live video keeps priority`);
      },
      onError: (error) => console.error('ioc-wall: map', error),
    });
    return this.deck;
  }

  private applyBudget(): void {
    if (!this.software) return;
    const on = this.budget;
    this.deck?.setProps({ useDevicePixels: on ? SOFTWARE_PIXEL_RATIO : 1, _customRender: on ? this.budgetedDraw : null });
  }

  /**
   * Software budget: every redraw deck.gl decides on comes here instead of drawing. It is drawn at
   * once after a slot's data change (applies are themselves one per slot), while the operator moves
   * the map, or when the slot is due; anything else (a tile arriving) waits for the next of these.
   */
  private readonly budgetedDraw = (reason: string): void => {
    this.pendingDraw = reason;
    const now = performance.now();
    const wait = this.lastApply > this.lastDraw || now < this.interactingUntil ? 0 : this.lastDraw + SOFTWARE_REDRAW_MS - now;
    if (wait > 0) {
      this.drawTimer ??= setTimeout(this.drawPending, wait);
      return;
    }
    this.drawPending();
  };

  private readonly drawPending = (): void => {
    if (this.drawTimer) clearTimeout(this.drawTimer);
    this.drawTimer = null;
    const reason = this.pendingDraw;
    this.pendingDraw = null;
    if (!reason || !this.deck) return;
    this.lastDraw = performance.now();
    this.deck._drawLayers(reason);
  };

  private pointerDownAt: { x: number; y: number } | null = null;

  private readonly onPointerDown = (event: PointerEvent) => {
    this.pointerDownAt = { x: event.clientX, y: event.clientY };
  };

  /**
   * Clicks are taken from the canvas itself rather than deck.gl's onClick, which does not report
   * clicks on empty map under a controller; a click that ends a drag (a pan) is not a click.
   */
  private readonly onCanvasClick = (event: MouseEvent) => {
    const deck = this.deck;
    const canvas = this.canvas;
    const down = this.pointerDownAt;
    if (!deck || !canvas || (down && Math.hypot(event.clientX - down.x, event.clientY - down.y) > 4)) return;
    const bounds = canvas.getBoundingClientRect();
    const [x, y] = [event.clientX - bounds.left, event.clientY - bounds.top];
    const viewport = deck.getViewports({ x, y })[0];
    const entry = viewport ? this.entries.get(viewport.id) : undefined;
    if (!viewport || !entry?.onClick) return;
    const picked = deck.pickObject({ x, y, radius: 4 });
    const coordinate = viewport.unproject([x - viewport.x, y - viewport.y]);
    entry.onClick({ ...(picked ?? {}), x, y, viewport, coordinate, layer: picked?.layer ?? null, object: picked?.object } as PickingInfo);
  };

  private readonly onContextLost = (event: Event) => {
    // Keep the browser from giving up on the context; we rebuild on a new canvas rather than wait.
    event.preventDefault();
    console.warn('ioc-wall: map WebGL context lost; rebuilding the map');
    this.teardown();
    this.rebuilds++;
    document.documentElement.dataset.mapRebuilds = String(this.rebuilds);
    this.schedule();
  };

  private teardown(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (this.slotTimer) clearTimeout(this.slotTimer);
    this.slotTimer = null;
    if (this.drawTimer) clearTimeout(this.drawTimer);
    this.drawTimer = null;
    this.pendingDraw = null;
    const deck = this.deck;
    const canvas = this.canvas;
    this.deck = null;
    this.canvas = null;
    canvas?.removeEventListener('webglcontextlost', this.onContextLost);
    canvas?.removeEventListener('pointerdown', this.onPointerDown);
    canvas?.removeEventListener('click', this.onCanvasClick);
    try {
      deck?.finalize();
    } catch (error) {
      // finalizing on a lost context may throw inside luma.gl; the canvas goes away regardless
      console.warn('ioc-wall: map finalize', error);
    }
    canvas?.remove();
  }
}

function cameraOf(v: Partial<ViewCamera>): ViewCamera | null {
  if (typeof v.longitude !== 'number' || typeof v.latitude !== 'number' || typeof v.zoom !== 'number') return null;
  return { longitude: v.longitude, latitude: v.latitude, zoom: v.zoom, bearing: v.bearing ?? 0, pitch: v.pitch ?? 0 };
}

/**
 * The console's map: an interactive view of a wall map tile (the selected one, else the first).
 * Panning and zooming move the wall only when the operator chooses: in *Xem trước* (preview, the
 * default) the console's view is its own and *Đưa lên tường* puts it on the wall in one revision;
 * in *Điều khiển tường* (follow) each finished gesture moves every slice of that tile — one
 * set-tile-props per gesture (GestureCoalescer), never one per frame. Clicking a camera opens it
 * in the wall's camera tile. The query tools ask the host's
 * spatial index by point, radius, drawn region or commune and show the figures by group.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PickingInfo } from '@deck.gl/core';
import type { LiveCamera, SpatialQueryInput, Tile } from '../../../native-bridge/contract.js';
import { i18next } from '../../i18n/index.js';
import { buildMapLayers } from '../../map/layers.js';
import { useChoropleth } from '../../map/choropleth.js';
import { shownPointDatasets, useMapData } from '../../map/map-data.js';
import { WindowDeck, type ViewCamera } from '../../map/window-deck.js';
import { session } from '../../session/session.js';
import { showToast, useAppStore } from '../../session/store.js';
import { useEditedWall } from '../staging.js';
import { GestureCoalescer } from './gesture-coalescer.js';
import { openCameraCommand } from './open-camera.js';
import { queryShapeLayers, type QueryMode, type QueryShape } from './query-shape.js';
import { QueryResults, type QueryOutcome } from './QueryResults.js';

const VIEW_ID = 'console-map';

type MapTile = Extract<Tile, { kind: 'map' }>;
type MapView = MapTile['props']['view'];
type SyncMode = 'preview' | 'follow';

const viewOf = (camera: ViewCamera): MapView => ({ longitude: camera.longitude, latitude: camera.latitude, zoom: camera.zoom, bearing: camera.bearing, pitch: camera.pitch });
/** Two views a person could not tell apart (about a metre, a hundredth of a zoom level). */
const sameView = (a: ViewCamera, b: ViewCamera): boolean =>
  Math.abs(a.longitude - b.longitude) < 1e-5 && Math.abs(a.latitude - b.latitude) < 1e-5 && Math.abs(a.zoom - b.zoom) < 0.01 && Math.abs(a.bearing - b.bearing) < 0.1 && Math.abs(a.pitch - b.pitch) < 0.1;

export function MapPanel({ selectedId }: { selectedId: string | null }) {
  const { t } = useTranslation();
  const tiles = useEditedWall()?.tiles;
  const mapTile = useMemo(() => {
    const maps = (tiles ?? []).filter((x): x is MapTile => x.kind === 'map');
    return maps.find((m) => m.id === selectedId) ?? maps[0] ?? null;
  }, [tiles, selectedId]);
  if (!mapTile) return null;
  return (
    <section className="panel map-panel" data-testid="map-panel" data-map-tile={mapTile.id}>
      <h2 className="panel-title">{t('console.map.title')}</h2>
      <ConsoleMap tile={mapTile} />
    </section>
  );
}

function ConsoleMap({ tile }: { tile: MapTile }) {
  const { t } = useTranslation();
  const hostRef = useRef<HTMLDivElement>(null);
  const deckRef = useRef<WindowDeck | null>(null);
  const [camera, setCamera] = useState<ViewCamera>(() => ({ ...tile.props.view }));
  const [mode, setMode] = useState<QueryMode>('pan');
  const [radiusKm, setRadiusKm] = useState(2);
  const [draft, setDraft] = useState<[number, number][]>([]);
  const [shape, setShape] = useState<QueryShape | null>(null);
  const [outcome, setOutcome] = useState<QueryOutcome | null>(null);
  const [sync, setSync] = useState<SyncMode>('preview');
  const interacting = useRef(false);
  const cameras = useRef<readonly LiveCamera[]>([]);
  const putOnWall = (camera: ViewCamera) => void session().execute({ type: 'set-tile-props', id: tile.id, props: { view: viewOf(camera) } });
  const gestures = useRef<GestureCoalescer<ViewCamera> | null>(null);
  gestures.current ??= new GestureCoalescer<ViewCamera>((camera) => putOnWall(camera));
  useEffect(() => () => gestures.current?.cancel(), []);
  const diverged = !sameView(camera, tile.props.view);

  const choropleth = useChoropleth(tile.props.layers.includes('choropleth') ? tile.props.choropleth : null);
  const data = useMapData(choropleth, shownPointDatasets(tile.props));
  cameras.current = data.cameras;

  // Follow: the wall's view, unless the operator is moving the map right now. Preview: the
  // console keeps its own view; the wall's moves reach it only when it has not gone its own way.
  const wallView = useRef<MapView>(tile.props.view);
  useEffect(() => {
    setCamera((current) => (sync === 'follow' ? (interacting.current ? current : { ...tile.props.view }) : sameView(current, wallView.current) ? { ...tile.props.view } : current));
    wallView.current = tile.props.view;
  }, [tile.props.view, sync]);

  const chooseSync = (next: SyncMode) => {
    gestures.current?.cancel();
    setSync(next);
    // driving the wall starts from what the wall shows
    if (next === 'follow') setCamera({ ...tile.props.view });
  };

  const runQuery = async (query: SpatialQueryInput, drawn: QueryShape) => {
    setShape(drawn);
    try {
      const [result, names] = await Promise.all([session().client.call('gis.query', query), areaNames()]);
      setOutcome({ result, names });
    } catch (error) {
      showToast(t('console.map.queryFailed', { message: (error as Error).message }));
    }
  };

  const onClick = (info: PickingInfo) => {
    const [lon, lat] = info.coordinate ?? [];
    if (lon === undefined || lat === undefined) return;
    if (mode === 'pan') {
      if (info.layer?.id.endsWith('/cameras') && info.object) void openCamera((info.object as LiveCamera).id);
      return;
    }
    if (mode === 'point') void runQuery({ shape: { type: 'point', lon, lat, toleranceM: 300 }, groupBy: ['layer', 'state'] }, { type: 'point', center: [lon, lat] });
    else if (mode === 'radius') {
      void runQuery({ shape: { type: 'radius', lon, lat, radiusM: radiusKm * 1000 }, groupBy: ['area', 'layer'] }, { type: 'radius', center: [lon, lat], radiusM: radiusKm * 1000 });
    } else if (mode === 'area') void queryArea(lon, lat);
    else setDraft((d) => [...d, [lon, lat]]);
  };

  const queryArea = async (lon: number, lat: number) => {
    const hit = await session().client.call('gis.query', { shape: { type: 'point', lon, lat, toleranceM: 1 }, limit: 0 });
    const areaId = hit.areasHit?.[0];
    if (!areaId) {
      showToast(t('console.map.noArea'), 'info');
      return;
    }
    await runQuery({ shape: { type: 'area', areaId }, groupBy: ['layer', 'state'] }, { type: 'area', areaId });
  };

  const finishRegion = () => {
    if (draft.length < 3) return;
    const ring = [...draft, draft[0]!];
    setDraft([]);
    void runQuery({ shape: { type: 'region', polygon: [ring] }, groupBy: ['area', 'layer'] }, { type: 'region', ring });
  };

  const layers = useMemo(() => {
    const base = buildMapLayers(VIEW_ID, tile.props.layers, data, Date.now());
    return [...base, ...queryShapeLayers(VIEW_ID, shape, draft, data.communes)];
  }, [tile.props.layers, data, shape, draft]);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const deck = consoleDeck(host);
    deckRef.current = deck;
    return () => {
      deck.remove(VIEW_ID);
      deckRef.current = null;
    };
  }, []);

  useEffect(() => {
    const host = hostRef.current;
    const deck = deckRef.current;
    if (!host || !deck) return;
    deck.set({
      id: VIEW_ID,
      rect: { x: 0, y: 0, width: host.clientWidth, height: host.clientHeight },
      camera,
      layers,
      interactive: true,
      onCameraChange: (next, moving) => {
        interacting.current = moving;
        setCamera(next);
        if (sync === 'follow') gestures.current?.change(next);
      },
      onClick,
    });
  });

  return (
    <div className="console-map">
      <div className="map-sync" role="group" aria-label={t('console.map.sync.label')} data-testid="map-sync" data-sync={sync} data-diverged={diverged || undefined}>
        <span className="muted">{t('console.map.sync.label')}:</span>
        {(['preview', 'follow'] as const).map((m) => (
          <button key={m} type="button" className={sync === m ? 'active' : ''} aria-pressed={sync === m} data-sync-mode={m} title={t(`console.map.sync.${m}Hint`)} onClick={() => chooseSync(m)}>
            {t(`console.map.sync.${m}`)}
          </button>
        ))}
        {sync === 'preview' && diverged ? (
          <>
            <span className="map-sync-diverged" data-testid="map-diverged">
              {t('console.map.sync.diverged')}
            </span>
            <button type="button" className="btn-primary" data-testid="map-push" onClick={() => (putOnWall(camera), showToast(t('console.map.sync.pushed'), 'info'))}>
              {t('console.map.sync.push')}
            </button>
            <button type="button" data-testid="map-reset" onClick={() => setCamera({ ...tile.props.view })}>
              {t('console.map.sync.reset')}
            </button>
          </>
        ) : null}
      </div>
      <div className="map-tools" role="toolbar">
        {(['pan', 'point', 'radius', 'region', 'area'] as const).map((m) => (
          <button key={m} type="button" className={mode === m ? 'active' : ''} data-query-mode={m} onClick={() => (setMode(m), setDraft([]))}>
            {t(`console.map.modes.${m}`)}
          </button>
        ))}
        {mode === 'radius' ? (
          <label className="map-radius">
            {t('console.map.radius')}
            <input type="number" min={0.1} max={50} step={0.5} value={radiusKm} onChange={(e) => setRadiusKm(Math.max(0.1, Number(e.target.value) || 1))} />
            km
          </label>
        ) : null}
        {mode === 'region' ? (
          <button type="button" disabled={draft.length < 3} onClick={finishRegion} data-testid="finish-region">
            {t('console.map.finishRegion', { count: draft.length })}
          </button>
        ) : null}
      </div>
      <div
        className="console-map-canvas"
        ref={hostRef}
        data-testid="console-map"
        onPointerDown={() => {
          gestures.current?.press();
          window.addEventListener(
            'pointerup',
            () => {
              // deck.gl says when a drag starts, not always when it ends
              interacting.current = false;
              gestures.current?.release();
            },
            { once: true },
          );
        }}
      />
      {outcome ? <QueryResults outcome={outcome} onClose={() => (setOutcome(null), setShape(null))} /> : null}
    </div>
  );
}

let sharedDeck: WindowDeck | null = null;

/** The console's one map Deck, kept for the page's lifetime (WindowDeck.attachTo) and put in `parent`. */
function consoleDeck(parent: HTMLElement): WindowDeck {
  sharedDeck ??= new WindowDeck({ parent });
  sharedDeck.attachTo(parent);
  (window as unknown as { __iocConsoleDeck?: WindowDeck }).__iocConsoleDeck = sharedDeck;
  return sharedDeck;
}

async function openCamera(cameraId: string): Promise<void> {
  const state = useAppStore.getState().wall;
  if (!state) return;
  const command = openCameraCommand(state, cameraId);
  if (!command) {
    showToast(i18next.t('console.map.noCameraTile'), 'info');
    return;
  }
  await session().execute(command);
}

let areaNameRequest: Promise<Map<string, string>> | null = null;

/** Commune names by id (for result rows), from the aggregate's answer, fetched once. */
function areaNames(): Promise<Map<string, string>> {
  areaNameRequest ??= session()
    .client.call('gis.aggregate', {})
    .then(({ areas }) => new Map(areas.map((a) => [a.areaId, a.name])))
    .catch(() => {
      areaNameRequest = null;
      return new Map<string, string>();
    });
  return areaNameRequest;
}

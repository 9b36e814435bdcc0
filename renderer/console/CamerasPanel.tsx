/**
 * The camera list of the console: searchable by name, commune, gateway (and id), from the live
 * registry. Drag a camera (real pointer events) onto a camera-grid cell or a camera tile of the
 * miniature to assign it, or onto empty wall space to add a camera tile there. Held near the top
 * or bottom edge of the console, a dragged camera scrolls it (as native drag and drop does): on a
 * desk monitor the list sits far below the miniature.
 */
import { useEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LiveCamera } from '../../native-bridge/contract.js';
import { useLive } from '../session/live-hooks.js';
import { session } from '../session/session.js';
import { showToast, useAppStore } from '../session/store.js';
import { dropCommand, dropTargetAt, type DropTarget } from './camera-drop.js';
import { usePermissions } from './permissions.js';

interface Drag {
  camera: LiveCamera;
  pointerId: number;
  startX: number;
  startY: number;
  x: number;
  y: number;
  moved: boolean;
}

/** Folds case and Vietnamese diacritics ("Hóa An" matches "hoa an"). */
export function searchKey(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
}

/** Band along the scroller's top and bottom edges where a held camera scrolls it, in px. */
export const EDGE_SCROLL_BAND = 48;

/** Pixels per frame to scroll for a pointer at clientY over a scroller spanning top..bottom (< 0: up). */
export function edgeScrollStep(clientY: number, top: number, bottom: number): number {
  const depth = clientY < top + EDGE_SCROLL_BAND ? clientY - (top + EDGE_SCROLL_BAND) : clientY > bottom - EDGE_SCROLL_BAND ? clientY - (bottom - EDGE_SCROLL_BAND) : 0;
  if (depth === 0) return 0;
  return Math.sign(depth) * Math.min(24, Math.ceil(Math.abs(depth) / 2));
}

export function matchCamera(camera: LiveCamera, gatewayName: string, query: string): boolean {
  const q = searchKey(query.trim());
  if (q === '') return true;
  const haystack = searchKey([camera.name, camera.id, camera.commune, camera.gateway, gatewayName].join(' '));
  return q.split(/\s+/).every((word) => haystack.includes(word));
}

export function CamerasPanel() {
  const { t } = useTranslation();
  const cameras = useLive((s) => s.cameraList);
  const links = useLive((s) => s.linkByGateway);
  const [query, setQuery] = useState('');
  // dragging a camera onto the wall changes it: only for the roles that arrange the wall
  const arranges = usePermissions().command('add-tile');
  const [drag, setDrag] = useState<Drag | null>(null);
  const dragRef = useRef<Drag | null>(null);
  const hoverRef = useRef<HTMLElement | null>(null);
  const scrollFrame = useRef(0);

  const stopScroll = () => {
    cancelAnimationFrame(scrollFrame.current);
    scrollFrame.current = 0;
  };
  useEffect(() => stopScroll, []);

  const shown = useMemo(() => cameras.filter((c) => matchCamera(c, links.get(c.gateway)?.name ?? '', query)), [cameras, links, query]);

  const setHover = (target: DropTarget | null) => {
    const el = target?.element ?? null;
    if (hoverRef.current === el) return;
    hoverRef.current?.classList.remove('drop-hover');
    el?.classList.add('drop-hover');
    hoverRef.current = el;
  };

  const down = (e: ReactPointerEvent<HTMLElement>, camera: LiveCamera) => {
    if (e.button !== 0 || !arranges) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    const next: Drag = { camera, pointerId: e.pointerId, startX: e.clientX, startY: e.clientY, x: e.clientX, y: e.clientY, moved: false };
    dragRef.current = next;
    setDrag(next);
  };

  const move = (e: ReactPointerEvent<HTMLElement>) => {
    const d = dragRef.current;
    if (!d || e.pointerId !== d.pointerId) return;
    const moved = d.moved || Math.hypot(e.clientX - d.startX, e.clientY - d.startY) > 4;
    const next = { ...d, x: e.clientX, y: e.clientY, moved };
    dragRef.current = next;
    setDrag(next);
    if (moved) setHover(dropTargetAt(e.clientX, e.clientY));
    if (moved && scrollFrame.current === 0) scrollNearEdge(e.currentTarget.closest<HTMLElement>('.console-main'));
  };

  /** While the held camera stays near the scroller's edge, scroll it (the pointer may not move). */
  const scrollNearEdge = (scroller: HTMLElement | null) => {
    const d = dragRef.current;
    const box = scroller?.getBoundingClientRect();
    const step = d && box ? edgeScrollStep(d.y, box.top, box.bottom) : 0;
    const before = scroller?.scrollTop;
    if (scroller && step !== 0) scroller.scrollTop += step;
    if (!scroller || !d || step === 0 || scroller.scrollTop === before) {
      stopScroll();
      return;
    }
    setHover(dropTargetAt(d.x, d.y)); // the wall moved under the pointer
    scrollFrame.current = requestAnimationFrame(() => scrollNearEdge(scroller));
  };

  const end = (e: ReactPointerEvent<HTMLElement>, cancelled: boolean) => {
    const d = dragRef.current;
    if (!d || e.pointerId !== d.pointerId) return;
    dragRef.current = null;
    stopScroll();
    setDrag(null);
    setHover(null);
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
    if (cancelled || !d.moved) return;
    const target = dropTargetAt(e.clientX, e.clientY);
    const state = useAppStore.getState().wall;
    if (!target || !state) return;
    const result = dropCommand(target, d.camera.id, state, `camera-${Date.now().toString(36)}`);
    if ('refused' in result) {
      showToast(t(`cameras.drop.${result.refused}`), 'info');
      return;
    }
    void session().execute(result.command);
  };

  return (
    <section className="panel cameras-panel" data-testid="cameras-panel">
      <h2 className="panel-title">
        {t('cameras.title')} <span className="muted">({shown.length}/{cameras.length})</span>
      </h2>
      <input
        type="search"
        className="cameras-search"
        data-testid="camera-search"
        placeholder={t('cameras.search')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        lang="vi"
        autoComplete="off"
      />
      <ul className="camera-list">
        {shown.map((c) => (
          <li
            key={c.id}
            className={`camera-item${drag?.camera.id === c.id ? ' dragging' : ''}`}
            data-camera-item={c.id}
            title={arranges ? t('cameras.dragHint') : undefined}
            onPointerDown={(e) => down(e, c)}
            onPointerMove={move}
            onPointerUp={(e) => end(e, false)}
            onPointerCancel={(e) => end(e, true)}
          >
            <span className="camera-item-name">{c.name}</span>
            <span className="camera-item-meta muted">
              {c.commune} · {links.get(c.gateway)?.name ?? c.gateway}
            </span>
          </li>
        ))}
        {cameras.length === 0 ? <li className="muted">{t('cameras.empty')}</li> : shown.length === 0 ? <li className="muted">{t('cameras.noMatch')}</li> : null}
      </ul>
      {drag?.moved ? (
        <div className="camera-drag-ghost" data-drag-ghost style={{ left: drag.x + 12, top: drag.y + 12 }}>
          {drag.camera.name}
        </div>
      ) : null}
    </section>
  );
}

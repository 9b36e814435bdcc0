/** The operator console: scenario banner and panel, wall miniature and editing, the pair of nodes (technicians), presets, cameras, GIS data, alerts, status. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LinkOverlay } from '../components/LinkOverlay.js';
import { StandbyMark } from '../components/StandbyMark.js';
import { DrillMark } from '../components/DrillMark.js';
import { DrillPanel } from './DrillPanel.js';
import { Toasts } from '../components/Toasts.js';
import { session } from '../session/session.js';
import { useAppStore } from '../session/store.js';
import { AccountsPanel } from './AccountsPanel.js';
import { AlertsPanel } from './AlertsPanel.js';
import { AuditView } from './audit/AuditView.js';
import { CamerasPanel } from './CamerasPanel.js';
import { DisplaysPanel } from './DisplaysPanel.js';
import { GatewayKeysPanel } from './GatewayKeysPanel.js';
import { GisPanel } from './GisPanel.js';
import { MapPanel } from './map/MapPanel.js';
import { PairPanel } from './PairPanel.js';
import { Miniature } from './Miniature.js';
import { usePermissions } from './permissions.js';
import { PresetsPanel } from './PresetsPanel.js';
import { ReplayPanel } from './replay/ReplayPanel.js';
import { SignIn } from './SignIn.js';
import { ScenarioBar } from './scenarios/ScenarioBar.js';
import { ScenarioPanel } from './scenarios/ScenarioPanel.js';
import { StatusStrip } from './StatusStrip.js';
import { AddTile, isTypingTarget, removeTile, SelectedTile, SelectedTileEditor, UndoRedo } from './TilePanel.js';

export function ConsoleApp() {
  const { t, i18n } = useTranslation();
  const revision = useAppStore((s) => s.revision);
  const tiles = useAppStore((s) => s.wall?.tiles);
  const actor = useAppStore((s) => s.actor);
  const link = useAppStore((s) => s.link);
  const [selected, setSelected] = useState<string | null>(null);
  const [auditOpen, setAuditOpen] = useState(false);
  const [replaying, setReplaying] = useState(false);
  // viewers, technicians and administrators watch the wall; only wall editors arrange it
  const may = usePermissions();
  const editsWall = may.call('wall.execute');

  // forget a selection whose tile is gone (removed here, elsewhere, or by a preset recall)
  useEffect(() => {
    if (selected && tiles && !tiles.some((x) => x.id === selected)) setSelected(null);
  }, [selected, tiles]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTypingTarget(e.target)) return;
      if (e.key === 'Escape') setSelected(null);
      const undoKey = (e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'z';
      const redoKey = (e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'y';
      if ((undoKey || redoKey) && editsWall) {
        e.preventDefault();
        void session().undoRedo(undoKey && !e.shiftKey ? 'undo' : 'redo');
      }
      const tile = selected ? tiles?.find((x) => x.id === selected) : undefined;
      if (e.key === 'Delete' && tile && editsWall) {
        e.preventDefault();
        void removeTile(tile, i18n.language).then((removed) => {
          if (removed) setSelected((s) => (s === tile.id ? null : s));
        });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selected, tiles, editsWall, i18n.language]);

  if (!actor && link === 'up') {
    return (
      <div className="console console-signed-out">
        <SignIn />
        <Toasts />
      </div>
    );
  }

  return (
    <div className="console" data-testid="console" data-revision={revision}>
      <StatusStrip onOpenAudit={() => setAuditOpen(true)} />
      <ScenarioBar />
      <main className="console-main">
        <section className="panel wall-panel">
          <h2 className="panel-title wall-tabs" role="tablist">
            <button type="button" role="tab" aria-selected={!replaying} className={`tab${replaying ? '' : ' active'}`} onClick={() => setReplaying(false)}>
              {t('console.wall')}
            </button>
            <button type="button" role="tab" aria-selected={replaying} className={`tab${replaying ? ' active' : ''}`} onClick={() => setReplaying(true)} data-testid="replay-tab">
              {t('replay.title')}
            </button>
          </h2>
          {replaying ? (
            <ReplayPanel />
          ) : (
            <>
              <Miniature selectedId={selected} onSelect={setSelected} editable={editsWall} />
              {editsWall ? (
                <>
                  <div className="wall-tools">
                    <SelectedTile id={selected} onRemoved={() => setSelected(null)} />
                    <AddTile onAdded={setSelected} />
                    <UndoRedo />
                  </div>
                  <SelectedTileEditor id={selected} />
                  <p className="hint muted">{t('console.hint')}</p>
                </>
              ) : (
                <p className="hint muted" data-testid="wall-read-only">{t('console.readOnly')}</p>
              )}
            </>
          )}
        </section>
        {/* under the wall panel, where a technician's read-only wall leaves the editing tools' room */}
        <PairPanel />
        <MapPanel selectedId={selected} />
        <aside className="console-side">
          <ScenarioPanel />
          <DrillPanel />
          <PresetsPanel />
          <CamerasPanel />
          <GisPanel />
          <DisplaysPanel />
          <GatewayKeysPanel />
          <AlertsPanel />
          {may.call('accounts.list') ? <AccountsPanel /> : null}
        </aside>
      </main>
      {auditOpen ? <AuditView onClose={() => setAuditOpen(false)} /> : null}
      <Toasts />
      <StandbyMark />
      <DrillMark />
      <LinkOverlay />
    </div>
  );
}

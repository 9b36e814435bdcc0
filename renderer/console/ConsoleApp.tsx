/** The operator console: status, scenario banner, the wall's miniature and editing, the pair of nodes (technicians) and the console map on the left; the dock of panels and the alerts on the right (ConsoleDock). */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LinkOverlay } from '../components/LinkOverlay.js';
import { StandbyMark } from '../components/StandbyMark.js';
import { DrillMark } from '../components/DrillMark.js';
import { Toasts } from '../components/Toasts.js';
import { useAppStore } from '../session/store.js';
import { ConsoleDock } from './ConsoleDock.js';
import { AuditView } from './audit/AuditView.js';
import { MapPanel } from './map/MapPanel.js';
import { PairPanel } from './PairPanel.js';
import { Miniature } from './Miniature.js';
import { usePermissions } from './permissions.js';
import { usePresetShortcuts } from './PresetsPanel.js';
import { ReplayPanel } from './replay/ReplayPanel.js';
import { SignIn } from './SignIn.js';
import { ScenarioBar } from './scenarios/ScenarioBar.js';
import { StatusStrip } from './StatusStrip.js';
import { AddTile, isTypingTarget, removeTile, SelectedTile, SelectedTileEditor, UndoRedo } from './TilePanel.js';
import { StagedEditing } from './StagedEditing.js';
import { undoRedo, useEditedWall } from './staging.js';

export function ConsoleApp() {
  const { t, i18n } = useTranslation();
  const revision = useAppStore((s) => s.revision);
  const tiles = useEditedWall()?.tiles;
  const actor = useAppStore((s) => s.actor);
  const link = useAppStore((s) => s.link);
  const [selected, setSelected] = useState<string | null>(null);
  const [auditOpen, setAuditOpen] = useState(false);
  const [replaying, setReplaying] = useState(false);
  // viewers, technicians and administrators watch the wall; only wall editors arrange it
  const may = usePermissions();
  const editsWall = may.call('wall.execute');
  usePresetShortcuts(may.command('apply-preset'));

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
        undoRedo(undoKey && !e.shiftKey ? 'undo' : 'redo');
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
        <div className="console-work">
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
                {/* the miniature as large as the panel allows, the selected tile's tools and editor beside it */}
                <div className={`wall-body${editsWall ? '' : ' read-only'}`}>
                  <Miniature selectedId={selected} onSelect={setSelected} editable={editsWall} />
                  {editsWall ? (
                    <div className="wall-side">
                      <div className="wall-tools">
                        <SelectedTile id={selected} onRemoved={() => setSelected(null)} />
                        <AddTile onAdded={setSelected} />
                        <UndoRedo />
                      </div>
                      <StagedEditing />
                      <SelectedTileEditor id={selected} />
                    </div>
                  ) : null}
                </div>
                <p className="hint muted" data-testid={editsWall ? undefined : 'wall-read-only'}>
                  {t(editsWall ? 'console.hint' : 'console.readOnly')}
                </p>
              </>
            )}
          </section>
          {/* under the wall panel, where a technician's read-only wall leaves the editing tools' room */}
          <PairPanel />
          <MapPanel selectedId={selected} />
        </div>
        <ConsoleDock />
      </main>
      {auditOpen ? <AuditView onClose={() => setAuditOpen(false)} /> : null}
      <Toasts />
      <StandbyMark />
      <DrillMark />
      <LinkOverlay />
    </div>
  );
}

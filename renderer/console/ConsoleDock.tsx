/**
 * The console's right-hand dock: the panels an operator switches between (scenarios and drills,
 * presets, cameras, GIS data, the system's displays, keys and accounts) as tabs, each scrolling
 * inside the dock, over the alerts, which are always in view. So the console fits a 1600×900
 * desk monitor with no page scroll and the wall's miniature never scrolls away.
 */
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AccountsPanel } from './AccountsPanel.js';
import { AlertsPanel } from './AlertsPanel.js';
import { CamerasPanel } from './CamerasPanel.js';
import { DisplaysPanel } from './DisplaysPanel.js';
import { DrillPanel } from './DrillPanel.js';
import { GatewayKeysPanel } from './GatewayKeysPanel.js';
import { GisPanel } from './GisPanel.js';
import { usePermissions } from './permissions.js';
import { PresetsPanel } from './PresetsPanel.js';
import { ScenarioPanel } from './scenarios/ScenarioPanel.js';
import { useScenarios } from './scenarios/scenarios-store.js';
import { openRuns } from './scenarios/view.js';

export const DOCK_TABS = ['scenarios', 'presets', 'cameras', 'data', 'system'] as const;
export type DockTab = (typeof DOCK_TABS)[number];

// the tab a person last chose, kept across reloads of the console on this desk
const TAB_KEY = 'ioc-wall.console.dock-tab';
const savedTab = (): DockTab => {
  const saved = localStorage.getItem(TAB_KEY);
  return DOCK_TABS.find((tab) => tab === saved) ?? 'scenarios';
};

export function ConsoleDock() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<DockTab>(savedTab);
  const may = usePermissions();
  const runsOpen = useScenarios((s) => openRuns(s.runs).length);
  const choose = (next: DockTab) => {
    setTab(next);
    localStorage.setItem(TAB_KEY, next);
  };
  const panels: Record<DockTab, () => ReactNode> = {
    scenarios: () => (
      <>
        <ScenarioPanel />
        <DrillPanel />
      </>
    ),
    presets: () => <PresetsPanel />,
    cameras: () => <CamerasPanel />,
    data: () => <GisPanel />,
    system: () => (
      <>
        <DisplaysPanel />
        <GatewayKeysPanel />
        {may.call('accounts.list') ? <AccountsPanel /> : null}
      </>
    ),
  };

  return (
    <aside className="console-dock">
      <div className="dock-panels">
        <div className="dock-tabs" role="tablist" aria-label={t('dock.label')}>
          {DOCK_TABS.map((id) => (
            <button key={id} type="button" role="tab" id={`dock-tab-${id}`} aria-selected={tab === id} aria-controls="dock-body" className={`tab${tab === id ? ' active' : ''}`} data-dock-tab={id} onClick={() => choose(id)}>
              {t(`dock.${id}`)}
              {id === 'scenarios' && runsOpen > 0 ? <span className="badge badge-active">{runsOpen}</span> : null}
            </button>
          ))}
        </div>
        {/* keyed by tab: a tab opens at its top, not at the last tab's scroll */}
        <div key={tab} className="dock-body" id="dock-body" role="tabpanel" aria-labelledby={`dock-tab-${tab}`} data-dock-body={tab}>
          {panels[tab]()}
        </div>
      </div>
      <div className="dock-alerts">
        <AlertsPanel />
      </div>
    </aside>
  );
}

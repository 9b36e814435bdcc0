/** What the scenario console shows and allows, as pure functions of the contract's data (tested in plain Node). */
import type { ScenarioSummary } from '../../../native-bridge/contract.js';
import { formatCoordinates } from '../../format.js';
import { RUN_OVER, type ScenarioRun, type ScenarioStepSummary, type StepState } from '../../../native-bridge/scenario-run.js';

/** The demo province's categories first, in the order the plans name them; others after, by name. */
const CATEGORY_ORDER = ['flood', 'fire-rescue', 'traffic', 'pollution', 'iuu-fishing', 'event-festival', 'epidemic', 'smart-lighting', 'briefing'];

export function groupByCategory(scenarios: readonly ScenarioSummary[]): { category: string; scenarios: ScenarioSummary[] }[] {
  const groups = new Map<string, ScenarioSummary[]>();
  for (const s of scenarios) groups.set(s.category, [...(groups.get(s.category) ?? []), s]);
  const rank = (c: string) => {
    const i = CATEGORY_ORDER.indexOf(c);
    return i < 0 ? CATEGORY_ORDER.length : i;
  };
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([category, list]) => ({ category, scenarios: [...list].sort((a, b) => a.name.localeCompare(b.name)) }));
}

/**
 * Whether starting a scenario by hand from the launcher asks "are you sure?" first. An ad-hoc
 * scenario declares an emergency to the whole wall, and an automatic one normally starts from its
 * own trigger: both deserve a second look. Routine (periodic, on-request) suggested ones do not.
 * A banner's suggestion is its own evidence: one click, no dialog.
 */
export function needsActivationConfirm(s: Pick<ScenarioSummary, 'level' | 'activation'>): boolean {
  return s.level === 'ad-hoc' || s.activation === 'auto';
}

export const isOver = (run: Pick<ScenarioRun, 'state'>): boolean => RUN_OVER.has(run.state);

/** Runs still on the wall, most recently activated first. */
export function openRuns(runs: readonly ScenarioRun[]): ScenarioRun[] {
  return runs.filter((r) => !isOver(r)).sort((a, b) => b.activatedAt - a.activatedAt);
}

/** Every run the host keeps, open ones first, then by activation, newest first. */
export function incidentList(runs: readonly ScenarioRun[]): ScenarioRun[] {
  return [...runs].sort((a, b) => Number(isOver(a)) - Number(isOver(b)) || b.activatedAt - a.activatedAt);
}

/** The time a run ended, if it has. */
export function endedAt(run: ScenarioRun): number | null {
  return run.state === 'closed' ? run.closedAt : run.state === 'cleared' ? run.clearedAt : null;
}

export interface StepActions {
  /** Mark done (or, when done, reopen). */
  toggle: 'done' | 'reopen' | null;
  /** A second person may confirm now. */
  confirm: boolean;
  /** Why the current person may not confirm (they did the step), else null. */
  confirmBlocked: 'same-person' | null;
  /** The field command can be sent now. */
  send: boolean;
  /** Why the command cannot be sent now, else null (also null when there is no command). */
  sendBlocked: 'paused' | 'needs-confirmation' | 'sent' | 'done' | null;
}

/** The actions a step offers to `operator` in a run (mirrors the engine's rules, so buttons are honest). */
export function stepActions(run: ScenarioRun, def: ScenarioStepSummary | undefined, step: StepState, operator: string | null): StepActions {
  const over = isOver(run);
  const none: StepActions = { toggle: null, confirm: false, confirmBlocked: null, send: false, sendBlocked: null };
  if (over) return none;
  const toggle = step.state === 'pending' ? 'done' : 'reopen';
  const awaiting = step.state === 'awaiting-confirmation';
  const sameperson = awaiting && operator !== null && step.doneBy === operator;
  let sendBlocked: StepActions['sendBlocked'] = null;
  if (def?.command) {
    if (step.command?.state === 'sent') sendBlocked = 'sent';
    else if (step.command?.state === 'done') sendBlocked = 'done';
    else if (run.state === 'paused') sendBlocked = 'paused';
    else if (def.needsConfirmation && step.state !== 'done') sendBlocked = 'needs-confirmation';
  }
  return {
    toggle,
    confirm: awaiting && !sameperson,
    confirmBlocked: sameperson ? 'same-person' : null,
    send: def?.command != null && sendBlocked === null,
    sendBlocked,
  };
}

/** The next escalation level of a run, or null when it is at the last one. */
export function nextEscalation(run: ScenarioRun, scenario: ScenarioSummary | undefined): { level: number; title: ScenarioSummary['escalation'][number]['title'] | null } | null {
  const levels = scenario?.escalation ?? [];
  if (levels.length === 0) return { level: run.escalationLevel + 1, title: null };
  const next = levels.find((e) => e.level > run.escalationLevel);
  return next ? { level: next.level, title: next.title } : null;
}

/** "Xã Trảng Bom (10,9380° B · 106,8620° Đ)" — where an incident is; the coordinates alone when no commune is named. */
export function formatPlace(incident: ScenarioRun['incident'], lang: string): string | null {
  if (!incident) return null;
  const coords = formatCoordinates(incident.lat, incident.lon, lang);
  return incident.commune ? `${incident.commune} (${coords})` : coords;
}

/** A run that started by itself with nobody on duty to put in charge: someone must take it. */
export function nobodyInCharge(run: Pick<ScenarioRun, 'activatedBy' | 'handedTo' | 'state'>): boolean {
  return run.activatedBy === 'system' && run.handedTo === null && !isOver(run);
}

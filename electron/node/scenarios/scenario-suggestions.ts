/**
 * The console's suggestion banners: a firing that no open run takes becomes a suggestion of its
 * scenario, later firings of the same incident join it, and it goes when they have all cleared or
 * an activation takes it up. A dismissed one is hidden but stays until its firings clear.
 */
import { randomUUID } from 'node:crypto';
import { ContractError, type ScenarioIncident, type ScenarioRequest, type ScenarioSuggestion } from '../../../native-bridge/contract.js';
import type { Scenario } from '../../../native-bridge/scenario-files.js';
import type { LogLine } from './run-store.js';
import { MAX_SUBJECTS, firedLine, joinSubjects, sameIncident, type PlacedFiring } from './scenario-incident.js';

export interface Pending {
  suggestion: ScenarioSuggestion;
  firings: Set<string>;
  /** Dismissed: hidden, but it still absorbs the incident's firings so it is not suggested again until they clear. */
  dismissed: boolean;
  /** The firings so far, for the log of the run it becomes. */
  fired: LogLine[];
  /** How sure the incident's place is (PlacedFiring.placeRank). */
  placeRank: number;
  /** A firing that can clear joined it (not only a schedule's minute). */
  lasting: boolean;
}

export class ScenarioSuggestions {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly joinKm: number,
    private readonly changed: () => void,
  ) {}

  /** The firing joins the suggestion of its incident, or makes a new one (returned). */
  fired(scenario: Scenario, { firing, key, incident, placeRank, momentary }: PlacedFiring): ScenarioSuggestion | null {
    const pending = this.find(scenario.name, incident, firing.subjects);
    if (pending) {
      if (!momentary) {
        pending.firings.add(key);
        pending.lasting = true;
      }
      pending.suggestion.subjects = joinSubjects(pending.suggestion.subjects, firing.subjects);
      // Until activation, a better-placed firing (the field's own incident event) moves the banner's incident there.
      if (incident && (!pending.suggestion.incident || placeRank > pending.placeRank)) {
        pending.suggestion.incident = incident;
        pending.placeRank = placeRank;
      }
      pending.fired.push(firedLine(firing));
      if (!pending.dismissed) this.changed();
      return null;
    }
    const suggestion: ScenarioSuggestion = { suggestionId: randomUUID(), scenario: scenario.name, title: scenario.title, firedAt: firing.at, incident, subjects: firing.subjects.slice(0, MAX_SUBJECTS), detail: firing.detail };
    this.pending.set(suggestion.suggestionId, { suggestion, firings: new Set(momentary ? [] : [key]), dismissed: false, fired: [firedLine(firing)], placeRank, lasting: !momentary });
    this.changed();
    return suggestion;
  }

  private find(scenario: string, incident: ScenarioIncident | null, subjects: readonly string[]): Pending | undefined {
    return [...this.pending.values()].find((p) => p.suggestion.scenario === scenario && sameIncident(p.suggestion, { incident, subjects }, this.joinKm));
  }

  /** A firing of the scenario cleared: a suggestion left with none goes. */
  cleared(scenario: string, key: string): void {
    for (const [id, p] of this.pending) {
      if (p.suggestion.scenario !== scenario || !p.firings.delete(key) || p.firings.size > 0) continue;
      this.pending.delete(id);
      if (!p.dismissed) this.changed();
    }
  }

  /** The suggestion an activation takes up: the one it names, or else, with no incident given, the scenario's newest banner. */
  forActivation(scenario: string, request: ScenarioRequest<'activate'>): Pending | undefined {
    if (request.suggestionId !== undefined) {
      const pending = this.pending.get(request.suggestionId);
      if (!pending || pending.suggestion.scenario !== scenario) throw new ContractError('not-found', `no suggestion "${request.suggestionId}" for scenario ${scenario}`, 'suggestionId');
      return pending;
    }
    if (request.incident) return undefined;
    // One click on the launcher while the banner shows: the banner's incident.
    return [...this.pending.values()].filter((p) => p.suggestion.scenario === scenario && !p.dismissed).sort((a, b) => b.suggestion.firedAt - a.suggestion.firedAt)[0];
  }

  /** A run took it up. */
  remove(suggestionId: string): void {
    this.pending.delete(suggestionId);
  }

  dismiss(suggestionId: string): void {
    const pending = this.pending.get(suggestionId);
    if (!pending || pending.dismissed) throw new ContractError('not-found', `no suggestion "${suggestionId}"`, 'suggestionId');
    pending.dismissed = true;
    // A dismissed suggestion with nothing left to absorb is simply gone.
    if (pending.firings.size === 0) this.pending.delete(suggestionId);
    this.changed();
  }

  /** The scenario's rules changed or it is gone: its suggestions stood on rules that are no more. */
  forget(scenario: string): void {
    for (const [id, p] of this.pending) if (p.suggestion.scenario === scenario) this.pending.delete(id);
  }

  /** The banners to show, newest first. */
  shown(): ScenarioSuggestion[] {
    return [...this.pending.values()]
      .filter((p) => !p.dismissed)
      .map((p) => structuredClone(p.suggestion))
      .sort((a, b) => b.firedAt - a.firedAt);
  }
}

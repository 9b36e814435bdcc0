/**
 * Which incident a trigger firing is about. One open run or suggestion per scenario and incident:
 * a firing joins an open one of the same scenario when they share a subject, or lie within
 * `joinKm` of each other, or it has no place.
 */
import type { GeoPoint, ScenarioIncident } from '../../../native-bridge/contract.js';
import type { Scenario } from '../../../native-bridge/scenario-files.js';
import type { Firing } from '../../common/trigger-engine.js';
import type { LogLine } from './run-store.js';
import type { TriggerFeed } from './trigger-feed.js';

/** The most subjects a run or suggestion lists. */
export const MAX_SUBJECTS = 100;

/** A firing with the incident it is about. */
export interface PlacedFiring {
  firing: Firing;
  /** "<rule>|<subjects>": the clear of this firing names the same key. */
  key: string;
  incident: ScenarioIncident | null;
  /** How sure the incident's place is: 2 = an incident event the field declared, 1 = a sensor's or object's place. */
  placeRank: number;
  /** Schedules fire and are over at once: nothing to wait for, no clear will come. */
  momentary: boolean;
}

export const distanceKm = (a: GeoPoint, b: GeoPoint): number => {
  const toRad = Math.PI / 180;
  const h = Math.sin(((b.lat - a.lat) * toRad) / 2) ** 2 + Math.cos(a.lat * toRad) * Math.cos(b.lat * toRad) * Math.sin(((b.lon - a.lon) * toRad) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
};

export const firingKey = (f: Pick<Firing, 'ruleIndex' | 'subjects'>): string => `${f.ruleIndex}|${f.subjects.join(',')}`;

export const firedLine = (firing: Firing): LogLine => ({ kind: 'trigger-fired', actor: 'system', at: firing.at, detail: firing.detail, data: { subjects: firing.subjects } });

export const joinSubjects = (known: readonly string[], added: readonly string[]): string[] => [...new Set([...known, ...added])].slice(0, MAX_SUBJECTS);

/** Places a firing: where its first subject is, unless the rule gave a location. */
export function placeFiring(scenario: Scenario, firing: Firing, feed: TriggerFeed): PlacedFiring {
  const type = scenario.triggers[firing.ruleIndex]?.type;
  const first = firing.subjects[0];
  const isEvent = type === 'event' && first !== undefined;
  const place = first === undefined ? undefined : feed.place(first);
  const location = firing.location ?? place?.location;
  const incident = location ? { lon: location.lon, lat: location.lat, ...(place?.commune ? { commune: place.commune } : {}), ...(isEvent ? { eventId: first } : {}) } : null;
  // An incident event declared by a gateway places the incident better than the first sensor past its threshold.
  const placeRank = isEvent && feed.isDeclaredIncident(first) ? 2 : 1;
  return { firing, key: firingKey(firing), incident, placeRank, momentary: type === 'schedule' };
}

/** What a run, a suggestion or a firing says of its incident. */
interface IncidentClaim {
  incident: ScenarioIncident | null;
  subjects: readonly string[];
}

/** The same incident: a shared subject, places within joinKm, or no place to tell them apart. */
export function sameIncident(a: IncidentClaim, b: IncidentClaim, joinKm: number): boolean {
  if (a.subjects.some((s) => b.subjects.includes(s))) return true;
  if (!a.incident || !b.incident) return true;
  return distanceKm(a.incident, b.incident) <= joinKm;
}

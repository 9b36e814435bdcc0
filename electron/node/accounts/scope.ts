/**
 * An account's scope: the whole province, or a list of communes (by the names the field and GIS
 * give them). A commune-scoped person acts only inside their communes and sees only their
 * communes' data (docs/security.md, Scope): these are the checks and filters every read and
 * write path shares.
 */
import { ContractError, type ScenariosPicture, type Scope } from '../../../native-bridge/contract.js';
import { mayAcknowledgeAlert } from '../../../native-bridge/policy.js';

export const PROVINCE: Scope = { kind: 'province' };

export function inScope(scope: Scope, commune: string | null | undefined): boolean {
  return scope.kind === 'province' || (commune != null && scope.communes.includes(commune));
}

/** Data that concerns everyone (commune null: province-wide) or this scope's communes. */
export const seesCommune = (scope: Scope, commune: string | null): boolean => commune === null || inScope(scope, commune);

/** One key per distinct scope (the order communes were listed in does not matter): what is filtered once per scope, not per session. */
export const scopeKey = (scope: Scope): string => (scope.kind === 'province' ? 'province' : JSON.stringify([...scope.communes].sort()));

const covered = (scope: Scope): string => (scope.kind === 'communes' ? scope.communes.join(', ') : '');

/** Refuses 'forbidden', naming the commune (or saying it is not known), unless the scope covers it. */
export function requireInScope(scope: Scope, commune: string | null | undefined, what: string): void {
  if (inScope(scope, commune)) return;
  throw new ContractError(
    'forbidden',
    commune == null ? `${what}: its commune is not known, and this account covers only ${covered(scope)}` : `${what}: ${commune} is outside this account's communes (${covered(scope)})`,
    'scope',
  );
}

/** Refuses 'forbidden', naming the commune, an acknowledgement the scope may not give (policy.ts, mayAcknowledgeAlert). */
export function requireAlertInScope(scope: Scope, commune: string | null, id: string): void {
  if (mayAcknowledgeAlert(scope, commune)) return;
  if (commune === null) throw new ContractError('forbidden', `alert ${id} is province-wide: a province account acknowledges it`, 'scope');
  requireInScope(scope, commune, `alert ${id}`);
}

/** The suggestions and runs a scope sees: a commune-scoped person, only those in their communes. */
export function scopedPicture(scope: Scope, picture: ScenariosPicture): ScenariosPicture {
  if (scope.kind === 'province') return picture;
  return {
    suggestions: picture.suggestions.filter((s) => inScope(scope, s.incident?.commune)),
    runs: picture.runs.filter((r) => inScope(scope, r.incident?.commune)),
  };
}

/** Indicators as a scope sees them: a commune account gets only its communes' figures (the province headline stays; docs/security.md). */
export function scopedFigures<T extends { communes: readonly { area: string }[] }>(scope: Scope, indicators: T[]): T[] {
  if (scope.kind === 'province') return indicators;
  return indicators.map((indicator) => ({ ...indicator, communes: indicator.communes.filter((c) => inScope(scope, c.area)) }));
}

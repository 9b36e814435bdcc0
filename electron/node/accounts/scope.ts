/**
 * An account's scope: the whole province, or a list of communes (by the names the field and GIS
 * give them). A commune-scoped person acts only inside their communes and sees only their
 * communes' scenario suggestions and runs.
 */
import { ContractError, type ScenariosPicture, type Scope } from '../../../native-bridge/contract.js';

export const PROVINCE: Scope = { kind: 'province' };

export function inScope(scope: Scope, commune: string | null | undefined): boolean {
  return scope.kind === 'province' || (commune != null && scope.communes.includes(commune));
}

/** Refuses 'forbidden', naming the commune (or saying it is not known), unless the scope covers it. */
export function requireInScope(scope: Scope, commune: string | null | undefined, what: string): void {
  if (inScope(scope, commune)) return;
  const allowed = scope.kind === 'communes' ? scope.communes.join(', ') : '';
  throw new ContractError(
    'forbidden',
    commune == null ? `${what}: its commune is not known, and this account covers only ${allowed}` : `${what}: ${commune} is outside this account's communes (${allowed})`,
    'scope',
  );
}

/** The suggestions and runs a scope sees: a commune-scoped person, only those in their communes. */
export function scopedPicture(scope: Scope, picture: ScenariosPicture): ScenariosPicture {
  if (scope.kind === 'province') return picture;
  return {
    suggestions: picture.suggestions.filter((s) => inScope(scope, s.incident?.commune)),
    runs: picture.runs.filter((r) => inScope(scope, r.incident?.commune)),
  };
}

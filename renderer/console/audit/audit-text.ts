/**
 * How the audit view words an entry: people by their names (the name stored with the entry, else
 * the accounts list), windows and gateways by what they are, actions in the console's language.
 */
import type { TFunction } from 'i18next';
import type { AuditActor, AuditEntry } from '../../../native-bridge/contract.js';

export interface AuditNames {
  people: ReadonlyMap<string, string>;
  gateways: ReadonlyMap<string, string>;
}

/** "Màn hình hàng 1, cột 2" for r0c1, "Bàn điều khiển" for the console. */
export function windowName(id: string, t: TFunction): string {
  const match = /^r(\d+)c(\d+)$/.exec(id);
  return match ? t('audit.window', { row: Number(match[1]) + 1, column: Number(match[2]) + 1 }) : t('audit.consoleWindow');
}

export function actorText(actor: AuditActor, names: AuditNames, t: TFunction): string {
  switch (actor.kind) {
    case 'account':
      return actor.name ?? names.people.get(actor.id) ?? actor.id;
    case 'window':
      return windowName(actor.id, t);
    case 'gateway':
      return t('audit.gateway', { name: names.gateways.get(actor.id) ?? actor.id });
    default:
      return t('audit.system');
  }
}

/** i18next reads dots as nesting: an action's label is under its name with dots as underscores. */
export const actionText = (action: string, t: TFunction): string => t(`audit.actions.${action.replaceAll('.', '_')}`, { defaultValue: action });

export function targetText(entry: AuditEntry, names: AuditNames): string {
  if (entry.action.startsWith('scenario.') && typeof entry.details?.scenario === 'string') return entry.details.scenario;
  if (entry.target === null) return '';
  return names.people.get(entry.target) ?? entry.target;
}

/** Hashes and digests stay in the export: the list shows what a person reads. */
const HIDDEN = new Set(['journalHash', 'digest', 'journalDigest', 'hostPublicKey']);

export function detailsText(details: AuditEntry['details']): string {
  if (!details) return '';
  const text = Object.entries(details)
    .filter(([key]) => !HIDDEN.has(key))
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

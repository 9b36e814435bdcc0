/** The replay view's pure parts: the ranges it offers, a mark's words, a clock time on the range's day. */
import type { TFunction } from 'i18next';
import type { ReplayMark } from '../../../native-bridge/replay.js';
import { pick } from '../scenarios/text.js';

export const RANGES_MS = { '15m': 15 * 60_000, '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
export type RangeName = keyof typeof RANGES_MS;

/** Vietnam keeps UTC+7 all year (no daylight saving): the wall's clock, whatever the console PC's zone. */
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

/**
 * "14:32" or "14:32:05" (Vietnam time) as the last such moment at or before `end`, within the
 * range [start, end]; null when it is not a time or falls outside.
 */
export function clockTimeIn(text: string, start: number, end: number): number | null {
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!match) return null;
  const [h, m, s] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  if (h > 23 || m > 59 || s > 59) return null;
  const dayStart = Math.floor((end + VIETNAM_OFFSET_MS) / 86_400_000) * 86_400_000 - VIETNAM_OFFSET_MS;
  let time = dayStart + ((h * 60 + m) * 60 + s) * 1000;
  if (time > end) time -= 86_400_000;
  return time >= start ? time : null;
}

export interface MarkNames {
  preset(name: string): string | null;
  device(id: string): string | null;
}

/** Who, by name: the host names accounts; the system is said in the console's language, an unknown account never by its id. */
export function personText(t: TFunction, id: string | null, name: string | null): string | null {
  if (id === 'system') return t('replay.system');
  return name ?? (id === null ? null : t('replay.unknownPerson'));
}

/** What a mark says, in the console's language, with people's and presets' names (never their ids). */
export function markText(t: TFunction, mark: ReplayMark, names: MarkNames, lang: string): { what: string; subject: string | null; who: string | null } {
  const who = personText(t, mark.actor, mark.actorName);
  const text = typeof mark.subject === 'object' && mark.subject !== null ? pick(mark.subject, lang) : null;
  const plain = typeof mark.subject === 'string' ? mark.subject : null;
  switch (mark.kind) {
    case 'command':
      return {
        what: t(`replay.command.${mark.what}`, { defaultValue: t('replay.command.other') }),
        subject: plain === null ? null : mark.what === 'apply-preset' || mark.what === 'save-preset' ? names.preset(plain) : mark.what === 'apply-layout' ? plain : null,
        who,
      };
    case 'scenario':
      return { what: t(`replay.scenario.${mark.what}`, { defaultValue: t('replay.scenario.other') }), subject: text, who };
    case 'alert':
      return { what: mark.what === 'acknowledged' ? t('replay.alertAcked') : t(`severity.${mark.what}`), subject: text, who };
    case 'field-command':
      return { what: t(`replay.field.${mark.what}`, { defaultValue: t('replay.field.other') }), subject: plain === null ? null : names.device(plain), who };
  }
}

/** Where on the scrubber (0–100 %) a moment falls. */
export const percentOf = (at: number, start: number, end: number): number => (end > start ? ((at - start) / (end - start)) * 100 : 0);

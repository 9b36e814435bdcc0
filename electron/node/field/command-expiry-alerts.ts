/**
 * What the operator reads when field commands expire undelivered: what was not sent, to which
 * target through which gateway, and after how long — by name where the host knows one. Commands
 * of one sweep with the same gateway, type and target commune make one alert ("3 lệnh … tới A, B, C và 4 nơi
 * khác"), so a backlog expiring at once is a handful of lines, not thousands.
 */
import type { LocalizedText } from '../../../native-bridge/contract.js';
import type { FieldCommand } from '../../../native-bridge/gateway-protocol.js';
import type { ExpiredCommand } from '../gateway/command-outbox.js';
import { EXPIRES_AT_PARAM, type CommandType } from '../gateway/command-ttl.js';

/** Targets named in one alert; the rest are counted. */
const NAMED_TARGETS = 3;

/** What a field command does, in the operator's words (the alerts never show the protocol's type names). */
export const COMMAND_TEXT: Record<CommandType, LocalizedText> = {
  siren: { vi: 'hú còi', en: 'Siren command' },
  'resident-warning': { vi: 'cảnh báo người dân', en: 'Resident warning' },
  'traffic-signal-plan': { vi: 'đổi phương án đèn tín hiệu', en: 'Traffic signal plan' },
};

export interface ExpiryNames {
  gateway(id: string): string;
  target(id: string): string;
  /** A target's commune (null: not known); one alert per commune, so each commune sees its own. */
  commune(id: string): string | null;
}

export interface ExpiryAlert {
  /** The first command's id: stable, so the same expiry never alerts twice. */
  key: string;
  gatewayId: string;
  at: number;
  title: LocalizedText;
  commune: string | null;
}

/** "5 phút" / "5 minutes", "30 giây" / "30 seconds": the lifetime the command had. */
function lifetime(command: FieldCommand): LocalizedText {
  const expiresAt = command.params[EXPIRES_AT_PARAM];
  const ms = typeof expiresAt === 'number' ? expiresAt - command.issuedAt : 0;
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds >= 60 && seconds % 60 === 0) {
    const minutes = seconds / 60;
    return { vi: `${minutes} phút`, en: `${minutes} minute${minutes === 1 ? '' : 's'}` };
  }
  return { vi: `${seconds} giây`, en: `${seconds} second${seconds === 1 ? '' : 's'}` };
}

/** "A, B, C và 4 nơi khác" / "A, B, C and 4 more". */
function targetList(group: readonly ExpiredCommand[], names: ExpiryNames): LocalizedText {
  const targets = [...new Set(group.map((e) => e.command.target))];
  const named = targets.slice(0, NAMED_TARGETS).map((id) => names.target(id)).join(', ');
  const more = targets.length - NAMED_TARGETS;
  return more > 0 ? { vi: `${named} và ${more} nơi khác`, en: `${named} and ${more} more` } : { vi: named, en: named };
}

export function expiryAlerts(expired: readonly ExpiredCommand[], names: ExpiryNames): ExpiryAlert[] {
  const groups = new Map<string, ExpiredCommand[]>();
  for (const entry of expired) {
    const key = JSON.stringify([entry.gatewayId, entry.command.type, names.commune(entry.command.target)]);
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0]!;
    const what = COMMAND_TEXT[first.command.type];
    const gateway = names.gateway(first.gatewayId);
    const targets = targetList(group, names);
    const ttl = lifetime(first.command);
    const count = group.length;
    return {
      key: `expired/${first.command.id}`,
      gatewayId: first.gatewayId,
      at: first.expiredAt,
      commune: names.commune(first.command.target),
      title: {
        vi: `${count > 1 ? `${count} lệnh` : 'Lệnh'} ${what.vi} tới ${targets.vi} qua ${gateway} không được gửi: quá hạn ${ttl.vi}`,
        en: `${count > 1 ? `${count} × ${what.en.toLowerCase()}` : what.en} to ${targets.en} via ${gateway} not delivered: expired after ${ttl.en}`,
      },
    };
  });
}

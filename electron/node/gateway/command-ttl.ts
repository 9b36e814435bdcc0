/**
 * How long a field command may wait for delivery. A siren or a warning to residents that sounds
 * an hour late, when its gateway comes back, is worse than none: past its time-to-live a command
 * is never sent, and the gateway is told the same deadline (params.expiresAt) so a late copy
 * already on its way is dropped there too.
 */
import type { FieldCommand } from '../../../native-bridge/gateway-protocol.js';

export type CommandType = FieldCommand['type'];
/** Milliseconds each command type may wait for delivery. */
export type CommandTtls = Readonly<Record<CommandType, number>>;

const MINUTE = 60_000;

export const DEFAULT_COMMAND_TTL_MS: CommandTtls = {
  siren: 5 * MINUTE,
  'resident-warning': 5 * MINUTE,
  'traffic-signal-plan': 30 * MINUTE,
};

/**
 * The longest TTL a gateways file may ask for: gateways remember acknowledged ids for at least
 * 24 h (docs/gateway-protocol.md), so an older command could act twice.
 */
export const MAX_COMMAND_TTL_MS = 24 * 60 * MINUTE;

/** The reserved parameter carrying the deadline to the gateway (epoch ms). */
export const EXPIRES_AT_PARAM = 'expiresAt';

/** The defaults with a gateways file's overrides (seconds, already validated by its schema). */
export function commandTtls(overridesSeconds: Partial<Record<CommandType, number>> = {}): CommandTtls {
  const ttls = { ...DEFAULT_COMMAND_TTL_MS };
  for (const [type, seconds] of Object.entries(overridesSeconds) as [CommandType, number | undefined][]) {
    if (seconds !== undefined) ttls[type] = seconds * 1000;
  }
  return ttls;
}

/**
 * The command as it is stored and sent: its deadline (issuedAt + TTL) in params.expiresAt.
 * Deterministic, so persisting the same command twice yields the same row; a caller-chosen
 * expiresAt other than the host's is refused rather than trusted.
 */
export function withDeadline(command: FieldCommand, ttls: CommandTtls): FieldCommand {
  const expiresAt = command.issuedAt + ttls[command.type];
  const given = command.params[EXPIRES_AT_PARAM];
  if (given !== undefined && given !== expiresAt) throw new Error(`field command ${command.id}: params.${EXPIRES_AT_PARAM} is set by the host (issuedAt + the ${command.type} time-to-live)`);
  return { ...command, params: { ...command.params, [EXPIRES_AT_PARAM]: expiresAt } };
}

/** A stored command's params as its caller gave them (without the host's deadline): what a retried request is compared with. */
export function callerParams(command: FieldCommand): FieldCommand['params'] {
  const { [EXPIRES_AT_PARAM]: _deadline, ...params } = command.params;
  return params;
}

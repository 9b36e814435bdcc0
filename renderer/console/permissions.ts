/**
 * What the signed-in person may do, read from the one policy table (native-bridge/policy.ts): the
 * console hides what the role cannot use instead of offering buttons the host would refuse.
 */
import type { Alert, CommandType, MethodName } from '../../native-bridge/contract.js';
import { mayAcknowledgeAlert, mayCall, mayRunCommand, mayScenario, type ScenarioAction } from '../../native-bridge/policy.js';
import { useAppStore } from '../session/store.js';

export interface Permissions {
  /** The signed-in account's id (null signed out): the two-person rule is two accounts. */
  accountId: string | null;
  call(method: MethodName): boolean;
  command(type: CommandType): boolean;
  scenario(action: ScenarioAction): boolean;
  /** The role may acknowledge alerts and the person's scope covers this one's commune. */
  acknowledge(alert: Pick<Alert, 'commune'>): boolean;
}

export function usePermissions(): Permissions {
  const actor = useAppStore((s) => s.actor);
  const scope = useAppStore((s) => s.scope);
  const role = actor?.role ?? null;
  return {
    accountId: actor?.id ?? null,
    call: (method) => role !== null && mayCall(role, method),
    command: (type) => mayRunCommand(role, type),
    scenario: (action) => mayScenario(role, action),
    acknowledge: (alert) => role !== null && mayCall(role, 'alerts.ack') && scope !== null && mayAcknowledgeAlert(scope, alert.commune),
  };
}

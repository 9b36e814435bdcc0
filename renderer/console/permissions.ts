/**
 * What the signed-in person may do, read from the one policy table (native-bridge/policy.ts): the
 * console hides what the role cannot use instead of offering buttons the host would refuse.
 */
import type { CommandType, MethodName } from '../../native-bridge/contract.js';
import { mayCall, mayRunCommand, mayScenario, type ScenarioAction } from '../../native-bridge/policy.js';
import { useAppStore } from '../session/store.js';

export interface Permissions {
  /** The signed-in account's id (null signed out): the two-person rule is two accounts. */
  accountId: string | null;
  call(method: MethodName): boolean;
  command(type: CommandType): boolean;
  scenario(action: ScenarioAction): boolean;
}

export function usePermissions(): Permissions {
  const actor = useAppStore((s) => s.actor);
  const role = actor?.role ?? null;
  return {
    accountId: actor?.id ?? null,
    call: (method) => role !== null && mayCall(role, method),
    command: (type) => mayRunCommand(role, type),
    scenario: (action) => mayScenario(role, action),
  };
}

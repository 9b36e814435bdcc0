/**
 * Role-based authorization of wall commands. One built-in role set for now: operators run every
 * wall command; display windows only report painting; the system may do anything.
 */
import { ContractError, type Actor, type Command, type CommandType, type Role } from '../../native-bridge/contract.js';
import type { Authorizer } from './ports.js';

const ALL_COMMANDS: readonly CommandType[] = ['apply-preset', 'add-tile', 'move-tile', 'resize-tile', 'remove-tile', 'set-tile-props', 'save-preset', 'apply-layout'];

export const builtInPolicy: Readonly<Record<Role, readonly CommandType[]>> = {
  operator: ALL_COMMANDS,
  system: ALL_COMMANDS,
  display: [],
};

export function roleAuthorizer(policy: Readonly<Record<Role, readonly CommandType[]>> = builtInPolicy): Authorizer {
  return {
    authorize(actor: Actor, command: Command) {
      if (!policy[actor.role].includes(command.type)) {
        throw new ContractError('forbidden', `${actor.id} (${actor.role}) may not run ${command.type}`);
      }
    },
  };
}

/**
 * Authorization of wall commands by the one policy table (native-bridge/policy.ts commandPolicy):
 * operators and commanders arrange the wall, the system may do anything, the rest only watch.
 */
import { ContractError, type Actor, type Command } from '../../native-bridge/contract.js';
import { mayRunCommand } from '../../native-bridge/policy.js';
import type { Authorizer } from './ports.js';

export function roleAuthorizer(): Authorizer {
  return {
    authorize(actor: Actor, command: Command) {
      if (!mayRunCommand(actor.role, command.type)) {
        throw new ContractError('forbidden', `${actor.id} (${actor.role}) may not run ${command.type}`);
      }
    },
  };
}

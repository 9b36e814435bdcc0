/**
 * A passive node answers what standbyPolicy (native-bridge/policy.ts) says it serves and refuses
 * the rest with 'standby', naming the active node's address so the caller moves there. Wraps the
 * core's handlers once; a standalone host (no pair attached) is never refused.
 */
import { ContractError, type MethodName } from '../../../native-bridge/contract.js';
import { standbyPolicy } from '../../../native-bridge/policy.js';
import type { PairPort } from '../../common/ports.js';

export function standbyError(method: string, activeAddress: string | null): ContractError {
  const where = activeAddress ? `the active node at ${activeAddress}` : 'the active node (not known yet: the pair is starting or has lost its peer)';
  return new ContractError('standby', `${method}: this node is the standby; use ${where}`);
}

export function refusingOnStandby<T extends object>(handlers: T, pair: () => PairPort | null): T {
  const wrapped = Object.entries(handlers).map(([method, handler]) => {
    if (standbyPolicy[method as MethodName] !== 'active') return [method, handler];
    return [
      method,
      (...args: unknown[]) => {
        const port = pair();
        if (port && !port.serving()) throw standbyError(method, port.activeAddress());
        return (handler as (...a: unknown[]) => unknown)(...args);
      },
    ];
  });
  return Object.fromEntries(wrapped) as T;
}

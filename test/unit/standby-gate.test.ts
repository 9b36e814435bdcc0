/**
 * The standby gate, generated from standbyPolicy: on a passive node every method the table marks
 * 'active' is refused with 'standby' naming the active node, before its handler runs; every other
 * method reaches its handler; on the active node (and a standalone host) everything does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ContractError, methodNames, type MethodName } from '../../native-bridge/contract.js';
import { standbyPolicy } from '../../native-bridge/policy.js';
import type { PairPort } from '../../electron/common/ports.js';
import { refusingOnStandby } from '../../electron/node/pair/standby-gate.js';

function gated(serving: boolean | null) {
  const reached: MethodName[] = [];
  const handlers = Object.fromEntries(methodNames.map((m) => [m, () => reached.push(m)])) as Record<MethodName, () => unknown>;
  const port = serving === null ? null : ({ serving: () => serving, activeAddress: () => 'https://wall-b.ioc.local:8602' } as Pick<PairPort, 'serving' | 'activeAddress'> as PairPort);
  return { reached, wrapped: refusingOnStandby(handlers, () => port) };
}

describe('standby gate', () => {
  it('a passive node refuses exactly the methods standbyPolicy marks active, naming the active node', () => {
    const { reached, wrapped } = gated(false);
    const refused: MethodName[] = [];
    for (const method of methodNames) {
      try {
        wrapped[method]();
      } catch (error) {
        assert.ok(error instanceof ContractError && error.code === 'standby', `${method}: ${String(error)}`);
        assert.match(error.message, /https:\/\/wall-b\.ioc\.local:8602/);
        refused.push(method);
      }
    }
    assert.deepEqual(refused, methodNames.filter((m) => standbyPolicy[m] === 'active'));
    assert.deepEqual(reached, methodNames.filter((m) => standbyPolicy[m] === 'serve'));
    for (const method of ['wall.execute', 'field.command', 'alerts.ack', 'scenarios.activate', 'displays.enrol'] as const) assert.ok(refused.includes(method), method);
  });

  it('the active node and a standalone host refuse nothing', () => {
    for (const serving of [true, null]) {
      const { reached, wrapped } = gated(serving);
      for (const method of methodNames) wrapped[method]();
      assert.deepEqual(reached, methodNames);
    }
  });
});

/**
 * SIGKILLs a real host process again and again while a console streams wall commands (presets,
 * each a new revision) and field commands (to a configured gateway that stays offline, so they
 * wait in the outbox), every one with a request id. After each restart the console reconnects and:
 *  - retries what got no answer: a request the dead host had committed answers its first result
 *    (applied, not acknowledged), one it never saw is applied now;
 *  - retries what was acknowledged since the previous restart: the same answer means its journal
 *    entry / outbox row survived; another answer means the host lost an acknowledged command;
 *  - checks the restored wall is at least at the last acknowledged revision.
 * Used by test/fault/host-kill-loop.test.ts (a few kills) and by benchmarks (100).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ContractClient } from '../../native-bridge/channel.js';
import { ContractError, type RequestOf, type ResponseOf } from '../../native-bridge/contract.js';
import { spawnHost, type HostProcess } from '../../test/support/host-process.js';
import { OFFLINE_GATEWAY, offlineGatewayFile } from '../../test/support/offline-gateway.js';
import { connectConsole } from '../../test/support/accounts.js';

export interface KillLoopResult {
  restarts_survived: number;
  /** Acknowledged commands whose effect the restarted host did not have (must be 0). */
  acked_lost: number;
  /** Commands the host committed but whose answer the kill swallowed (applied once, answered on retry). */
  applied_unacked: number;
  acked: { wall: number; field: number };
}

type Sent =
  | { kind: 'wall'; request: RequestOf<'wall.execute'>; answer?: ResponseOf<'wall.execute'> }
  | { kind: 'field'; request: RequestOf<'field.command'>; answer?: ResponseOf<'field.command'> };

const PRESETS = ['overview', 'cameras', 'map', 'briefing', 'field', 'indicators'];
/** Field commands per round: an offline gateway's outbox is bounded, and 100 rounds must fit. */
const FIELD_PER_ROUND = 5;

const overLimit = (error: unknown) => error instanceof ContractError && (error.code === 'rate-limited' || error.code === 'busy');
const RETRY_AFTER_LIMIT_MS = 50;
const lostAnswer = (error: unknown) => error instanceof ContractError && (error.code === 'disconnected' || error.code === 'timeout');

/** Sends one recorded request; over the connection's request limits (native-bridge/limits.ts) nothing was applied, so it waits and asks again. */
async function call(client: ContractClient, sent: Sent): Promise<ResponseOf<'wall.execute'> | ResponseOf<'field.command'>> {
  for (;;) {
    try {
      return await (sent.kind === 'wall' ? client.call('wall.execute', sent.request) : client.call('field.command', sent.request));
    } catch (error) {
      if (!overLimit(error)) throw error;
      await sleep(RETRY_AFTER_LIMIT_MS);
    }
  }
}

async function consoleOf(host: HostProcess): Promise<{ client: ContractClient; close(): void }> {
  const { client, transport } = await connectConsole(host.runtime, host.dataDir);
  return { client, close: () => transport.close() };
}

/** Sends until the link drops; every request is recorded before it is sent. */
async function stream(client: ContractClient, log: Sent[], nextWall: () => Sent, fieldBudget: { left: number }): Promise<void> {
  const lane = async (next: () => Sent | null, pauseMs: number) => {
    for (let sent = next(); sent; sent = next()) {
      log.push(sent);
      try {
        sent.answer = (await call(client, sent)) as never;
      } catch (error) {
        if (lostAnswer(error)) return;
        throw error;
      }
      if (pauseMs) await sleep(pauseMs);
    }
  };
  const field = (): Sent | null => {
    if (fieldBudget.left-- <= 0) return null;
    return { kind: 'field', request: { gateway: OFFLINE_GATEWAY, type: 'siren', target: `siren-${log.length}`, params: { minutes: 3 }, requestId: randomUUID() } };
  };
  await Promise.all([lane(nextWall, 0), lane(nextWall, 0), lane(field, 40)]);
}

export async function killLoop(kills: number, progress: (line: string) => void = () => {}): Promise<KillLoopResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ioc-wall-kill-loop-'));
  const gatewaysFile = offlineGatewayFile(dataDir);
  const result: KillLoopResult = { restarts_survived: 0, acked_lost: 0, applied_unacked: 0, acked: { wall: 0, field: 0 } };
  let presetTurn = 0;
  const nextWall = (): Sent => ({ kind: 'wall', request: { command: { type: 'apply-preset', name: PRESETS[presetTurn++ % PRESETS.length]! }, requestId: randomUUID() } });
  let previous: Sent[] = [];
  let host: HostProcess | undefined;
  try {
    for (let round = 0; round <= kills; round++) {
      const startedAt = Date.now();
      host = await spawnHost({ dataDir, windows: 'none', gatewaysFile });
      if (round > 0) result.restarts_survived++;
      const { client, close } = await consoleOf(host);
      const revisionAtStart = (await client.call('wall.resync', { sinceRevision: 0 })).revision;
      const lastAcked = previous.reduce((max, s) => (s.kind === 'wall' && s.answer ? Math.max(max, s.answer.revision) : max), 0);
      // The state document and the journal are one transaction: a wall behind an acknowledged
      // revision also shows as acknowledged commands whose retry is applied anew (counted below).
      if (revisionAtStart < lastAcked) progress(`round ${round}: the wall came back at revision ${revisionAtStart}, below the acknowledged ${lastAcked}`);
      for (const sent of previous) {
        const answer = await call(client, sent);
        if (sent.answer) {
          // Acknowledged before the kill: the retry must find it, not apply it again.
          if (JSON.stringify(answer) !== JSON.stringify(sent.answer)) result.acked_lost++;
          else result.acked[sent.kind]++;
        } else {
          const earlier = 'revision' in answer ? answer.revision <= revisionAtStart : answer.persistedAt < startedAt;
          if (earlier) result.applied_unacked++;
        }
      }
      if (round === kills) {
        close();
        break;
      }
      const sent: Sent[] = [];
      const streaming = stream(client, sent, nextWall, { left: FIELD_PER_ROUND });
      await sleep(150 + Math.floor(Math.random() * 450));
      await host.stop('SIGKILL');
      await streaming;
      close();
      previous = sent;
      progress(`round ${round + 1}/${kills}: ${sent.filter((s) => s.answer).length} acknowledged, ${sent.filter((s) => !s.answer).length} unanswered`);
    }
  } finally {
    await host?.stop('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
  return result;
}

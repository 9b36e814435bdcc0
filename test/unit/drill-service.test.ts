/**
 * The drill service on a real wall database: refused on a host without a simulator and while a
 * drill runs; alerts raised during the drill are marked in both languages, the ones before and
 * after it are not; start and end are in the audit chain; a failed incident still ends the drill.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ContractError } from '../../native-bridge/contract.js';
import { AlertService } from '../../electron/node/alert-service.js';
import { AuditLog } from '../../electron/node/audit/audit-log.js';
import { openDatabase } from '../../electron/node/database.js';
import { DrillService } from '../../electron/node/drills/drill-service.js';
import { loadStorageKey } from '../../electron/node/storage-key.js';
import { tempDir } from '../support/fixtures.js';

const commander = { id: 'acc-7', role: 'commander', name: 'Phạm Thị Dung' } as const;

function setup() {
  const dataDir = tempDir('ioc-wall-drill-');
  const db = openDatabase(join(dataDir, 'demo.sqlite'), loadStorageKey(dataDir));
  const alerts = new AlertService(db);
  const audit = new AuditLog(db, { key: null });
  let changes = 0;
  const drills = new DrillService({ alerts, audit, changed: () => changes++, log: () => {} });
  return { db, alerts, drills, changes: () => changes };
}

function controlled() {
  let finish: (error?: Error) => void = () => {};
  const played: string[] = [];
  const player = (incident: string) => {
    played.push(incident);
    return new Promise<void>((resolve, reject) => {
      finish = (error) => (error ? reject(error) : resolve());
    });
  };
  return { player, played, finish: (error?: Error) => finish(error) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('drills', () => {
  it('is refused on a host without a simulated province', () => {
    const { drills } = setup();
    assert.throws(() => drills.start('flood', commander), (error: unknown) => error instanceof ContractError && error.code === 'not-found' && /real gateways/.test(error.message));
    assert.equal(drills.state(), null);
  });

  it('marks the alerts raised while it runs, one drill at a time, and ends when the incident clears', async () => {
    const { db, alerts, drills, changes } = setup();
    const sim = controlled();
    drills.attach(sim.player);
    alerts.raise('warning', 'gw-thuy-van', { vi: 'Trước diễn tập', en: 'Before the drill' });
    const drill = drills.start('flood', commander);
    assert.deepEqual(sim.played, ['flood']);
    assert.deepEqual(drill.startedBy, { id: 'acc-7', name: 'Phạm Thị Dung' });
    assert.equal(changes(), 1);
    assert.throws(() => drills.start('fire', commander), (error: unknown) => error instanceof ContractError && error.code === 'conflict' && error.message.includes('Phạm Thị Dung'));
    const during = alerts.raise('critical', 'gw-thuy-van', { vi: 'Nguy cơ ngập lụt', en: 'Flood risk' });
    assert.deepEqual(during.title, { vi: 'DIỄN TẬP · Nguy cơ ngập lụt', en: 'DRILL · Flood risk' });
    sim.finish();
    await settle();
    assert.equal(drills.state(), null);
    assert.equal(changes(), 2);
    const afterwards = alerts.raise('warning', 'gw-thuy-van', { vi: 'Sau diễn tập', en: 'After the drill' });
    assert.equal(afterwards.title.vi, 'Sau diễn tập');
    const titles = alerts.list({ kind: 'province' }).map((a) => a.title.vi);
    assert.ok(titles.includes('Trước diễn tập') && titles.some((t) => /^Bắt đầu diễn tập "Mưa lớn, ngập lụt/.test(t)) && titles.some((t) => /^Kết thúc diễn tập/.test(t)), titles.join(' | '));
    const actions = (db.prepare("SELECT action, actor_id, target FROM audit_log WHERE action LIKE 'drill.%' ORDER BY seq").all() as { action: string; actor_id: string | null; target: string }[]);
    assert.deepEqual(actions.map((a) => [a.action, a.target]), [['drill.start', 'flood'], ['drill.end', 'flood']]);
    assert.equal(actions[0]!.actor_id, 'acc-7');
    // the next one may start
    drills.start('fire', commander);
    assert.deepEqual(sim.played, ['flood', 'fire']);
  });

  it('an incident that fails still ends the drill: the wall is not left marked', async () => {
    const { drills } = setup();
    const sim = controlled();
    drills.attach(sim.player);
    drills.start('traffic', commander);
    sim.finish(new Error('the simulated province stopped'));
    await settle();
    assert.equal(drills.state(), null);
  });
});

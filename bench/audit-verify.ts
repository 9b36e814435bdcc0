/**
 * `npm run bench -- audit-verify [entries]`: the cost of the audit log on a real wall database —
 * recording N events (a wall command with its journal row every tenth), then verifying the whole
 * chain, its signed heads and the journal; and the longest the event loop was held meanwhile
 * (the host verifies at start while it serves).
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { emptyWallState } from '../native-bridge/wall-reducer.js';
import { AlertService } from '../electron/node/alert-service.js';
import { AuditService } from '../electron/node/audit/audit-service.js';
import { verifyAuditLog } from '../electron/node/audit/audit-verify.js';
import { openDatabase } from '../electron/node/database.js';
import { loadWallFile } from '../electron/node/layout-files.js';
import { defaultWallFile } from '../electron/node/project-paths.js';
import { SqliteWallStore } from '../electron/node/sqlite-wall-store.js';
import { loadStorageKey } from '../electron/node/storage-key.js';
import { tempDir } from '../test/support/fixtures.js';
import { round } from './stats.js';

export async function run(args: string[]) {
  const entries = Number(args[0] ?? 200_000);
  const dataDir = tempDir('ioc-wall-bench-audit-');
  const db = openDatabase(join(dataDir, 'demo.sqlite'), loadStorageKey(dataDir));
  const audit = new AuditService({ db, dataDir, alerts: new AlertService(db), wallId: 'demo' });
  await audit.startCheck;
  const store = new SqliteWallStore(db, () => {}, audit);
  const state = emptyWallState(loadWallFile(defaultWallFile));
  const actor = { id: 'nguyenvanan', role: 'operator' as const, name: 'Nguyễn Văn An' };
  let revision = 0;
  const recordStart = performance.now();
  db.transaction(() => {
    for (let i = 0; i < entries; i++) {
      if (i % 10 === 0) store.commit({ revision: ++revision, at: Date.now(), actor, command: { type: 'apply-preset', name: 'overview' } }, state);
      else audit.record({ action: 'auth.sign-in.failed', actor: 'console', target: actor.id, details: { failures: i } });
    }
  })();
  const recordMs = performance.now() - recordStart;
  audit.log.signHead();
  let longestStallMs = 0;
  let last = performance.now();
  const watch = setInterval(() => {
    const now = performance.now();
    longestStallMs = Math.max(longestStallMs, now - last - 5);
    last = now;
  }, 5);
  const verifyStart = performance.now();
  const report = await verifyAuditLog(db, { publicKey: audit.key.publicKey });
  const verifyMs = performance.now() - verifyStart;
  clearInterval(watch);
  audit.close();
  db.close();
  return {
    bench: 'audit-verify',
    entries: report.entries,
    journal_rows: report.journalRows,
    ok: report.ok,
    record_us_per_entry: round((recordMs * 1000) / entries, 1),
    verify_ms: round(verifyMs),
    verify_us_per_entry: round((verifyMs * 1000) / report.entries, 2),
    longest_event_loop_stall_ms: round(longestStallMs),
  };
}

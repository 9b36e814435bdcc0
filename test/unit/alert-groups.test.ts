import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Alert } from '../../native-bridge/contract.js';
import { groupAlerts } from '../../renderer/components/alert-groups.js';

let n = 0;
const alert = (source: string, severity: Alert['severity'], at: number, state: { acked?: boolean; resolved?: boolean } = {}): Alert => ({
  id: `a${++n}`,
  at,
  severity,
  source,
  title: { vi: `Cảnh báo ${n}`, en: `Alert ${n}` },
  ackedBy: state.acked ? 'Nguyễn Văn An' : null,
  ackedAt: state.acked ? at + 1 : null,
  resolvedAt: state.resolved ? at + 2 : null,
  commune: null,
});

describe('alert groups', () => {
  it('folds a flood’s alerts into one line per source, the most urgent ongoing source first', () => {
    const flood = Array.from({ length: 12 }, (_, i) => alert('gateway:gw-thuy-van', i === 3 ? 'critical' : 'warning', 1000 + i));
    const scenario = [alert('scenario:flood', 'warning', 2000), alert('scenario:flood', 'info', 2100)];
    const display = [alert('display', 'warning', 3000, { resolved: true })];
    const { groups, history } = groupAlerts([...scenario, ...display, ...flood]);
    assert.deepEqual(groups.map((g) => [g.source, g.severity, g.alerts.length, g.ongoing]), [
      ['gateway:gw-thuy-van', 'critical', 12, true],
      ['scenario:flood', 'warning', 2, true],
      ['display', 'warning', 1, false],
    ]);
    assert.equal(groups[0]!.alerts[0]!.at, 1011, 'the newest alert is the group’s line');
    assert.equal(groups[0]!.unacknowledged, 12);
    assert.deepEqual(history, []);
  });

  it('moves what is over (resolved and acknowledged) to the history, newest first; a resolved alert still to acknowledge stays', () => {
    const over = [alert('gateway:gw-a', 'critical', 10, { resolved: true, acked: true }), alert('gateway:gw-b', 'warning', 20, { resolved: true, acked: true })];
    const toAck = alert('gateway:gw-a', 'critical', 30, { resolved: true });
    const acked = alert('gateway:gw-a', 'info', 40, { acked: true });
    const { groups, history } = groupAlerts([...over, toAck, acked]);
    assert.deepEqual(history.map((a) => a.at), [20, 10]);
    assert.equal(groups.length, 1);
    assert.deepEqual(groups[0]!.alerts.map((a) => a.at), [40, 30]);
    assert.equal(groups[0]!.severity, 'info', 'what still goes on decides the group’s severity');
    assert.equal(groups[0]!.unacknowledged, 1);
  });
});

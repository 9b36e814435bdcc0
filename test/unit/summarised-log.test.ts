/** A refusal storm is logged as one line per kind and period, with a count, never a line per refusal. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_VALUE_CHARS, summarisedLog } from '../../electron/node/http/summarised-log.js';
import { until } from '../support/page-wait.js';

describe('summarisedLog', () => {
  it('logs the first of a kind at once and the rest of the period as one counted line', async () => {
    const lines: string[] = [];
    const log = summarisedLog((line) => lines.push(line), 100);
    for (let i = 0; i < 5000; i++) log('message-rejected', { reason: 'request rate over 200/s', remote: `10.0.0.${i % 200}` });
    log('connection-refused', { reason: 'origin http://evil.example not allowed', remote: '10.0.0.9' });
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.deepEqual(JSON.parse(lines[0]!), { event: 'message-rejected', reason: 'request rate over 200/s', remote: '10.0.0.0' });
    await until(() => lines.length >= 3, 'the period\'s summary line', 5_000);
    assert.equal(lines.length, 3, lines.join('\n'));
    const summary = JSON.parse(lines[2]!) as Record<string, unknown>;
    assert.equal(summary.event, 'message-rejected');
    assert.equal(summary.reason, 'request rate over 200/s');
    assert.equal(summary.count, 4999);
    assert.equal(summary.periodMs, 100);
    log('message-rejected', { reason: 'request rate over 200/s', remote: '10.0.0.1' });
    assert.equal(lines.length, 4, 'a new period starts with a line of its own');
    log.close();
  });

  it('keeps the kinds it tracks bounded: reasons past the cap share one line', () => {
    const lines: string[] = [];
    const log = summarisedLog((line) => lines.push(line), 60_000);
    for (let i = 0; i < 10_000; i++) log('message-rejected', { reason: `message of ${i} bytes exceeds the limit` });
    assert.ok(lines.length <= 65, `${lines.length} lines`);
    log.close();
    assert.ok(lines.length <= 66, 'close flushes the pending count');
    assert.match(lines.at(-1)!, /other reasons/);
  });

  it('groups refusals by their kind and cuts long header values', async () => {
    const lines: string[] = [];
    const log = summarisedLog((line) => lines.push(line), 100);
    const origin = `http://${'a'.repeat(8192)}`;
    for (let i = 0; i < 3000; i++) log('connection-refused', { kind: 'origin', reason: 'origin not allowed', remote: '10.0.0.9', origin });
    log('connection-refused', { kind: 'token', reason: 'missing or wrong token', remote: '10.0.0.9' });
    assert.equal(lines.length, 2, 'one line per kind so far');
    await until(() => lines.length >= 3, 'the period\'s summary line', 5_000);
    assert.equal(lines.length, 3, 'and one summary for the counted ones');
    const summary = JSON.parse(lines[2]!) as { kind: string; count: number };
    assert.equal(summary.kind, 'origin');
    assert.equal(summary.count, 2999);
    for (const line of lines) assert.ok(line.length < MAX_VALUE_CHARS * 3, `a line of ${line.length} characters`);
    log.close();
  });
});

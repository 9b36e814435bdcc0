import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRefusalLog, MAX_VALUE_CHARS } from '../../electron/node/http/refusal-log.js';

describe('refusal log', () => {
  it('logs the first refusal of a kind at once, counts the rest of its window into one line, and cuts long values', async () => {
    const lines: string[] = [];
    const log = createRefusalLog((line) => lines.push(line), 200);
    const origin = `http://${'a'.repeat(8192)}`;
    for (let i = 0; i < 3000; i++) log.refuse({ kind: 'origin', reason: 'origin not allowed', remote: '10.0.0.9', origin });
    log.refuse({ kind: 'token', reason: 'missing or wrong token', remote: '10.0.0.9' });
    assert.equal(lines.length, 2, 'one line per kind so far');
    await sleep(400);
    assert.equal(lines.length, 3, 'and one summary for the counted ones');
    const summary = JSON.parse(lines[2]!) as { kind: string; count: number; origin: string };
    assert.equal(summary.kind, 'origin');
    assert.equal(summary.count, 2999);
    for (const line of lines) assert.ok(line.length < MAX_VALUE_CHARS * 3, `a line of ${line.length} characters`);
    log.refuse({ kind: 'origin', reason: 'origin not allowed', remote: '10.0.0.9', origin });
    assert.equal(lines.length, 4, 'a new window logs its first refusal again');
    log.close();
  });
});

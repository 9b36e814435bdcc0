/**
 * Fuzzes the HTTP side of a real host process with raw bytes over TCP: request lines, headers and
 * WebSocket upgrades no client library would send (bad escapes, brackets, control and high bytes,
 * foreign and broken Host and Origin headers, the token or not, plain garbage). After a few
 * thousand of them the host has not exited and still answers a well-formed request.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { bearer } from '../../native-bridge/contract.js';
import { issueDisplayCredential } from '../support/accounts.js';
import { tempDir } from '../support/fixtures.js';
import { spawnHost, type HostProcess } from '../support/host-process.js';
import { hostileRequests, KNOWN_KILLERS, sendAndHangUp } from '../support/http-fuzz-cases.js';
import { rawGet, rawRequest } from '../support/raw-http.js';

const RUNS = 3_000;

describe('HTTP fuzz (real host process)', () => {
  let host: HostProcess;
  let port: number;
  before(async () => {
    host = await spawnHost({ dataDir: tempDir(), windows: 'none' });
    port = Number(new URL(host.runtime.baseUrl).port);
  });
  after(async () => host.stop());

  it(`survives ${RUNS} malformed requests and upgrades, and still answers`, { timeout: 120_000 }, async () => {
    const hostHeader = `127.0.0.1:${port}`;
    for (const bytes of KNOWN_KILLERS) await sendAndHangUp(port, bytes);
    assert.ok(host.alive(), `the host exited on a request that once killed it:\n${host.output().slice(-4_000)}`);
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(hostileRequests(host.runtime.baseUrl, issueDisplayCredential(host.dataDir, 'r0c0')), async (bytes) => {
        await sendAndHangUp(port, bytes);
        sent++;
        assert.ok(host.alive(), `the host exited after case ${sent}:\n${host.output().slice(-4_000)}`);
      }),
      { numRuns: RUNS },
    );
    assert.ok(host.alive());
    const health = await rawRequest(port, rawGet('/gis/datasets', { Host: hostHeader, authorization: bearer(issueDisplayCredential(host.dataDir, 'r0c0')) }));
    assert.equal(health.status, 200, health.head);
    assert.match(health.head, /content-encoding: gzip/i);
  });
});

/**
 * End to end: the technician's pair panel in real Chromium against two real nodes of one wall
 * (launch/start.ts --node, test/support/pair-hosts.ts). A technician signs in at the primary's
 * console (password and TOTP), sees both nodes by name with their state, does a planned switchover
 * through its confirmation (a reason is required), and the hosts themselves then say the backup
 * is active and the primary passive; at the backup's console the technician fails back. Both are
 * in the audit chain with the person and the reason. An operator gets no panel and the host
 * refuses the operator (and the administrator) the calls. A primary frozen and thawed after the
 * backup took over raises the two-actives alarm, and a killed standby shows as lost; both alerts
 * are in the console's alerts panel in Vietnamese.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { rendererDist } from '../../electron/node/project-paths.js';
import type { PersonRole } from '../../native-bridge/contract.js';
import { accountFor, connectConsole } from '../support/accounts.js';
import type { HostProcess } from '../support/host-process.js';
import { rejectsWith } from '../support/harness.js';
import { testPair, type TestPair, type TestPairNode } from '../support/pair.js';
import { spawnPairNode, statusUntil, voteUntilActive } from '../support/pair-hosts.js';
import { waitFor } from '../support/page-wait.js';
import { signInPage } from '../support/windows.js';

const SHOTS = process.env.IOC_E2E_SCREENSHOTS;
const WAIT = { timeout: 60_000 };

describe('the technician\'s pair panel, on two real nodes', () => {
  let pair: TestPair;
  let primary: HostProcess;
  let backup: HostProcess;
  let browser: Browser;
  const hostOf = (node: TestPairNode) => (node === pair.primary ? primary : backup);

  before(async () => {
    assert.ok(existsSync(join(rendererDist, 'index.html')), 'the renderer is built (npm run build)');
    pair = await testPair();
    [primary, backup] = await Promise.all([spawnPairNode(pair, pair.primary), spawnPairNode(pair, pair.backup)]);
    const active = await statusUntil(pair.primary, (s) => s.pair?.state === 'active' && s.revision > 0, 'the primary active');
    await statusUntil(pair.backup, (s) => s.pair?.state === 'passive' && s.revision === active.revision, 'the backup passive at the same revision');
    browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  });
  after(async () => {
    await browser?.close();
    await Promise.all([primary?.stop('SIGKILL'), backup?.stop('SIGKILL')]);
  });

  /** A console page on this node, signed in through its form as that node's account of the role (accounts are per node). */
  async function consoleAt(node: TestPairNode, role: PersonRole): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage();
    await page.goto(hostOf(node).runtime.consoleUrl);
    await signInPage(page, await accountFor(node.dataDir, role));
    return page;
  }

  /** The node's card in the panel shows this state (whichever node the console is connected to, both cards are there). */
  const card = (page: Page, id: string, state: string) => page.locator(`[data-testid=pair-panel] [data-node="${id}"][data-state="${state}"]`);

  async function move(page: Page, button: 'switchover' | 'failback', reason: string): Promise<void> {
    await page.getByTestId(`pair-${button}`).click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.waitFor(WAIT);
    assert.ok(await dialog.getByTestId('confirm-ok').isDisabled(), 'no reason, no switch');
    await dialog.locator('textarea[name=reason]').fill(reason);
    await dialog.getByTestId('confirm-ok').click();
    await page.locator('[data-testid=pair-result][data-ok=true]').waitFor(WAIT);
  }

  /** Waits until the alerts panel lists a pair alert with this text, opening the pair group (it shows only its latest alert while closed). */
  async function pairAlertShown(page: Page, text: string, severity?: string): Promise<void> {
    const group = page.locator('[data-testid=alerts-panel] [data-alert-group=pair]');
    const row = group.locator(`${severity ? `[data-severity=${severity}] ` : ''}.alert-title`, { hasText: text });
    await waitFor(`the pair alert "${text}" in the alerts panel`, 60_000, async () => {
      const closed = group.locator('button[aria-expanded=false]');
      if ((await closed.count()) > 0) await closed.first().click();
      return (await row.count()) > 0;
    });
  }

  async function auditedMoves(node: TestPairNode, action: string) {
    const { client, transport } = await connectConsole(hostOf(node).runtime, node.dataDir, 'administrator');
    const { entries } = await client.call('audit.list', { action, limit: 10 });
    const verify = await client.call('audit.verify', {});
    transport.close();
    return { entries, verify };
  }

  it('an operator gets no panel, and the host refuses an operator and an administrator the calls', WAIT, async () => {
    const page = await consoleAt(pair.primary, 'operator');
    await page.getByTestId('alerts-panel').waitFor(WAIT);
    assert.equal(await page.getByTestId('pair-panel').count(), 0, 'no pair panel for an operator');
    assert.equal(await page.getByTestId('pair-switchover').count(), 0, 'no switchover button');
    await page.context().close();
    for (const role of ['operator', 'administrator'] as const) {
      const { client, transport } = await connectConsole(primary.runtime, pair.primary.dataDir, role);
      await rejectsWith(client.call('pair.switchover', { reason: `thử với vai trò ${role}` }), 'forbidden', 'method');
      await rejectsWith(client.call('pair.failback', { reason: `thử với vai trò ${role}` }), 'forbidden', 'method');
      transport.close();
    }
    const { client, transport } = await connectConsole(primary.runtime, pair.primary.dataDir, 'operator');
    await rejectsWith(client.call('pair.status', {}), 'forbidden', 'method');
    transport.close();
    // nothing moved
    await statusUntil(pair.primary, (s) => s.pair?.state === 'active', 'the primary still active');
  });

  it('an administrator watches both nodes but is told only a technician moves the wall', WAIT, async () => {
    const page = await consoleAt(pair.primary, 'administrator');
    await card(page, 'ioc-a', 'active').waitFor(WAIT);
    assert.ok(await page.getByTestId('pair-switchover').isDisabled());
    assert.equal(await page.getByTestId('pair-switchover-why').getAttribute('data-why'), 'technicianOnly');
    await page.context().close();
  });

  it('a technician switches over to the backup, and fails back from the backup\'s console', { timeout: 300_000 }, async () => {
    const page = await consoleAt(pair.primary, 'technician');
    const panel = page.getByTestId('pair-panel');
    await card(page, 'ioc-a', 'active').waitFor(WAIT);
    await card(page, 'ioc-b', 'passive').waitFor(WAIT);
    // by name, ids only beside them; live figures from both nodes
    assert.equal((await panel.locator('[data-node="ioc-a"] .pair-node-name').innerText()).trim(), 'Máy chủ chính');
    assert.equal((await panel.locator('[data-node="ioc-b"] .pair-node-name').innerText()).trim(), 'Máy chủ dự phòng');
    assert.match(await panel.locator('[data-node="ioc-a"] .pair-node-state').innerText(), /^Đang điều khiển tường$/);
    assert.match(await panel.locator('[data-node="ioc-b"] .pair-node-state').innerText(), /^Dự phòng nóng$/);
    assert.match(await panel.locator('[data-node="ioc-b"] [data-field=heartbeat]').innerText(), /giây trước/);
    assert.match(await panel.locator('[data-node="ioc-b"] [data-field=uptime]').innerText(), /\d+ (giây|phút)/);
    await page.locator('[data-testid=pair-lag][data-lag="0"]').waitFor(WAIT);
    assert.ok(await page.getByTestId('pair-failback').isDisabled(), 'the wall is already on the primary');
    assert.equal(await page.getByTestId('pair-failback-why').getAttribute('data-why'), 'onPrimary');
    const box = await panel.boundingBox();
    assert.ok(box && box.y + box.height <= 900 + 1, `the panel fits the 1600×900 console (bottom at ${box?.y}+${box?.height})`);
    if (SHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, 'pair-panel.png') });
    }

    await move(page, 'switchover', 'Bảo trì máy chủ chính theo kế hoạch');
    // what the hosts say, not only the page
    await statusUntil(pair.backup, (s) => s.pair?.state === 'active' && s.role === 'primary', 'the backup active');
    await statusUntil(pair.primary, (s) => s.pair?.state === 'passive' && s.role === 'standby', 'the primary passive');
    // the console that asked followed the wall to the backup, still signed in (sessions are replicated)
    await card(page, 'ioc-b', 'active').waitFor(WAIT);
    await card(page, 'ioc-a', 'passive').waitFor(WAIT);
    assert.equal(await page.getByTestId('sign-in').count(), 0, 'the technician is still signed in');
    assert.ok(await page.getByTestId('pair-switchover').isDisabled(), 'a switchover is the primary\'s');
    const switched = await auditedMoves(pair.primary, 'pair.switchover');
    const technician = await accountFor(pair.primary.dataDir, 'technician');
    assert.equal(switched.entries.length, 1, JSON.stringify(switched.entries));
    assert.equal(switched.entries[0]!.actor.id, technician.id);
    assert.equal(switched.entries[0]!.details?.reason, 'Bảo trì máy chủ chính theo kế hoạch');
    assert.equal(switched.verify.ok, true, 'the audit chain is intact');
    await page.context().close();

    const onBackup = await consoleAt(pair.backup, 'technician');
    await card(onBackup, 'ioc-b', 'active').waitFor(WAIT);
    await card(onBackup, 'ioc-a', 'passive').waitFor(WAIT);
    assert.ok(await onBackup.getByTestId('pair-switchover').isDisabled(), 'a switchover is the primary\'s');
    assert.equal(await onBackup.getByTestId('pair-switchover-why').getAttribute('data-why'), 'onBackup');
    await move(onBackup, 'failback', 'Máy chủ chính đã bảo trì xong');
    await statusUntil(pair.primary, (s) => s.pair?.state === 'active', 'the primary active again');
    await statusUntil(pair.backup, (s) => s.pair?.state === 'passive', 'the backup passive again');
    // and this console followed the wall back to the primary, still signed in
    await card(onBackup, 'ioc-a', 'active').waitFor(WAIT);
    await card(onBackup, 'ioc-b', 'passive').waitFor(WAIT);
    assert.equal(await onBackup.getByTestId('sign-in').count(), 0, 'the technician is still signed in after the failback');
    assert.ok(await onBackup.getByTestId('pair-failback').isDisabled(), 'the wall is on the primary again');
    const failedBack = await auditedMoves(pair.backup, 'pair.failback');
    assert.equal(failedBack.entries.length, 1, JSON.stringify(failedBack.entries));
    assert.equal(failedBack.entries[0]!.actor.id, (await accountFor(pair.backup.dataDir, 'technician')).id);
    assert.equal(failedBack.entries[0]!.details?.reason, 'Máy chủ chính đã bảo trì xong');
    assert.equal(failedBack.verify.ok, true);
    await onBackup.context().close();
  });

  it('two actives: the alarm is raised on the node that comes back, and listed in its alerts panel in Vietnamese', { timeout: 180_000 }, async () => {
    // the primary frozen past the dead time, the backup elected on a vote, then the primary thawed
    primary.proc.kill('SIGSTOP');
    try {
      await voteUntilActive(pair.backup, pair.primary.id, 60_000);
    } finally {
      primary.proc.kill('SIGCONT');
    }
    await statusUntil(pair.primary, (s) => s.pair?.state === 'passive', 'the thawed primary passive');
    const page = await consoleAt(pair.primary, 'technician');
    await pairAlertShown(page, 'Hai máy chủ cùng điều khiển tường (máy này và máy chủ dự phòng (ioc-b))', 'critical');
    await card(page, 'ioc-b', 'active').waitFor(WAIT);
    await page.context().close();
    // the wall back on the primary for what follows
    const { client, transport } = await connectConsole(backup.runtime, pair.backup.dataDir, 'technician');
    await client.call('pair.failback', { reason: 'trả tường về máy chính sau sự cố hai máy cùng điều khiển' });
    transport.close();
    await statusUntil(pair.primary, (s) => s.pair?.state === 'active', 'the primary active again');
  });

  it('a killed standby shows as lost, the buttons say why, and the alert is in the alerts panel in Vietnamese', { timeout: 120_000 }, async () => {
    const page = await consoleAt(pair.primary, 'technician');
    await card(page, 'ioc-b', 'passive').waitFor(WAIT);
    await backup.stop('SIGKILL');
    await card(page, 'ioc-b', 'lost').waitFor(WAIT);
    await page.locator('[data-testid=pair-switchover-why][data-why=noStandby]').waitFor(WAIT);
    await pairAlertShown(page, 'Mất máy dự phòng: không nghe thấy máy chủ dự phòng (ioc-b)');
    await page.context().close();
  });
});

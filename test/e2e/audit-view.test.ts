/**
 * End to end: the console's "Nhật ký kiểm toán" in real Chromium against a real Chromium host. An
 * administrator signs in through the form (password, then TOTP), opens the log from the status
 * strip, reads people by name, filters to wall commands, checks the chain and downloads the CSV; a
 * technician may only check it; an operator sees no button at all.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startChromiumHost, type ChromiumHost } from '../../electron/node/chromium-host/host.js';
import { rendererDist } from '../../electron/node/project-paths.js';
import { accountFor, connectConsole, type TestAccount } from '../support/accounts.js';
import { demoPresetsDir, demoWallFile, noGatewaysFile, tempDir } from '../support/fixtures.js';
import { signInPage } from '../support/windows.js';
import { testScenariosDir } from '../support/test-scenarios.js';

const SHOTS = process.env.IOC_E2E_SCREENSHOTS;
const WAIT = { timeout: 60_000 };

describe('the audit log view in the console', () => {
  const dataDir = tempDir('ioc-wall-e2e-audit-');
  let host: ChromiumHost;
  let browser: Browser;

  before(async () => {
    assert.ok(existsSync(join(rendererDist, 'index.html')), 'the renderer is built (npm run build)');
    host = await startChromiumHost({ wallFile: demoWallFile, presetsDir: demoPresetsDir, scenariosDir: testScenariosDir(), gatewaysFile: noGatewaysFile, dataDir, rendererDir: rendererDist, windows: 'none', log: () => {} });
    // an operator's wall command, so the log has a person's work in it
    const { client, transport } = await connectConsole(host, dataDir, 'operator');
    await client.call('wall.execute', { command: { type: 'apply-preset', name: 'overview' } });
    transport.close();
    browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  });
  after(async () => {
    await browser?.close();
    await host?.close();
  });

  async function consoleAs(account: TestAccount): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1600, height: 900 }, acceptDownloads: true })).newPage();
    await page.goto(host.windowUrl('console'));
    await signInPage(page, account);
    return page;
  }

  it('lets an administrator read it by name, filter it, check it and download it', async () => {
    const operator = await accountFor(dataDir, 'operator');
    const page = await consoleAs(await accountFor(dataDir, 'administrator'));
    await page.getByTestId('open-audit').click();
    const table = page.getByTestId('audit-table');
    await table.waitFor(WAIT);
    const text = await table.innerText();
    assert.match(text, /Nguyễn Văn An/, 'the operator by name');
    assert.match(text, /Lệnh trên tường màn hình/);
    assert.match(text, /Đăng nhập/);
    assert.ok(!text.includes(operator.id), 'no account id shown');
    await page.locator('select[name=action]').selectOption('wall.');
    await page.getByTestId('audit-apply').click();
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid=audit-table] tbody tr')];
      return rows.length > 0 && rows.every((row) => row.getAttribute('data-action') === 'wall.command');
    }, undefined, WAIT);
    await page.getByTestId('audit-verify-run').click();
    await page.locator('[data-testid=audit-verify][data-ok=true]').waitFor(WAIT);
    assert.match(await page.getByTestId('audit-verify').innerText(), /Nguyên vẹn/);
    if (SHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, 'audit-view.png') });
    }
    const [download] = await Promise.all([page.waitForEvent('download', WAIT), page.getByTestId('audit-export').click()]);
    assert.match(download.suggestedFilename(), /^nhat-ky-kiem-toan-demo-.*\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    assert.ok(csv.startsWith('\uFEFFseq,time,actor_kind'), 'a byte-order mark, then the header');
    assert.match(csv, /wall\.command/);
    assert.ok(!/auth\.sign-in/.test(csv), 'the export follows the filter');
  });

  it('shows a technician only the check, and an operator no button', async () => {
    const technician = await consoleAs(await accountFor(dataDir, 'technician'));
    await technician.getByTestId('open-audit').click();
    await technician.getByTestId('audit-verify-run').waitFor(WAIT);
    assert.equal(await technician.getByTestId('audit-table').count(), 0);
    const operator = await consoleAs(await accountFor(dataDir, 'operator'));
    await operator.getByTestId('status-strip').waitFor(WAIT);
    assert.equal(await operator.getByTestId('open-audit').count(), 0);
  });
});

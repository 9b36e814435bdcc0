/**
 * End to end: the gateway keys panel on the real Chromium host with the simulated province. A
 * commander is not offered it; a technician (password and TOTP at the console's form) sees the
 * host's public key and every gateway by its Vietnamese name with its key fingerprint and link
 * state, and reloads the gateway list without a restart. (On this standalone host the technician's
 * pair panel says there is no pair.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { demoGatewayDefinitions } from '../../sim/province.js';
import { accountFor } from '../support/accounts.js';
import { tempDir } from '../support/fixtures.js';
import { openDockTab, signInPage, spawnedWall } from '../support/windows.js';

const TIMEOUT = { timeout: 240_000 };

describe('the gateway keys panel on the Chromium host', () => {
  const dataDir = tempDir('ioc-wall-e2e-gateway-keys-');
  const spawned = spawnedWall(dataDir, { simulate: true });

  it('is not offered to a commander; a technician sees the keys by gateway name and reloads the list', TIMEOUT, async () => {
    const page = spawned.windows.console;
    await page.getByTestId('console').waitFor();
    await openDockTab(page, 'system');
    assert.equal(await page.getByTestId('gateway-keys-panel').count(), 0, 'a commander is not offered the keys');

    await page.getByTestId('sign-out').click();
    await signInPage(page, await accountFor(dataDir, 'technician')); // password and TOTP code

    // a standalone host: the technician's pair panel says there is no pair (and offers no button)
    await page.getByTestId('pair-standalone').waitFor({ timeout: 60_000 });
    assert.equal(await page.getByTestId('pair-switchover').count(), 0);

    await openDockTab(page, 'system');
    const panel = page.getByTestId('gateway-keys-panel');
    await panel.locator('[data-gateway]').first().waitFor({ timeout: 60_000 });
    assert.equal((await panel.getByTestId('host-public-key').innerText()).trim(), spawned.host.runtime.gateways.hostPublicKey);
    const expected = demoGatewayDefinitions();
    for (const gateway of expected) {
      const row = panel.locator(`[data-gateway="${gateway.id}"]`);
      const name = (await row.locator('strong').innerText()).trim();
      assert.equal(name, gateway.name, 'shown by its name');
      assert.notEqual(name, gateway.id);
      assert.match(await row.locator('[data-role="current"]').innerText(), /^Khóa hiện tại: SHA256:[A-Za-z0-9+/]{43}$/);
      assert.match(await row.locator('.badge').innerText(), /^(Đang đồng bộ|Trực tuyến|Chậm cập nhật|Mất kết nối)$/);
    }

    await panel.getByTestId('gateways-reload').click();
    const toast = page.locator('[data-testid="toast"][data-kind="info"]', { hasText: 'Đã nạp lại danh sách cổng' });
    await toast.waitFor({ timeout: 20_000 });
    assert.equal(await panel.locator('[data-gateway]').count(), expected.length, 'the same gateways after the reload');
  });
});

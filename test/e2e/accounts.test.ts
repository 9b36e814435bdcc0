/**
 * Accounts from the console, as an administrator would manage them: the administrator signs in
 * with a TOTP code, creates a duty operator limited to two communes through the accounts panel,
 * the new person signs in with the password they were given and sees their name, role and communes, and
 * once the administrator disables the account it can no longer sign in. Real host, real windows.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountFor, connectConsole, type TestAccount } from '../support/accounts.js';
import { tempDir } from '../support/fixtures.js';
import { openDockTab, signInPage, spawnedWall } from '../support/windows.js';

const TIMEOUT = { timeout: 300_000 };

describe('accounts from the console', () => {
  const dataDir = tempDir('ioc-wall-e2e-accounts-');
  const wall = spawnedWall(dataDir);
  const newcomer: TestAccount = {
    id: 'lethilan',
    username: 'lethilan',
    password: 'mật-khẩu-của-Lan-đủ-dài',
    fullName: 'Lê Thị Lan',
    role: 'operator',
    totpSecret: null,
    token: null,
  };

  it('a commander is not offered the accounts panel, and is shown with the whole province as scope', TIMEOUT, async () => {
    await wall.windows.console.getByTestId('console').waitFor();
    await openDockTab(wall.windows.console, 'system');
    assert.equal(await wall.windows.console.getByTestId('accounts-panel').count(), 0);
    // a resumed session: the scope comes from auth.status after hello
    await wall.windows.console.getByText('Phạm vi: toàn tỉnh').waitFor();
  });

  it('an administrator creates an operator for two communes; the operator signs in; once disabled, cannot', TIMEOUT, async () => {
    const page = wall.windows.console;
    const admin = await accountFor(dataDir, 'administrator');
    await page.getByTestId('sign-out').click();
    await signInPage(page, admin);
    await openDockTab(page, 'system');
    const panel = page.getByTestId('accounts-panel');
    await panel.waitFor();
    await panel.locator(`[data-account="${admin.username}"]`).waitFor();

    // a password shorter than the rule: the form does not send it
    const form = page.getByTestId('account-create');
    await form.locator('input[name=full-name]').fill(newcomer.fullName);
    await form.locator('input[name=username]').fill(newcomer.username);
    await form.locator('select[name=role]').selectOption('operator');
    await form.locator('input[name=communes]').fill('Biên Hòa,  Trảng Bom ');
    await form.locator('input[name=password]').fill('ngắn');
    assert.ok(await page.getByTestId('account-create-submit').isDisabled(), 'a short password is not sent');
    await form.locator('input[name=password]').fill(newcomer.password);
    await page.getByTestId('account-create-submit').click();
    const row = panel.locator(`[data-account="${newcomer.username}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), /Lê Thị Lan/);
    assert.match(await row.innerText(), /trực ban/);
    assert.match(await row.innerText(), /Biên Hòa, Trảng Bom/);

    // the host has it, with the scope as typed (trimmed)
    const { client, transport } = await connectConsole(wall.host.runtime, dataDir, 'administrator');
    const { accounts } = await client.call('accounts.list', {});
    transport.close();
    const created = accounts.find((a) => a.username === newcomer.username);
    assert.deepEqual(created && { role: created.role, scope: created.scope }, { role: 'operator', scope: { kind: 'communes', communes: ['Biên Hòa', 'Trảng Bom'] } });

    // the newcomer signs in and is named, with their role and their communes
    await page.getByTestId('sign-out').click();
    await signInPage(page, newcomer);
    assert.match(await page.getByTestId('sign-out').innerText(), /Lê Thị Lan \(trực ban\)/);
    assert.match(await page.getByTestId('signed-in-scope').innerText(), /^\s*· Phạm vi: Biên Hòa, Trảng Bom$/);
    await openDockTab(page, 'system');
    assert.equal(await page.getByTestId('accounts-panel').count(), 0, 'an operator does not manage accounts');

    // the administrator disables the account
    await page.getByTestId('sign-out').click();
    await signInPage(page, admin);
    await openDockTab(page, 'system');
    await page.locator(`[data-account="${newcomer.username}"] [data-account-action="disable"]`).click();
    await page.locator(`[data-account="${newcomer.username}"][data-disabled="true"]`).waitFor();
    await page.getByTestId('sign-out').click();

    // and its password no longer opens the console
    const form2 = page.getByTestId('sign-in');
    await form2.waitFor();
    await form2.locator('input[name=username]').fill(newcomer.username);
    await form2.locator('input[name=password]').fill(newcomer.password);
    await form2.locator('button[type=submit]').click();
    await page.getByTestId('sign-in-error').waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('console').count(), 0, 'a disabled account stays signed out');
  });
});

/**
 * The first start of a host with no account: never a default password. The demo (gateways file
 * `simulate: true`) gets an administrator with a random password, printed once to the terminal;
 * a real installation gets a one-time setup code for the console's first-run form.
 */
import { randomBytes } from 'node:crypto';
import type { AuthService } from './auth-service.js';

export const DEMO_ADMINISTRATOR = { username: 'quantri', fullName: 'Quản trị viên (demo)' } as const;

export async function firstRun(auth: AuthService, options: { demo: boolean; print: (line: string) => void }): Promise<void> {
  if (!auth.setupNeeded()) return;
  if (options.demo) {
    const password = randomBytes(15).toString('base64url');
    await auth.create({ ...DEMO_ADMINISTRATOR, role: 'administrator', scope: { kind: 'province' }, password }, { id: 'system', role: 'system' });
    options.print(`ioc-wall: demo administrator created — username: ${DEMO_ADMINISTRATOR.username}  password: ${password}  (shown only this once; sign in at the console and enrol TOTP)`);
    return;
  }
  options.print(`ioc-wall: no account yet — first-run setup code: ${auth.issueSetupCode()}  (type it in the console's first-run form with the first administrator's details)`);
}

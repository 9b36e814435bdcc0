/**
 * Who may fetch the map's data (/gis/*, /basemap/*): a request whose `Authorization: Bearer …`
 * is a live console session or an enrolled display's credential, the same ones session.hello
 * takes. A page fetches many tiles at once: an accepted credential is remembered for a few
 * seconds (a bounded number of them), so a burst costs one database look-up.
 */
import { displayCredential, sessionToken } from '../../../native-bridge/contract.js';
import type { Core } from '../core.js';

const REMEMBER_MS = 5_000;
const REMEMBERED_MAX = 64;

export function dataAuthorizer(core: Pick<Core, 'auth' | 'displays'>, now: () => number = Date.now): (authorization: string | undefined) => boolean {
  const accepted = new Map<string, number>();
  const valid = (credential: string): boolean => {
    if (displayCredential.safeParse(credential).success) return core.displays.verify(credential) !== null;
    return sessionToken.safeParse(credential).success && core.auth.resume(credential, core.auth.newConnection()) !== null;
  };
  return (authorization) => {
    const credential = /^Bearer ([!-~]{1,200})$/.exec(authorization ?? '')?.[1];
    if (credential === undefined) return false;
    const until = accepted.get(credential);
    if (until !== undefined && until > now()) return true;
    accepted.delete(credential);
    if (!valid(credential)) return false;
    if (accepted.size >= REMEMBERED_MAX) accepted.delete(accepted.keys().next().value!);
    accepted.set(credential, now() + REMEMBER_MS);
    return true;
  };
}

/**
 * Time-based one-time codes (RFC 6238, otplib) and recovery codes. A code is accepted once: the
 * caller keeps the last accepted time step and passes it back, so a replayed code (or an older one
 * within the drift window) is refused.
 */
import { createHash, randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verifySync } from 'otplib';

export const TOTP_ISSUER = 'IOC Wall';
/** One step (30 s) either side: clocks on phones drift. */
const TOLERANCE_S = 30;

export function newTotpSecret(): { secret: string; uri: (label: string) => string } {
  const secret = generateSecret();
  return { secret, uri: (label) => generateURI({ issuer: TOTP_ISSUER, label, secret }) };
}

/** The accepted time step, or null (wrong code, or not newer than lastStep). */
export function verifyTotp(secret: string, code: string, lastStep: number | null): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const result = verifySync({ secret, token: code, epochTolerance: TOLERANCE_S, ...(lastStep === null ? {} : { afterTimeStep: lastStep }) });
  // a TOTP verification always reports its time step (the union type also covers HOTP's result)
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}

const RECOVERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Ten codes of 50 random bits each ("XXXXX-XXXXX"): shown once, stored as hashes. */
export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(10);
    const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** Recovery codes carry enough entropy for a plain hash; typed case and dashes do not matter. */
export function recoveryCodeHash(code: string): string {
  return createHash('sha256').update(code.toUpperCase().replace(/[^A-Z0-9]/g, '')).digest('hex');
}

export const looksLikeRecoveryCode = (code: string): boolean => /^[A-Za-z0-9]{5}-?[A-Za-z0-9]{5}$/.test(code.trim());
